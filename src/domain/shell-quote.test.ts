import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Flavour, VerifyReport } from './api-contract.ts';
import { suggestTrustSettings } from './arn.ts';
import { DIAGNOSIS_CODES, type DiagnosisCode } from './diagnosis/codes.ts';
import { EVIDENCE_KEYS, type GuidanceContext, guidanceFor } from './diagnosis/guidance.ts';
import { STS_PROBE } from './diagnosis/guidance-service.ts';
import { scannerCommand } from './exports.ts';
import type { CredentialSourceKind } from './inputs.ts';
import { shellCommand, shellQuote } from './shell-quote.ts';
import { createStackCommand, updateStackCommand } from './template/links.ts';
import { managedPolicyArns } from './template/role-template.ts';

// Every command the product shows is run here through real shells (dash as sh, and bash) in
// which the programs it names (aws, docker, prowler, date, sudo) are shell functions that only
// record their arguments, and PATH is empty, so nothing else can run. Each hostile value put into
// a generator must arrive as exactly one argument (or whole inside the one argument that carries
// it, such as a JSON document), unchanged, and a canary file the payloads try to create must
// never appear.

/** dash as sh, and bash without any start-up file of this machine. */
const SHELLS = { sh: ['/bin/sh'], bash: ['/bin/bash', '--norc', '--noprofile'] } as const;
type Shell = keyof typeof SHELLS;
const dir = mkdtempSync(join(tmpdir(), 'aws-connect-shell-'));
const emptyPath = join(dir, 'no-programs');
mkdirSync(emptyPath);
const work = join(dir, 'work');
mkdirSync(work);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CANARY = 'canary';
const LOG = 'argv.log';
const PRELUDE = [
  `record() { printf '%s\\0' "$@" >> ${LOG}; printf '\\036' >> ${LOG}; }`,
  ...['aws', 'docker', 'prowler', 'date', 'sudo'].map((p) => `${p}() { record ${p} "$@"; }`),
].join('\n');

/** Runs each command in `shell`; answers, per command, the calls it made (program and arguments). */
function run(shell: Shell, commands: string[]) {
  rmSync(join(work, LOG), { force: true });
  rmSync(join(work, CANARY), { force: true });
  const script = [PRELUDE, ...commands.map((c) => `${c}\nprintf '\\035' >> ${LOG}`)].join('\n');
  const [program, ...options] = SHELLS[shell];
  const r = spawnSync(program, [...options, '-c', script], {
    cwd: work,
    env: { PATH: emptyPath },
    encoding: 'utf8',
  });
  const log = existsSync(join(work, LOG)) ? readFileSync(join(work, LOG), 'utf8') : '';
  const calls = log
    .split('\x1d')
    .slice(0, -1)
    .map((perCommand) =>
      perCommand
        .split('\x1e')
        .slice(0, -1)
        .map((call) => call.split('\0').slice(0, -1)),
    );
  return { calls, stderr: r.stderr, status: r.status, canary: existsSync(join(work, CANARY)) };
}

/** Payloads that create the canary (with builtins only) if a value ever escapes its quotes. */
const injection = fc.constantFrom(
  `$(: > ${CANARY})`,
  `\`: > ${CANARY}\``,
  `'; : > ${CANARY}; '`,
  `"; : > ${CANARY}; "`,
  `'"$(: > ${CANARY})"'`,
  `\n: > ${CANARY}\n`,
  ` && : > ${CANARY} && `,
  ` || : > ${CANARY}`,
  `| : > ${CANARY}`,
  `\\'; : > ${CANARY} #`,
  `\${x:-$(: > ${CANARY})}`,
  `'\\''$(: > ${CANARY})`,
);
const SPECIAL = [
  ...`'"\`$()[]{};&|<>*?~#!\\=,% \t\n`,
  '=',
  '-',
  '/',
  'a',
  'Z',
  '0',
  'é',
  'ß',
  '💥',
  '\u202e',
  '\u00a0',
];
const noise = fc.string({ unit: fc.constantFrom(...SPECIAL), maxLength: 8 });
/** Control characters the recorder uses as separators, and NUL, which no argument can hold. */
const unusable = (s: string) => ['\0', '\x1d', '\x1e'].some((c) => s.includes(c));
const unicode = fc.string({ unit: 'grapheme', maxLength: 4 }).filter((s) => !unusable(s));
const hostile = fc
  .tuple(noise, injection, noise, unicode)
  .map(([a, b, c, d]) => `${a}${b}${c}${d}`)
  .filter((s) => s !== '');
/** For values that become part of an ARN resource name: no "/", and no spaces at the ends (ARNs are trimmed). */
const nameish = hostile.map((s) => s.replaceAll('/', '∕').trim()).filter((s) => s !== '');

/** `--parameters` values in either form the CLI takes, as one comparable text. */
function canonicalParameter(arg: string): string {
  if (arg.startsWith('{')) {
    const { ParameterKey, ParameterValue } = JSON.parse(arg) as Record<string, string>;
    return `ParameterKey=${ParameterKey},ParameterValue=${ParameterValue}`;
  }
  return arg;
}
function normalised(call: string[]): string[] {
  const at = call.indexOf('--parameters');
  if (at === -1) return call;
  return [...call.slice(0, at + 1), ...call.slice(at + 1).map(canonicalParameter)];
}
const param = (key: string, value: string) => `ParameterKey=${key},ParameterValue=${value}`;

/** One command and the calls it must make. `document` arguments are compared as parsed JSON. */
interface Expected {
  command: string;
  calls: (string | { json: unknown })[][];
}

function expectRuns(expected: Expected[]) {
  for (const shell of Object.keys(SHELLS) as Shell[]) {
    const r = run(
      shell,
      expected.map((e) => e.command),
    );
    expect(r.canary, `${shell}: a payload ran`).toBe(false);
    expect(r.stderr, shell).toBe('');
    expect(r.status, shell).toBe(0);
    expect(r.calls.length, shell).toBe(expected.length);
    expected.forEach((e, i) => {
      const actual = (r.calls[i] ?? []).map((call, j) =>
        normalised(call).map((arg, k) => {
          const want = e.calls[j]?.[k];
          return typeof want === 'object' ? { json: JSON.parse(arg) } : arg;
        }),
      );
      expect(actual, `${shell}: ${e.command}`).toEqual(e.calls);
    });
  }
}

const ROLE_ARN = 'arn:aws:iam::444455556666:role/Scan+=,.@_-Role';
const ROLE_NAME = 'Scan+=,.@_-Role';

function guidance(code: DiagnosisCode, over: Partial<GuidanceContext>) {
  return guidanceFor(code, {
    flavour: 'self-hosted',
    productName: 'Prowler',
    sourceKind: 'access-keys',
    evidence: {},
    request: { region: 'eu-west-1', roleArn: ROLE_ARN },
    ...over,
  });
}
function commandOf(code: DiagnosisCode, over: Partial<GuidanceContext>, startsWith: string): string {
  const found = guidance(code, over).steps.find((s) => s.command?.startsWith(startsWith))?.command;
  if (!found) throw new Error(`${code}: no command starting with ${startsWith}`);
  return found;
}

const RUNS = { numRuns: 40 };

describe('shellQuote', () => {
  it.each(['plain', 'with space', "it's", 'role/prowler*', 'a,b', '$(x)', '`id`', '"q"', '', '=cmd', '~'])(
    'shellQuote(%j) is one word, unchanged',
    (value) => {
      expect(run('sh', [`aws ${shellQuote(value)}`]).calls).toEqual([[['aws', value]]]);
    },
  );

  it('leaves plain ARNs, paths and parameter words bare, as people write them', () => {
    for (const v of ['arn:aws:iam::111122223333:role/x', 'file://prowler-scan-role.yaml', 'us-east-1'])
      expect(shellQuote(v)).toBe(v);
    expect(shellCommand(['aws', 'sts', 'get-caller-identity'])).toBe('aws sts get-caller-identity');
  });
});

describe('every command generator keeps hostile values to one argument, and runs nothing', () => {
  it('aws cloudformation create-stack', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, hostile, hostile, (region, stack, file, e, a, p) => {
        expectRuns([
          {
            command: createStackCommand({
              region,
              stackName: stack,
              templateFile: file,
              params: { externalId: e, trustedAccountId: a, iamPrincipal: p },
            }),
            calls: [
              [
                'aws',
                'cloudformation',
                'create-stack',
                '--region',
                region,
                '--stack-name',
                stack,
                '--template-body',
                `file://${file}`,
                '--capabilities',
                'CAPABILITY_NAMED_IAM',
                '--parameters',
                param('ExternalId', e),
                param('AccountId', a),
                param('IAMPrincipal', p),
              ],
            ],
          },
        ]);
      }),
      RUNS,
    );
  });

  it('aws cloudformation update-stack', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (region, file, principal) => {
        expectRuns([
          {
            command: updateStackCommand({ region, templateFile: file, params: { iamPrincipal: principal } }),
            calls: [
              [
                'aws',
                'cloudformation',
                'update-stack',
                '--region',
                region,
                '--stack-name',
                'ProwlerScan',
                '--template-body',
                `file://${file}`,
                '--capabilities',
                'CAPABILITY_NAMED_IAM',
                '--parameters',
                'ParameterKey=ExternalId,UsePreviousValue=true',
                'ParameterKey=AccountId,UsePreviousValue=true',
                param('IAMPrincipal', principal),
              ],
            ],
          },
        ]);
      }),
      RUNS,
    );
  });

  it('the scanner command line (exports)', () => {
    fc.assert(
      fc.property(hostile, hostile, (roleArn, externalId) => {
        const report = { request: { roleArn, externalId, durationSeconds: 900 } } as unknown as VerifyReport;
        expectRuns([
          {
            command: scannerCommand(report),
            calls: [
              ['prowler', 'aws', '--role', roleArn, '--external-id', externalId, '--session-duration', '900'],
            ],
          },
        ]);
      }),
      RUNS,
    );
  });

  it('guidance: the STS reachability probe passes the endpoint as an argument, not as script text', () => {
    fc.assert(
      fc.property(hostile, (endpoint) => {
        const command = commandOf('STS_UNREACHABLE', { evidence: { endpoint } }, 'docker compose exec');
        expect(STS_PROBE).not.toContain(endpoint);
        expectRuns([
          {
            command,
            calls: [['docker', 'compose', 'exec', 'api', 'node', '-e', STS_PROBE, '--', endpoint]],
          },
        ]);
      }),
      RUNS,
    );
  });

  it('guidance: session duration, region, missing policies', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (duration, region, partition) => {
        expectRuns([
          {
            command: commandOf(
              'DURATION_EXCEEDS_MAX',
              { evidence: { durationSeconds: duration } },
              'aws iam update-role',
            ),
            calls: [
              ['aws', 'iam', 'update-role', '--role-name', ROLE_NAME, '--max-session-duration', duration],
            ],
          },
          {
            command: commandOf(
              'REGION_DISABLED',
              { request: { region, roleArn: ROLE_ARN } },
              'aws account enable-region',
            ),
            calls: [['aws', 'account', 'enable-region', '--region-name', region]],
          },
          {
            command: commandOf(
              'PERMISSIONS_INCOMPLETE',
              { evidence: { rolePartition: partition } },
              'aws iam attach-role-policy',
            ),
            calls: [
              [
                'aws',
                'iam',
                'attach-role-policy',
                '--role-name',
                ROLE_NAME,
                '--policy-arn',
                managedPolicyArns(partition)[0] ?? '',
              ],
            ],
          },
        ]);
      }),
      RUNS,
    );
  });

  it('guidance: access keys, role paths, trust settings and deny sources name the caller safely', () => {
    fc.assert(
      fc.property(nameish, nameish, hostile, hostile, hostile, (user, role, region, account, roleArn) => {
        const userArn = `arn:aws:iam::111122223333:user/${user}`;
        const sessionArn = `arn:aws:sts::111122223333:assumed-role/${role}/session`;
        const policy = {
          json: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn }],
          },
        };
        expectRuns([
          {
            command: commandOf('SOURCE_KEY_INVALID', { evidence: { callerArn: userArn } }, 'aws iam list'),
            calls: [['aws', 'iam', 'list-access-keys', '--user-name', user]],
          },
          {
            command: commandOf('SOURCE_KEY_INVALID', { evidence: { callerArn: userArn } }, 'aws iam create'),
            calls: [['aws', 'iam', 'create-access-key', '--user-name', user]],
          },
          {
            command: commandOf(
              'TRUST_PRINCIPAL_MISMATCH',
              { evidence: { callerArn: sessionArn } },
              'aws iam get-role',
            ),
            calls: [
              ['aws', 'iam', 'get-role', '--role-name', role, '--query', 'Role.Path', '--output', 'text'],
            ],
          },
          {
            command: commandOf('TRUST_ACCOUNT_MISMATCH', { request: { region } }, 'aws cloudformation'),
            calls: [
              [
                'aws',
                'cloudformation',
                'describe-stacks',
                '--region',
                region,
                '--stack-name',
                'ProwlerScan',
                '--query',
                'Stacks[0].Parameters',
              ],
            ],
          },
          {
            command: commandOf(
              'CALLER_NOT_PERMITTED',
              { evidence: { callerArn: userArn, roleArn } },
              'aws iam put-user-policy',
            ),
            calls: [
              [
                'aws',
                'iam',
                'put-user-policy',
                '--user-name',
                user,
                '--policy-name',
                'AllowAssumeScanRole',
                '--policy-document',
                policy,
              ],
            ],
          },
          {
            command: commandOf(
              'EXPLICIT_DENY',
              { evidence: { policyType: 'service control policy', callerAccountId: account } },
              'aws organizations',
            ),
            calls: [
              [
                'aws',
                'organizations',
                'list-policies-for-target',
                '--target-id',
                account,
                '--filter',
                'SERVICE_CONTROL_POLICY',
              ],
            ],
          },
          {
            command: commandOf(
              'EXPLICIT_DENY',
              { evidence: { policyType: 'permissions boundary', callerArn: userArn } },
              'aws iam get-user',
            ),
            calls: [['aws', 'iam', 'get-user', '--user-name', user, '--query', 'User.PermissionsBoundary']],
          },
        ]);
      }),
      RUNS,
    );
  });

  it('guidance: redeploying with the External ID, and the role-path note of the trust suggestion', () => {
    fc.assert(
      fc.property(hostile, hostile, nameish, (externalId, region, role) => {
        const update = (templateBody: string[]) => [
          'aws',
          'cloudformation',
          'update-stack',
          '--region',
          region,
          '--stack-name',
          'ProwlerScan',
          ...templateBody,
          '--capabilities',
          'CAPABILITY_NAMED_IAM',
          '--parameters',
          param('ExternalId', externalId),
          'ParameterKey=AccountId,UsePreviousValue=true',
          'ParameterKey=IAMPrincipal,UsePreviousValue=true',
        ];
        const request = { region, roleArn: ROLE_ARN };
        const note =
          suggestTrustSettings(`arn:aws:sts::111122223333:assumed-role/${role}/s`)?.notes.at(-1) ?? '';
        const marker = '(see it with: ';
        expectRuns([
          {
            command: commandOf(
              'EXTERNAL_ID_MISMATCH',
              { evidence: { externalId }, request },
              'aws cloudformation update-stack',
            ),
            calls: [update(['--use-previous-template'])],
          },
          {
            command: commandOf(
              'EXTERNAL_ID_NOT_ENFORCED',
              { evidence: { externalId, trustedAccountId: '111122223333' }, request },
              'aws cloudformation update-stack',
            ),
            calls: [update(['--template-body', 'file://prowler-scan-role.yaml'])],
          },
          {
            command: note.slice(note.lastIndexOf(marker) + marker.length, -2),
            calls: [['aws', 'iam', 'get-role', '--role-name', role, '--query', 'Role.Path']],
          },
        ]);
      }),
      RUNS,
    );
  });

  it('the STS probe, run as written with only "docker compose exec api" taken away, prints the endpoint’s status', async () => {
    const server = createServer((_req, res) => {
      res.statusCode = 418;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const endpoint = `http://127.0.0.1:${port}/?a=$(: > ${CANARY})&b='"\`x\``;
      const command = commandOf('STS_UNREACHABLE', { evidence: { endpoint } }, 'docker compose exec');
      rmSync(join(work, CANARY), { force: true });
      const stdout = await new Promise<string>((resolve, reject) => {
        const child = spawn('/bin/sh', ['-c', `docker() { shift 3; "$@"; }\n${command}`], {
          cwd: work,
          env: { PATH: dirname(process.execPath) },
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
        });
        child.on('error', reject);
        child.on('close', () => resolve(out));
      });
      expect(stdout.trim()).toBe('418');
      expect(existsSync(join(work, CANARY))).toBe(false);
    } finally {
      server.close();
    }
  });

  // The table above names each generator; this sweep makes sure no command of any guidance entry,
  // in any deployment, runs anything when every value it can draw on is hostile.
  it('guidance for every code, flavour and credential source runs nothing but the programs it names', () => {
    const FLAVOURS: Flavour[] = ['self-hosted', 'hosted'];
    const SOURCES: CredentialSourceKind[] = ['sdk-default', 'access-keys'];
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 8, maxLength: 8 }), nameish, (values, name) => {
        const pick = (i: number) => values[i % values.length] ?? '';
        const evidence = Object.fromEntries(EVIDENCE_KEYS.map((k, i) => [k, pick(i)]));
        const request = {
          region: pick(1),
          roleArn: pick(2),
          externalId: pick(3),
          trustedAccountId: pick(4),
          iamPrincipal: pick(5),
          accountId: pick(6),
        };
        const callers = [
          pick(0),
          `arn:aws:iam::111122223333:user/${name}`,
          `arn:aws:sts::111122223333:assumed-role/${name}/s`,
        ];
        const commands = DIAGNOSIS_CODES.flatMap((code) =>
          FLAVOURS.flatMap((flavour) =>
            SOURCES.flatMap((sourceKind) =>
              callers.flatMap((callerArn) =>
                guidanceFor(code, {
                  flavour,
                  productName: 'Prowler',
                  sourceKind,
                  evidence: { ...evidence, callerArn },
                  request,
                }).steps.flatMap((s) => (s.command ? [s.command] : [])),
              ),
            ),
          ),
        );
        expect(commands.length).toBeGreaterThan(20);
        for (const shell of Object.keys(SHELLS) as Shell[]) {
          const r = run(shell, commands);
          expect(r.canary, `${shell}: a payload ran`).toBe(false);
          expect(r.stderr, shell).toBe('');
          expect(r.calls.length, shell).toBe(commands.length);
          for (const calls of r.calls) {
            expect(calls.length).toBeGreaterThan(0);
            for (const call of calls) expect(['aws', 'docker', 'date', 'sudo']).toContain(call[0]);
          }
        }
      }),
      { numRuns: 10 },
    );
  });
});
