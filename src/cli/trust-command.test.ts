import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { trustPolicyFor } from '../domain/template/role-template.ts';
import { parsePolicyText } from '../domain/trust/evaluate.ts';
import { MAX_POLICY_CHARS, MAX_POLICY_TEXT_CHARS } from '../domain/trust/limits.ts';
import { runCli } from '../testing/cli-process.ts';
import { runTrustCommand } from './trust-command.ts';

// `aws-connect trust evaluate` as a user runs it (the real binary), plus the bad-input table
// in-process. Exit 0 allow, 1 deny, 2 bad input with one line on stderr.

const EXT = 'ext-7f3a9c2e1b';
const TEMPLATE_POLICY = trustPolicyFor({
  partition: 'aws',
  trustedAccountId: '111122223333',
  iamPrincipal: 'role/prowler*',
  externalId: EXT,
});

let dir = '';
const file = (name: string) => join(dir, name);
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aws-connect-trust-'));
  writeFileSync(file('trust.json'), JSON.stringify(TEMPLATE_POLICY, null, 2));
  writeFileSync(
    file('get-role.json'),
    JSON.stringify({ Role: { RoleName: 'ProwlerScan', AssumeRolePolicyDocument: TEMPLATE_POLICY } }),
  );
  writeFileSync(
    file('tags.json'),
    JSON.stringify({
      Statement: {
        Effect: 'Allow',
        Principal: { AWS: '111122223333' },
        Action: 'sts:AssumeRole',
        Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] } },
      },
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Larger than any policy IAM accepts (limits.ts), and text longer than the evaluator parses. */
const OVERSIZE = JSON.stringify({ ...TEMPLATE_POLICY, Id: 'x'.repeat(MAX_POLICY_CHARS) });
const OVERLONG = `${JSON.stringify(TEMPLATE_POLICY)}${' '.repeat(MAX_POLICY_TEXT_CHARS)}`;
/** `*a*a*…*b` at the size bound: a backtracking matcher would never finish it. */
const CRAFTED = JSON.stringify({
  Version: '2012-10-17',
  Statement: {
    Effect: 'Allow',
    Principal: { AWS: '111122223333' },
    Action: 'sts:AssumeRole',
    Condition: {
      StringLike: { 'aws:PrincipalArn': [`${'*a'.repeat(4_000)}*b`, `${'*a'.repeat(900)}*b`] },
    },
  },
});
beforeAll(() => {
  writeFileSync(file('oversize.json'), OVERSIZE);
  writeFileSync(file('overlong.json'), OVERLONG);
  writeFileSync(file('crafted.json'), CRAFTED);
});

const cli = (args: string[], stdin?: string) => runCli(args, stdin === undefined ? {} : { stdin });

const evaluateArgs = (principalArn: string, ...more: string[]) => [
  'trust',
  'evaluate',
  '--policy',
  file('trust.json'),
  '--principal-arn',
  principalArn,
  ...more,
];

describe('aws-connect trust evaluate (spawned)', () => {
  it('allows the template’s caller: exit 0 and a readable explanation', async () => {
    const r = await cli(
      evaluateArgs('arn:aws:sts::111122223333:assumed-role/prowler-scanner/s1', '--external-id', EXT),
    );
    expect(r.stderr).toBe('');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Decision: ALLOW/);
    expect(r.stdout).toContain(
      'Caller aws:PrincipalArn: arn:aws:iam::111122223333:role/prowler-scanner (from arn:aws:sts::111122223333:assumed-role/prowler-scanner/s1)',
    );
    expect(r.stdout).toContain('✓ StringLike aws:PrincipalArn');
  }, 30_000);

  it('denies with the mismatching values side by side: exit 1', async () => {
    const r = await cli(
      evaluateArgs('arn:aws:iam::111122223333:user/prowler-app', '--external-id', 'wrong-id'),
    );
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^Decision: DENY \(no Allow statement applies\)/);
    expect(r.stdout).toContain(
      ['  ✗ StringEquals sts:ExternalId', `      policy:  ${EXT}`, '      request: wrong-id'].join('\n'),
    );
    expect(r.stdout).toContain(
      [
        '  ✗ StringLike aws:PrincipalArn',
        '      policy:  arn:aws:iam::111122223333:role/prowler*',
        '      request: arn:aws:iam::111122223333:user/prowler-app',
      ].join('\n'),
    );
  }, 30_000);

  it('--json prints one object with the decision and the per-statement explanation', async () => {
    const r = await cli(evaluateArgs('arn:aws:sts::111122223333:assumed-role/prowler-x/s', '--json'));
    expect(r.code, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.decision).toBe('deny');
    expect(out.principalArn).toBe('arn:aws:iam::111122223333:role/prowler-x');
    expect(out.pathUnknown).toBe(true);
    expect(out.statements[0].conditions[0]).toMatchObject({
      key: 'sts:ExternalId',
      requestValue: null,
      matched: false,
      note: 'sts:ExternalId is missing from the request',
    });
  }, 30_000);

  it('reads the policy from stdin and unwraps aws iam get-role output', async () => {
    const fromStdin = await cli(
      [
        'trust',
        'evaluate',
        '--policy',
        '-',
        '--principal-arn',
        'arn:aws:iam::111122223333:role/prowler',
        '--external-id',
        EXT,
      ],
      JSON.stringify({ Role: { AssumeRolePolicyDocument: TEMPLATE_POLICY } }),
    );
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    const fromFile = await cli([
      'trust',
      'evaluate',
      '--policy',
      file('get-role.json'),
      '--principal-arn',
      'arn:aws:iam::111122223333:role/prowler',
      '--external-id',
      EXT,
    ]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
  }, 30_000);

  it('repeated --context keys are one multi-valued key', async () => {
    const args = [
      'trust',
      'evaluate',
      '--policy',
      file('tags.json'),
      '--principal-arn',
      'arn:aws:iam::111122223333:user/u',
    ];
    const ok = await cli([
      ...args,
      '--context',
      'aws:TagKeys=team',
      '--context',
      'aws:tagkeys=env',
      '--json',
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).statements[0].conditions[0].requestValue).toEqual(['team', 'env']);
    const no = await cli([...args, '--context', 'aws:TagKeys=team', '--context', 'aws:TagKeys=cost']);
    expect(no.code, no.stderr).toBe(1);
  }, 30_000);

  it('refuses a document larger than IAM allows with the evaluator’s sentence: exit 2', async () => {
    const r = await cli(evaluateArgs('arn:aws:iam::111122223333:user/u').with(3, file('oversize.json')));
    expect(r.code, r.stderr).toBe(2);
    const expected = parsePolicyText(OVERSIZE);
    expect('error' in expected).toBe(true);
    expect(r.stderr).toBe(`aws-connect trust: ${'error' in expected ? expected.error : ''}\n`);
  }, 30_000);

  it('answers a crafted StringLike pattern at the size bound', async () => {
    const args = (arn: string) => evaluateArgs(arn).with(3, file('crafted.json'));
    const no = await cli(args(`arn:aws:iam::111122223333:user/${'a'.repeat(1_900)}`));
    expect(no.code, no.stderr).toBe(1);
    const yes = await cli(args(`arn:aws:iam::111122223333:user/${'a'.repeat(1_900)}b`));
    expect(yes.code, yes.stderr).toBe(0);
  }, 30_000);

  it('bad input: exit 2 and one line on stderr', async () => {
    const r = await cli([
      'trust',
      'evaluate',
      '--policy',
      file('trust.json'),
      '--principal-arn',
      'arn:aws:s3:::bucket',
    ]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^aws-connect trust: --principal-arn .* not a principal ARN/),
    ]);
  }, 30_000);
});

describe('a trust policy that admits anyone', () => {
  const ANYONE = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }],
  };
  const STRANGER = 'arn:aws:iam::999999999999:user/someone-else';

  it('is allowed, with a warning in the text output', async () => {
    const r = await cli(
      ['trust', 'evaluate', '--policy', '-', '--principal-arn', STRANGER],
      JSON.stringify(ANYONE),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([
      'Decision: ALLOW (an Allow statement applies and no Deny does)',
      'Warning: Statement 1 allows Principal "*" with no condition: anyone with an AWS account can assume this role.',
    ]);
  }, 30_000);

  it('--json carries the warning too, whatever the decision', async () => {
    const deny = {
      Statement: [{ ...ANYONE.Statement[0], Condition: { StringEquals: { 'sts:ExternalId': 'e' } } }],
    };
    const r = await cli(
      ['trust', 'evaluate', '--policy', '-', '--principal-arn', STRANGER, '--json'],
      JSON.stringify(deny),
    );
    expect(r.code, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.decision).toBe('deny');
    expect(out.warnings).toEqual([expect.objectContaining({ code: 'PRINCIPAL_ANYONE', statement: 1 })]);
  }, 30_000);

  it('the template’s own policy has none', async () => {
    const r = await cli([
      ...evaluateArgs('arn:aws:iam::111122223333:role/prowler-x', '--external-id', EXT),
      '--json',
    ]);
    expect(JSON.parse(r.stdout).warnings).toEqual([]);
  }, 30_000);
});

describe('runTrustCommand with bad input (in-process)', () => {
  it.each([
    [[], /missing subcommand/],
    [['simulate'], /unknown subcommand "simulate"/],
    [['evaluate'], /--policy FILE is required/],
    [['evaluate', '--policy', '@trust.json'], /--principal-arn ARN is required/],
    [
      ['evaluate', '--policy', '/nonexistent.json', '--principal-arn', 'arn:aws:iam::111122223333:root'],
      /no such file/,
    ],
    [['evaluate', '--policy', '@', '--principal-arn', 'arn:aws:iam::111122223333:root'], /is a directory/],
    [['evaluate', '--policy', '@trust.json', '--principal-arn', 'nope'], /not a principal ARN/],
    [
      [
        'evaluate',
        '--policy',
        '@trust.json',
        '--principal-arn',
        'arn:aws:iam::111122223333:root',
        '--context',
        'k',
      ],
      /KEY=VALUE/,
    ],
    [
      [
        'evaluate',
        '--policy',
        '@trust.json',
        '--principal-arn',
        'arn:aws:iam::111122223333:root',
        '--context',
        '=v',
      ],
      /KEY=VALUE/,
    ],
    [
      [
        'evaluate',
        '--policy',
        '@trust.json',
        '--principal-arn',
        'arn:aws:iam::111122223333:root',
        '--frobnicate',
      ],
      /frobnicate/,
    ],
    [['evaluate', '--policy'], /--policy/],
    [
      ['evaluate', '--policy', '@oversize.json', '--principal-arn', 'arn:aws:iam::111122223333:root'],
      /more than 10,240 characters \(white space not counted\)/,
    ],
    [
      ['evaluate', '--policy', '@overlong.json', '--principal-arn', 'arn:aws:iam::111122223333:root'],
      /reads at most 100,000/,
    ],
    [
      [
        'evaluate',
        '--policy',
        '@trust.json',
        '--principal-arn',
        `arn:aws:iam::111122223333:user/${'u'.repeat(2_100)}`,
      ],
      /caller ARN is 2,131 characters; the evaluator takes at most 2,048/,
    ],
    [
      [
        'evaluate',
        '--policy',
        '@trust.json',
        '--principal-arn',
        'arn:aws:iam::111122223333:root',
        '--external-id',
        'e'.repeat(2_049),
      ],
      /sts:ExternalId is 2,049 characters/,
    ],
  ])('%j', async (argv, message) => {
    const args = argv.map((a) => (a.startsWith('@') ? file(a.slice(1)) : a));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await runTrustCommand(args)).toBe(2);
      const text = err.mock.calls.map((c) => String(c[0])).join('');
      expect(text).toMatch(message);
      expect(text.trimEnd().split('\n')).toHaveLength(1);
      expect(out).not.toHaveBeenCalled();
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
  });

  it('a policy that is JSON but not a policy is bad input; a broken policy is a deny with reasons', async () => {
    writeFileSync(file('list.json'), '[]');
    writeFileSync(file('nostatement.json'), '{"Version":"2012-10-17"}');
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let stdout = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((c) => {
      stdout += String(c);
      return true;
    });
    try {
      const caller = ['--principal-arn', 'arn:aws:iam::111122223333:root'];
      expect(await runTrustCommand(['evaluate', '--policy', file('list.json'), ...caller])).toBe(2);
      expect(await runTrustCommand(['evaluate', '--policy', file('nostatement.json'), ...caller])).toBe(1);
      expect(stdout).toContain('Problems with the policy:\n  - The policy has no Statement');
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
  });
});
