import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Flavour } from './api-contract.ts';
import { suggestTrustSettings } from './arn.ts';
import { TRUST_SIDE_ORDER } from './diagnosis/candidates.ts';
import { isTrustSide } from './diagnosis/catalogue.ts';
import { DIAGNOSIS_CODES, type DiagnosisCode } from './diagnosis/codes.ts';
import { FACT_KEYS, type Fact, type FactKey, observed } from './diagnosis/evidence.ts';
import { type DiagnosisView, type GuidanceEnv, guidanceFor } from './diagnosis/guidance.ts';
import { STS_PROBE } from './diagnosis/guidance-deployment.ts';
import { DEPLOYMENTS } from './diagnosis/guidance-schema.ts';
import type { VerifyReport } from './diagnosis-contract.ts';
import { scannerCommand } from './exports.ts';
import type { CredentialSourceKind } from './inputs.ts';
import { shellCommand, shellQuote } from './shell-quote.ts';
import { createStackCommand, updateStackCommand } from './template/links.ts';
import { managedPolicyArns, trustPolicyFor } from './template/role-template.ts';

// Every command the product shows is run here through real shells (dash as sh, and bash) in
// which the programs it names (aws, docker, kubectl, node, npm, prowler, date, sudo, and the text
// tools the trust doctor and the template edit use: sed, tr, cut) are shell functions that only
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
const PROGRAMS = ['aws', 'docker', 'kubectl', 'node', 'npm', 'prowler', 'date', 'sudo', 'sed', 'tr', 'cut'];
// One printf per call, so calls made at once (the stages of a pipeline) never interleave: each
// argument ends with NUL, and the call with RS then NUL.
const PRELUDE = [
  `__rs=$(printf '\\036')`,
  `record() { printf '%s\\0' "$@" "$__rs" >> ${LOG}; }`,
  ...PROGRAMS.map((p) => `${p}() { record ${p} "$@"; }`),
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
        .split('\x1e\0')
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
const ENV: GuidanceEnv = {
  flavour: 'self-hosted',
  productName: 'Prowler',
  deployment: 'node',
  audience: 'web',
};

/** Facts by key, as AWS would have answered them (the source does not change what guidance reads). */
const factsOf = (values: Partial<Record<FactKey, string>>): Fact[] =>
  Object.entries(values).map(([k, v]) => observed(k as FactKey, v ?? '', 'test:Call', 'Field'));

function guidance(
  code: DiagnosisCode,
  values: Partial<Record<FactKey, string>>,
  over: Partial<DiagnosisView> = {},
  env: Partial<GuidanceEnv> = {},
) {
  const view: DiagnosisView = {
    code,
    confidence: 'confirmed',
    candidates: [],
    facts: factsOf(values),
    sourceKind: 'access-keys',
    request: { region: 'eu-west-1', roleArn: ROLE_ARN },
    ...over,
  };
  return guidanceFor(view, { ...ENV, ...env });
}
function commandsOf(
  code: DiagnosisCode,
  values: Partial<Record<FactKey, string>>,
  over: Partial<DiagnosisView> = {},
  env: Partial<GuidanceEnv> = {},
): string[] {
  return guidance(code, values, over, env).steps.flatMap((s) => (s.command ? [s.command] : []));
}
function commandOf(
  code: DiagnosisCode,
  values: Partial<Record<FactKey, string>>,
  startsWith: string,
  over: Partial<DiagnosisView> = {},
  env: Partial<GuidanceEnv> = {},
): string {
  const found = commandsOf(code, values, over, env).find((c) => c.startsWith(startsWith));
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

  it('guidance: the STS reachability probe passes the endpoint as an argument, not as script text, wherever the server runs', () => {
    const probe = (endpoint: string) => ['node', '-e', STS_PROBE, '--', endpoint];
    fc.assert(
      fc.property(hostile, (endpoint) => {
        expect(STS_PROBE).not.toContain(endpoint);
        const reach = (env: Partial<GuidanceEnv>, startsWith: string) =>
          commandOf('STS_UNREACHABLE', { endpoint }, startsWith, {}, env);
        expectRuns([
          {
            command: reach({ deployment: 'compose' }, 'docker compose exec'),
            calls: [['docker', 'compose', 'exec', 'api', ...probe(endpoint)]],
          },
          {
            command: reach({ deployment: 'kubernetes' }, 'kubectl exec'),
            calls: [
              [
                'kubectl',
                'exec',
                'deployment/my-deployment',
                '--namespace',
                'my-namespace',
                '--',
                ...probe(endpoint),
              ],
            ],
          },
          { command: reach({ deployment: 'node' }, 'node -e'), calls: [probe(endpoint)] },
          { command: reach({ audience: 'cli' }, 'node -e'), calls: [probe(endpoint)] },
        ]);
      }),
      RUNS,
    );
  });

  it('guidance: raising the session maximum in the stack, region, missing policies', () => {
    const duration = fc.oneof(
      hostile.map((value) => ({ value, max: '43200' })),
      fc.integer({ min: 3601, max: 43200 }).map((n) => ({ value: String(n), max: String(n) })),
    );
    fc.assert(
      fc.property(duration, hostile, hostile, ({ value, max }, region, partition) => {
        const request = { region, roleArn: ROLE_ARN };
        const raised = `prowler-scan-role-max-${max}.yaml`;
        const [edit, wait] = commandsOf('DURATION_EXCEEDS_MAX', { durationSeconds: value }, { request });
        expectRuns([
          {
            // Only digits reach sed's script, whatever the duration fact holds.
            command: edit ?? '',
            calls: [
              ['sed', `s/MaxSessionDuration: [0-9]*/MaxSessionDuration: ${max}/`, 'prowler-scan-role.yaml'],
              [
                'aws',
                'cloudformation',
                'update-stack',
                '--region',
                region,
                '--stack-name',
                'ProwlerScan',
                '--template-body',
                `file://${raised}`,
                '--capabilities',
                'CAPABILITY_NAMED_IAM',
                '--parameters',
                'ParameterKey=ExternalId,UsePreviousValue=true',
                'ParameterKey=AccountId,UsePreviousValue=true',
                'ParameterKey=IAMPrincipal,UsePreviousValue=true',
              ],
            ],
          },
          {
            command: wait ?? '',
            calls: [
              [
                'aws',
                'cloudformation',
                'wait',
                'stack-update-complete',
                '--region',
                region,
                '--stack-name',
                'ProwlerScan',
              ],
            ],
          },
          {
            command: commandOf('REGION_DISABLED', {}, 'aws account enable-region', { request }),
            calls: [['aws', 'account', 'enable-region', '--region-name', region]],
          },
          {
            command: commandOf(
              'PERMISSIONS_INCOMPLETE',
              { rolePartition: partition },
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
            command: commandOf('SOURCE_KEY_INVALID', { callerArn: userArn }, 'aws iam list'),
            calls: [['aws', 'iam', 'list-access-keys', '--user-name', user]],
          },
          {
            command: commandOf('SOURCE_KEY_INVALID', { callerArn: userArn }, 'aws iam create'),
            calls: [['aws', 'iam', 'create-access-key', '--user-name', user]],
          },
          {
            command: commandOf('TRUST_PRINCIPAL_MISMATCH', { callerArn: sessionArn }, 'aws iam get-role'),
            calls: [
              ['aws', 'iam', 'get-role', '--role-name', role, '--query', 'Role.Path', '--output', 'text'],
            ],
          },
          {
            command: commandOf('TRUST_ACCOUNT_MISMATCH', {}, 'aws cloudformation', {
              request: { region, roleArn: ROLE_ARN },
            }),
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
              { callerArn: userArn, roleArn },
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
              { policyType: 'service control policy', callerAccountId: account },
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
              { policyType: 'permissions boundary', callerArn: userArn },
              'aws iam get-user',
            ),
            calls: [['aws', 'iam', 'get-user', '--user-name', user, '--query', 'User.PermissionsBoundary']],
          },
        ]);
      }),
      RUNS,
    );
  });

  it('guidance: the trust fixes (the stack’s External ID, the trust policy for the observed caller, a new stack) and the role-path note', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, nameish, (externalId, region, stackName, role) => {
        const stackArgs = ['--region', region, '--stack-name', stackName];
        const waiter = (op: string) => [
          'aws',
          'cloudformation',
          'wait',
          `stack-${op}-complete`,
          ...stackArgs,
        ];
        const request = { region, roleArn: ROLE_ARN };
        const caller = 'arn:aws:iam::111122223333:user/prowler-app';
        // IAM reads "${" in a policy as a variable (an External ID's own alphabet has no "$"), and a
        // policy that would not admit the caller is never offered: keep the value literal here.
        const literalId = externalId.replaceAll('${', '$ {');
        const trust = trustPolicyFor({
          partition: 'aws',
          trustedAccountId: '111122223333',
          iamPrincipal: 'user/prowler-app',
          externalId: literalId,
        });
        const note =
          suggestTrustSettings(`arn:aws:sts::111122223333:assumed-role/${role}/s`)?.notes.at(-1) ?? '';
        const marker = '(see it with: ';
        const mismatch = commandsOf('EXTERNAL_ID_MISMATCH', { externalId, stackName }, { request });
        const enforce = commandsOf(
          'EXTERNAL_ID_NOT_ENFORCED',
          { externalId: literalId, stackName, callerArn: caller },
          { request },
        );
        const missing = commandsOf(
          'ROLE_NOT_FOUND',
          { externalId, stackName, callerArn: caller, stackStatus: 'ROLLBACK_COMPLETE' },
          { request },
        );
        expect(mismatch).toHaveLength(2);
        expect(enforce).toHaveLength(2);
        expect(missing).toHaveLength(4);
        expectRuns([
          {
            command: mismatch[0] ?? '',
            calls: [
              [
                'aws',
                'cloudformation',
                'update-stack',
                ...stackArgs,
                '--use-previous-template',
                '--capabilities',
                'CAPABILITY_NAMED_IAM',
                '--parameters',
                param('ExternalId', externalId),
                'ParameterKey=AccountId,UsePreviousValue=true',
                'ParameterKey=IAMPrincipal,UsePreviousValue=true',
              ],
            ],
          },
          { command: mismatch[1] ?? '', calls: [waiter('update')] },
          {
            command: enforce[0] ?? '',
            calls: [
              [
                'aws',
                'iam',
                'update-assume-role-policy',
                '--role-name',
                ROLE_NAME,
                '--policy-document',
                { json: trust },
              ],
            ],
          },
          {
            command: enforce[1] ?? '',
            calls: [['aws', 'cloudformation', 'detect-stack-drift', ...stackArgs]],
          },
          {
            command: missing[0] ?? '',
            calls: [['aws', 'cloudformation', 'delete-stack', ...stackArgs]],
          },
          { command: missing[1] ?? '', calls: [waiter('delete')] },
          {
            command: missing[2] ?? '',
            calls: [
              [
                'aws',
                'cloudformation',
                'create-stack',
                ...stackArgs,
                '--template-body',
                'file://prowler-scan-role.yaml',
                '--capabilities',
                'CAPABILITY_NAMED_IAM',
                '--parameters',
                param('ExternalId', externalId),
                param('AccountId', '111122223333'),
                param('IAMPrincipal', 'user/prowler-app'),
              ],
            ],
          },
          { command: missing[3] ?? '', calls: [waiter('create')] },
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
      const command = commandOf(
        'STS_UNREACHABLE',
        { endpoint },
        'docker compose exec',
        {},
        { deployment: 'compose' },
      );
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

  // The tables above name each generator; this sweep makes sure no command of any guidance entry,
  // in any flavour, deployment, audience and credential source, confirmed or suspected (the trust
  // doctor), runs anything when every fact, the request and the caller are hostile.
  it('guidance for every code, flavour, deployment, audience and credential source runs nothing but the programs it names', () => {
    const FLAVOURS: Flavour[] = ['self-hosted', 'hosted'];
    const SOURCES: CredentialSourceKind[] = ['sdk-default', 'access-keys'];
    const AUDIENCES: GuidanceEnv['audience'][] = ['web', 'cli'];
    /** A command that only sets a variable for the commands after it makes no call; nothing else may. */
    const assignment = /^export [A-Z_]+=[\w.-]+$/;
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 8, maxLength: 8 }), nameish, (values, name) => {
        const pick = (i: number) => values[i % values.length] ?? '';
        const hostileFacts = FACT_KEYS.filter((k) => k !== 'callerArn').map((k, i) =>
          observed(k, pick(i), pick(i + 1), pick(i + 2)),
        );
        // The trust doctor needs a role ARN it can parse; everything else stays hostile.
        const withRole = [
          ...hostileFacts.filter((f) => f.key !== 'roleArn'),
          observed('roleArn', ROLE_ARN, 'test:Call', 'Field'),
        ];
        const request = {
          region: pick(1),
          roleArn: pick(2),
          externalId: pick(3),
          trustedAccountId: pick(4),
          iamPrincipal: pick(5),
          accountId: pick(6),
          stackName: pick(7),
        };
        const userArn = `arn:aws:iam::111122223333:user/${name}`;
        const sessionArn = `arn:aws:sts::111122223333:assumed-role/${name}/s`;
        const callerOf = (arn: string) => ({
          arn,
          account: pick(0),
          userId: pick(1),
          principalArn: pick(2),
          pathUnknown: true,
        });
        // The caller as a fact, or only as the report's caller object.
        const callers: Pick<DiagnosisView, 'facts' | 'caller'>[] = [hostileFacts, withRole].flatMap(
          (facts) => [
            ...[pick(0), userArn, sessionArn].map((arn) => ({
              facts: [...facts, observed('callerArn', arn, 'sts:GetCallerIdentity', 'Arn')],
              caller: callerOf(pick(3)),
            })),
            { facts, caller: callerOf(userArn) },
            { facts, caller: callerOf(sessionArn) },
          ],
        );
        const views = DIAGNOSIS_CODES.flatMap((code) =>
          SOURCES.flatMap((sourceKind) =>
            callers.flatMap((caller) =>
              (isTrustSide(code) ? (['confirmed', 'suspected'] as const) : (['confirmed'] as const)).map(
                (confidence): DiagnosisView => ({
                  code,
                  confidence,
                  candidates:
                    confidence === 'suspected'
                      ? TRUST_SIDE_ORDER.map((c) => ({
                          code: c,
                          title: pick(3),
                          why: pick(4),
                          check: { text: pick(5), command: pick(6) },
                        }))
                      : [],
                  sourceKind,
                  request,
                  awsError: { call: pick(5), code: pick(6), message: pick(7) },
                  ...caller,
                }),
              ),
            ),
          ),
        );
        const commands = new Set<string>();
        for (const view of views)
          for (const flavour of FLAVOURS)
            for (const deployment of DEPLOYMENTS)
              for (const audience of AUDIENCES)
                for (const step of guidanceFor(view, {
                  flavour,
                  productName: 'Prowler',
                  deployment,
                  audience,
                }).steps)
                  if (step.command) commands.add(step.command);
        const list = [...commands];
        expect(list.length).toBeGreaterThan(40);
        expect(list.some((c) => c.includes('"awsConnectDoctor"'))).toBe(true);
        for (const shell of Object.keys(SHELLS) as Shell[]) {
          const r = run(shell, list);
          expect(r.canary, `${shell}: a payload ran`).toBe(false);
          expect(r.stderr, shell).toBe('');
          expect(r.calls.length, shell).toBe(list.length);
          r.calls.forEach((calls, i) => {
            if (!assignment.test(list[i] ?? '')) expect(calls.length, list[i]).toBeGreaterThan(0);
            for (const call of calls) expect(PROGRAMS, list[i]).toContain(call[0]);
          });
        }
      }),
      { numRuns: 10 },
    );
  });
});
