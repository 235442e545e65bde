import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../testing/cli-in-process.ts';
import { runCli } from '../testing/cli-process.ts';
import { main } from './main.ts';

// Issue 8, "Bad input: CLI": bad flags and bad files give exit 2 and a one-line message on
// stderr (no stack trace, no usage dump). The table spawns the real binary as a user would; the
// property then drives main() in-process with random argv, which is cheap enough to run hundreds.

const ROLE = 'arn:aws:iam::222222222222:role/ProwlerScan';
const CALLER = 'arn:aws:iam::111111111111:user/prowler-app';
const GOOD_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 'sts:AssumeRole' }],
});

let dir = '';
const file = (name: string) => join(dir, name);
let tried = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aws-connect-cli-fuzz-'));
  writeFileSync(file('good.json'), GOOD_POLICY);
  writeFileSync(file('empty.json'), '');
  writeFileSync(file('invalid.json'), '{"Statement": [');
  writeFileSync(file('array.json'), '[]');
  writeFileSync(file('binary.bin'), Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80, 0x7b]));
  writeFileSync(file('scenario-invalid.json'), '{"accounts": {"12": {"users": "nope"}}}');
  writeFileSync(file('empty-aws-config'), '');
  mkdirSync(file('a-directory'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  console.log(`[fuzz] cli: ${tried} argument lists`);
});

/** An environment with no AWS identity and no way out: nothing here may reach AWS. */
function isolatedEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: dir,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: file('empty-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: file('empty-aws-config'),
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9', // discard port: nothing listens
    AWS_CONNECT_DATA_DIR: join(dir, 'data'),
    ...extra,
  };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const spawned = (args: string[], env: NodeJS.ProcessEnv): Promise<Run> =>
  runCli(args, { env, killAfterMs: 60_000 });

function expectOneLineError(run: Run, mentions?: RegExp) {
  const lines = run.stderr.trimEnd().split('\n');
  expect(run.code, `stderr: ${run.stderr}\nstdout: ${run.stdout.slice(0, 500)}`).toBe(2);
  expect(lines, 'exactly one line on stderr').toHaveLength(1);
  expect(lines[0]!.trim().length).toBeGreaterThan(10);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  if (mentions) expect(run.stderr).toMatch(mentions);
}

const VERIFY_OK = ['verify', '--role-arn', ROLE, '--external-id', 'ext-0123456789'];

/** [argv, what the message should mention, extra env]. */
const CASES: Array<[string[], RegExp | undefined, Record<string, string>?]> = [
  [['frobnicate'], /frobnicate/],
  [['verify'], /role-arn|external-id/i],
  [['verify', '--role-arn'], /role-arn/i],
  [['verify', '--role-arn', 'not-an-arn', '--external-id', 'ext-0123456789'], /role/i],
  [['verify', '--role-arn', ROLE, '--external-id', 'x'], /external/i],
  [['verify', '--role-arn', ROLE, '--external-id', 'bad id with spaces'], /external/i],
  [[...VERIFY_OK, '--duration', 'abc'], /duration/i],
  [[...VERIFY_OK, '--duration', '60'], /duration|900/i],
  [[...VERIFY_OK, '--duration', '1e9'], /duration|43200/i],
  [[...VERIFY_OK, '--region', 'Mars'], /region/i],
  [[...VERIFY_OK, '--iam-principal', 'group/x'], /principal/i],
  [[...VERIFY_OK, '--trusted-account-id', '1234'], /account/i],
  [[...VERIFY_OK, '--account-id', 'abc'], /account/i],
  [[...VERIFY_OK, '--session-name', 'x'], /session/i],
  [[...VERIFY_OK, '--no-such-flag'], /no-such-flag/],
  [['trust'], undefined],
  [['trust', 'frobnicate'], /frobnicate/],
  [['trust', 'evaluate'], /policy/i],
  [
    ['trust', 'evaluate', '--policy', '/nonexistent/policy.json', '--principal-arn', CALLER],
    /nonexistent|not found|no such/i,
  ],
  [['trust', 'evaluate', '--policy', '@dir', '--principal-arn', CALLER], /director|EISDIR|read/i],
  [['trust', 'evaluate', '--policy', '@empty.json', '--principal-arn', CALLER], /empty|JSON/i],
  [['trust', 'evaluate', '--policy', '@invalid.json', '--principal-arn', CALLER], /JSON/i],
  [['trust', 'evaluate', '--policy', '@binary.bin', '--principal-arn', CALLER], /JSON/i],
  [['trust', 'evaluate', '--policy', '@array.json', '--principal-arn', CALLER], /object|Statement/i],
  [['trust', 'evaluate', '--policy', '@good.json'], /principal/i],
  [['trust', 'evaluate', '--policy', '@good.json', '--principal-arn', 'garbage'], /principal|ARN/i],
  [
    ['trust', 'evaluate', '--policy', '@good.json', '--principal-arn', CALLER, '--context', 'novalue'],
    /context/i,
  ],
  [['trust', 'evaluate', '--policy', '@good.json', '--principal-arn', CALLER, '--bogus'], /bogus/],
  [['template', '--format', 'xml'], /format/i],
  [['template', '--external-id', 'a'], /external/i],
  [['template', '--trusted-account-id', '123'], /account/i],
  [['template', '--iam-principal', 'group/x'], /principal/i],
  [['template', '--role-name', 'bad name!'], /role/i],
  [['template', '--bogus'], /bogus/],
  [['sandbox', '--port', 'abc'], /port/i],
  [['sandbox', '--port', '70000'], /port/i],
  // --port 0 / PORT=0: should a bad flag be ignored and a server start, it takes a free port.
  [['sandbox', '--port', '0', '--scenario', '/nonexistent/scenario.json'], /nonexistent|not found|no such/i],
  [['sandbox', '--port', '0', '--scenario', '@invalid.json'], /JSON|scenario/i],
  [['sandbox', '--port', '0', '--scenario', '@scenario-invalid.json'], /scenario|account|users/i],
  [['sandbox', '--port', '0', '--bogus'], /bogus/],
  [['serve', '--bogus'], /bogus/, { PORT: '0' }],
  [['serve'], /PORT/, { PORT: 'not-a-port' }],
  [['serve'], /AWS_CONNECT_AWS_TIMEOUT_MS/, { AWS_CONNECT_AWS_TIMEOUT_MS: '-5' }],
];

function resolveArgs(args: string[]): string[] {
  return args.map((a) => (a === '@dir' ? file('a-directory') : a.startsWith('@') ? file(a.slice(1)) : a));
}

/** main() in this process, stdout and stderr captured: the same code without the cost of a spawn. */
const inThisProcess = (args: string[]): Promise<Run> => runInProcess(() => main(args));

/**
 * Spawning goes through bin/aws-connect.js and tsx, as a user runs it, but costs a second or more
 * each on two cores: one case per command and kind of file, plus what needs its own environment.
 * The other cases run main() in-process.
 */
const SPAWNED = new Set(
  [
    ['frobnicate'],
    ['verify'],
    [...VERIFY_OK, '--duration', 'abc'],
    ['trust', 'evaluate', '--policy', '/nonexistent/policy.json', '--principal-arn', CALLER],
    ['trust', 'evaluate', '--policy', '@binary.bin', '--principal-arn', CALLER],
    ['template', '--format', 'xml'],
    ['sandbox', '--port', 'abc'],
    ['sandbox', '--port', '0', '--scenario', '@scenario-invalid.json'],
  ].map((args) => JSON.stringify(args)),
);
const spawnedCases = CASES.filter(([args, , env]) => env !== undefined || SPAWNED.has(JSON.stringify(args)));
const inProcessCases = CASES.filter((c) => !spawnedCases.includes(c));

describe('aws-connect with bad flags and bad files (spawned binary)', () => {
  it.concurrent.each(spawnedCases)('%j', { timeout: 180_000 }, async (args, mentions, env) => {
    tried++;
    const run = await spawned(resolveArgs(args), isolatedEnv(env));
    expectOneLineError(run, mentions);
  });

  it('a policy file nested 100000 deep is answered (deny or refused), not a crash', {
    timeout: 120_000,
  }, async () => {
    tried++;
    const deep = `{"Statement":{"Effect":"Allow","Principal":"*","Action":${'['.repeat(100_000)}"sts:AssumeRole"${']'.repeat(100_000)}}}`;
    writeFileSync(file('deep.json'), deep);
    const run = await spawned(
      ['trust', 'evaluate', '--policy', file('deep.json'), '--principal-arn', CALLER],
      isolatedEnv(),
    );
    expect([1, 2], run.stderr).toContain(run.code);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stderr).not.toMatch(/RangeError|Maximum call stack/);
  });
});

describe('the other bad flags and files (main() in-process)', () => {
  it.each(inProcessCases)('%j', async (args, mentions) => {
    tried++;
    expectOneLineError(await inThisProcess(resolveArgs(args)), mentions);
  });
});

describe('main() with random argument lists (in-process)', () => {
  const tokens = () =>
    fc.constantFrom(
      '--policy',
      file('good.json'),
      file('invalid.json'),
      file('a-directory'),
      '/nonexistent',
      '--principal-arn',
      CALLER,
      'arn:aws:sts::111111111111:assumed-role/prowler-worker/s',
      'garbage',
      '--external-id',
      'ext-0123456789',
      '--context',
      'aws:PrincipalTag/team=sec',
      '=',
      '--json',
      '--format',
      'yaml',
      'json',
      'xml',
      '--iam-principal',
      'role/prowler*',
      '--role-name',
      '--trusted-account-id',
      '123456789012',
      '--help',
      '-h',
      '--',
      '',
      '--policy=',
      '\u0000',
    );
  const argv = fc.tuple(
    fc.constantFrom(['trust', 'evaluate'], ['template'], ['trust']),
    fc.array(tokens(), { maxLength: 8 }),
  );

  it('always returns 0, 1 or 2; a 2 comes with exactly one line on stderr', async () => {
    await fc.assert(
      fc.asyncProperty(argv, async ([command, rest]) => {
        tried++;
        const { code, stdout, stderr } = await inThisProcess([...command, ...rest]);
        const args = JSON.stringify([...command, ...rest]);
        expect([0, 1, 2], args).toContain(code);
        if (code === 2 && !rest.some((t) => t === '--help' || t === '-h')) {
          expect(stderr.trimEnd().split('\n'), `${args}\n${stderr}`).toHaveLength(1);
        }
        if (code !== 2) expect(stdout.length, args).toBeGreaterThan(0);
        expect(stderr).not.toMatch(/^\s+at /m);
      }),
      { numRuns: 300 },
    );
  });
});
