import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyAwsError } from '../domain/diagnosis/classify.ts';
import { diagnose } from '../domain/diagnosis/diagnose.ts';
import { doctorVerdict } from '../domain/diagnosis/doctor.ts';
import { doctorCommand } from '../domain/diagnosis/doctor-command.ts';
import type { RenderedGuidance } from '../domain/diagnosis/guidance-schema.ts';
import { parseRoleEvidence } from '../domain/diagnosis/role-evidence.ts';
import { renderTemplate, trustPolicyFor } from '../domain/template/role-template.ts';
import { runInProcess } from '../testing/cli-in-process.ts';
import { isolatedShell, keysEnv } from '../testing/cli-shell.ts';
import { type Moto, startMoto } from '../testing/moto.ts';
import { requireTool } from '../testing/tools.ts';
import { main } from './main.ts';

// `aws-connect doctor` against moto, an AWS implementation that is not ours: roles deployed
// misconfigured with the aws CLI (create-stack from the rendered template, or create-role), the
// doctor run with the account's credentials, its confirmed cause, then its fix commands applied
// with the aws CLI until the doctor admits the scanner. Moto does not enforce trust policies, which
// is fine: the doctor evaluates them itself. Moto cannot close the loop for a stack-managed trust
// policy (its update-stack leaves AssumeRolePolicyDocument as it was): that loop runs against the
// sandbox. The doctor's one shell command is run too, with sh, and gives the same verdict.

const ready = requireTool('moto_server') && requireTool('aws');
const ACCOUNT = '123456789012'; // moto's default account
const SCANNER = 'arn:aws:iam::111111111111:user/prowler-app';
const EXTERNAL_ID = 'moto-doctor-external-id-01';
const run = promisify(execFile);

let moto: Moto;
let dir = '';

function env(): NodeJS.ProcessEnv {
  return {
    ...isolatedShell(dir, moto.url),
    AWS_DEFAULT_REGION: 'us-east-1',
    ...keysEnv({ accessKeyId: 'AKIAADMINEXAMPLE0001', secretAccessKey: 'admin-secret-for-moto' }),
  };
}

/** A command string as the product prints it, run by sh with the target account's credentials. */
async function sh(command: string): Promise<string> {
  const { stdout } = await run('sh', ['-c', command], { env: env(), cwd: dir, timeout: 150_000 });
  return stdout;
}

async function aws(...args: string[]): Promise<void> {
  await run('aws', args, { env: env(), cwd: dir, timeout: 150_000 });
}

const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

async function deployStack(stack: string, role: string, params: Record<string, string>) {
  const file = join(dir, `${stack}.yaml`);
  writeFileSync(file, renderTemplate({ roleName: role }, 'yaml'));
  await aws(
    'cloudformation',
    'create-stack',
    '--stack-name',
    stack,
    '--template-body',
    `file://${file}`,
    '--capabilities',
    'CAPABILITY_NAMED_IAM',
    '--parameters',
    ...Object.entries(params).map(([k, v]) => `ParameterKey=${k},ParameterValue=${v}`),
  );
}

interface DoctorRun {
  code: number;
  stdout: string;
  stderr: string;
}

const doctor = (args: string[]): Promise<DoctorRun> => runInProcess(() => main(['doctor', ...args]), env());

const flags = (role: string, stack?: string) => [
  '--role-arn',
  roleArn(role),
  '--scanner-arn',
  SCANNER,
  '--external-id',
  EXTERNAL_ID,
  ...(stack ? ['--stack-name', stack] : []),
];

async function doctorJson(role: string, stack?: string) {
  const r = await doctor([...flags(role, stack), '--json']);
  const json = JSON.parse(r.stdout) as {
    verdict: { code: string; admitted: boolean; enforced: boolean | null; causes: string[] };
    guidance: RenderedGuidance | null;
  };
  return { exit: r.code, json, text: r.stdout };
}

/** Applies every command of the guidance, in order, as a user would paste them. */
async function applyFix(guidance: RenderedGuidance | null) {
  const commands = (guidance?.steps ?? []).filter((s) => s.command);
  expect(commands.length).toBeGreaterThan(0);
  for (const step of commands) {
    expect(step.runIn).toBe('target-account');
    await sh(step.command ?? '');
  }
}

beforeAll(async () => {
  if (!ready) return;
  dir = mkdtempSync(join(tmpdir(), 'aws-connect-doctor-'));
  // The fix commands deploy the downloaded template from the current folder.
  writeFileSync(join(dir, 'prowler-scan-role.yaml'), renderTemplate({}, 'yaml'));
  moto = await startMoto();
  await Promise.all([
    deployStack('PrincipalStack', 'ScanPrincipal', {
      ExternalId: EXTERNAL_ID,
      AccountId: '111111111111',
      IAMPrincipal: 'role/prowler*',
    }),
    deployStack('AccountStack', 'ScanAccount', {
      ExternalId: EXTERNAL_ID,
      AccountId: '121212121212',
      IAMPrincipal: 'user/prowler-app',
    }),
    deployStack('ExternalIdStack', 'ScanExternalId', {
      ExternalId: 'an-older-external-id-0001',
      AccountId: '111111111111',
      IAMPrincipal: 'user/prowler-app',
    }),
  ]);
}, 300_000);

afterAll(async () => {
  await moto?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!ready)('aws-connect doctor against moto', () => {
  it.each([
    ['ScanPrincipal', 'PrincipalStack', 'TRUST_PRINCIPAL_MISMATCH'],
    ['ScanAccount', 'AccountStack', 'TRUST_ACCOUNT_MISMATCH'],
    ['ScanExternalId', 'ExternalIdStack', 'EXTERNAL_ID_MISMATCH'],
  ])('%s (stack %s): %s, confirmed; the fix updates the stack', async (role, stack, code) => {
    const { exit, json, text } = await doctorJson(role, stack);
    expect(exit).toBe(1);
    expect(json.verdict).toMatchObject({ code, admitted: false });
    const first = json.guidance?.steps.find((s) => s.command);
    expect(first?.command).toMatch(
      new RegExp(
        `^aws cloudformation update-stack \\\\\\n  --region us-east-1 \\\\\\n  --stack-name ${stack} `,
      ),
    );
    expect(first?.runIn).toBe('target-account');
    // The --json output is accepted as role evidence, and says the same.
    const evidence = parseRoleEvidence(text);
    expect(evidence).toMatchObject({ ok: true, evidence: { found: true, arn: roleArn(role) } });
    const plain = await doctor(flags(role, stack));
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain(`The scanner would be refused: ${code} (confirmed from the role itself).`);
    expect(plain.stdout).toContain('Run with the target account’s credentials');
  });

  it('the one shell command prints what the doctor reads, accepted as role evidence, with the same verdict', async () => {
    const command = doctorCommand({
      roleName: 'ScanPrincipal',
      stackName: 'PrincipalStack',
      region: 'us-east-1',
    });
    const printed = await sh(command);
    // dash here, bash in CloudShell: the same bytes.
    const { stdout: inBash } = await run('bash', ['-c', command], { env: env(), cwd: dir, timeout: 150_000 });
    expect(inBash).toBe(printed);
    expect(printed.length).toBeLessThan(16_000);
    const parsed = parseRoleEvidence(printed);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.evidence).toMatchObject({
      found: true,
      arn: roleArn('ScanPrincipal'),
      stack: {
        name: 'PrincipalStack',
        status: 'CREATE_COMPLETE',
        parameters: { IAMPrincipal: 'role/prowler*' },
      },
      inlinePolicyNames: ['ProwlerScanAdditions'],
    });
    const cli = await doctorJson('ScanPrincipal', 'PrincipalStack');
    const verdict = doctorVerdict(parsed.evidence, {
      roleArn: roleArn('ScanPrincipal'),
      scannerArn: SCANNER,
      externalId: EXTERNAL_ID,
      stackName: 'PrincipalStack',
    });
    expect(verdict.code).toBe('TRUST_PRINCIPAL_MISMATCH');
    expect(verdict.causes).toEqual(cli.json.verdict.causes);
    const missing = parseRoleEvidence(
      await sh(doctorCommand({ roleName: 'NoSuchRole', stackName: 'NoSuchStack', region: 'us-east-1' })),
    );
    expect(missing).toMatchObject({
      ok: true,
      evidence: { found: false, name: 'NoSuchRole', stackError: 'ValidationError' },
    });
  });

  it('each candidate’s check is a command that runs against the role', async () => {
    const message = `User: ${SCANNER} is not authorized to perform: sts:AssumeRole on resource: ${roleArn('ScanPrincipal')}`;
    const d = diagnose({
      request: {
        sourceKind: 'sdk-default',
        roleArn: roleArn('ScanPrincipal'),
        externalId: EXTERNAL_ID,
        sessionName: 's',
        durationSeconds: 3600,
        trustedAccountId: '111111111111',
        iamPrincipal: 'role/prowler*',
        region: 'us-east-1',
        partition: 'aws',
      },
      timeoutMs: 10_000,
      source: { ok: true, value: null },
      caller: { ok: true, value: { arn: SCANNER, account: '111111111111' } },
      assume: {
        ok: false,
        failure: {
          error: classifyAwsError(Object.assign(new Error(message), { name: 'AccessDenied' })),
          attempts: 1,
        },
      },
      audit: null,
      enforcement: null,
    });
    const outputs = await Promise.all(d.candidates.map((c) => sh(c.check.command ?? 'false')));
    expect(outputs.join('\n')).toContain('arn:aws:iam::111111111111:role/prowler*');
    expect(outputs.join('\n')).toContain(EXTERNAL_ID);
    expect(outputs.join('\n')).toContain(roleArn('ScanPrincipal'));
  });

  it('no such role: ROLE_NOT_FOUND; its create-stack, then the missing policies, and the doctor admits the scanner', async () => {
    const first = await doctorJson('ProwlerScan', 'NotYetDeployed');
    expect(first).toMatchObject({ exit: 1, json: { verdict: { code: 'ROLE_NOT_FOUND' } } });
    await applyFix(first.json.guidance);
    // moto's CloudFormation does not attach ManagedPolicyArns: the doctor sees it and says how to attach them.
    const second = await doctorJson('ProwlerScan', 'NotYetDeployed');
    expect(second.json.verdict).toMatchObject({
      code: 'PERMISSIONS_INCOMPLETE',
      admitted: true,
      enforced: true,
    });
    await applyFix(second.json.guidance);
    const third = await doctorJson('ProwlerScan', 'NotYetDeployed');
    expect(third).toMatchObject({
      exit: 0,
      json: { verdict: { code: 'OK', admitted: true, enforced: true } },
    });
  });

  it.each([
    [
      'a trust policy without the External ID condition',
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' },
        ],
      },
      'EXTERNAL_ID_NOT_ENFORCED',
    ],
    [
      'a trust policy for another principal',
      trustPolicyFor({
        partition: 'aws',
        trustedAccountId: '111111111111',
        iamPrincipal: 'role/prowler*',
        externalId: EXTERNAL_ID,
      }),
      'TRUST_PRINCIPAL_MISMATCH',
    ],
  ])(
    'a role without a stack, %s: update-assume-role-policy, built for the scanner, then the policies',
    async (_label, policy, code) => {
      const name = code === 'EXTERNAL_ID_NOT_ENFORCED' ? 'HandMadeOpen' : 'HandMadePrincipal';
      await aws(
        'iam',
        'create-role',
        '--role-name',
        name,
        '--assume-role-policy-document',
        JSON.stringify(policy),
      );
      const first = await doctorJson(name, 'NoStackForIt');
      expect(first).toMatchObject({ exit: 1, json: { verdict: { code } } });
      const lead = first.json.guidance?.steps.find((s) => s.command)?.command ?? '';
      expect(lead).toMatch(
        new RegExp(`^aws iam update-assume-role-policy --role-name ${name} --policy-document '`),
      );
      await sh(lead);
      const second = await doctorJson(name, 'NoStackForIt');
      expect(second.json.verdict).toMatchObject({
        code: 'PERMISSIONS_INCOMPLETE',
        admitted: true,
        enforced: true,
      });
      await applyFix(second.json.guidance);
      expect(await doctorJson(name, 'NoStackForIt')).toMatchObject({
        exit: 0,
        json: { verdict: { code: 'OK' } },
      });
    },
  );

  it.each([
    [
      ['--role-arn', 'arn:aws:iam::1:role/x', '--scanner-arn', SCANNER, '--external-id', EXTERNAL_ID],
      /--role-arn: A role ARN looks like/,
    ],
    [
      ['--role-arn', roleArn('ScanPrincipal'), '--scanner-arn', 'prowler-app', '--external-id', EXTERNAL_ID],
      /--scanner-arn: The scanner ARN is an IAM user or role ARN/,
    ],
    [
      ['--role-arn', roleArn('ScanPrincipal'), '--scanner-arn', SCANNER],
      /--external-id: Enter the External ID/,
    ],
    [['--nope'], /Unknown option '--nope'/],
  ])('bad input %j: exit 2 and one line naming the flag', async (args, message) => {
    const r = await doctor(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
