import { doctorCommand, doctorTarget } from '../domain/diagnosis/doctor-command.ts';
import type { GuidanceStep, RenderedGuidance } from '../domain/diagnosis/guidance-schema.ts';
import { type VerifyReport, verifyReportSchema } from '../domain/diagnosis-contract.ts';
import { TEMPLATE_FILE_NAME } from '../domain/template/links.ts';
import { renderTemplate } from '../domain/template/role-template.ts';
import { DEMO_SCENARIO, type ScenarioInput } from '../sandbox/scenario.ts';
import { type AccountShell, applyFixSteps, type FixStep, FixStepError } from './fix-loop.ts';
import { call, type LiveStack, startLiveStack } from './live-stack.ts';

// The fix loop against the sandbox, as a newcomer meets it: verify through the server's API as the
// scanner; when AWS did not say why, run the trust doctor the report prints, as the target
// account's administrator with the aws CLI, and send its output back as roleEvidence; then apply
// every command of the report's guidance that runs in the target account, exactly as printed; and
// verify again. The demo scenario, without the propagation delay of run-time deployments (waiting
// is not what these loops test).

export const SCANNER_ACCOUNT = '111111111111';

/** What the user entered: step 3's trust settings, and step 4's session duration. */
export interface Declared {
  trustedAccountId?: string;
  iamPrincipal?: string;
  durationSeconds?: number;
}

/** Step 3 as the wizard fills it: the detected identity (the scanner's account, user/prowler-app). */
export const DEFAULTS: Declared = { trustedAccountId: SCANNER_ACCOUNT, iamPrincipal: 'user/prowler-app' };

export function loopScenario(): ScenarioInput {
  const s: ScenarioInput = structuredClone(DEMO_SCENARIO);
  s.faults = { ...s.faults, propagationDelayMs: 0 };
  return s;
}

export async function startLoopStack(): Promise<LiveStack> {
  return startLiveStack({ scenario: loopScenario(), proxy: false });
}

export const roleArnIn = (account: string) => `arn:aws:iam::${account}:role/ProwlerScan`;

/** POST /api/verify as the wizard sends it, with the doctor's output when there is some. */
export async function verify(
  stack: LiveStack,
  account: string,
  declared: Declared,
  roleEvidence?: string,
): Promise<VerifyReport> {
  const answer = await call(stack, '/api/verify', {
    source: { kind: 'sdk-default' },
    roleArn: roleArnIn(account),
    externalId: stack.externalId,
    ...declared,
    ...(roleEvidence === undefined ? {} : { roleEvidence }),
  });
  if (answer.status !== 200) throw new Error(`verify answered ${answer.status}: ${answer.text}`);
  return verifyReportSchema.parse(answer.body);
}

/** Every guidance the report carries: the diagnosis's, then each further finding's. */
export function guidancesOf(report: VerifyReport): RenderedGuidance[] {
  return [report.guidance, ...report.findingsGuidance];
}

/** The report's command steps that run with the target account's credentials, in order. */
export function targetCommands(report: VerifyReport): FixStep[] {
  return guidancesOf(report).flatMap((g) =>
    g.steps.flatMap((s) => (s.command && s.runIn === 'target-account' ? [toFix(s)] : [])),
  );
}

function toFix(step: GuidanceStep): FixStep {
  return { command: step.command ?? '', runIn: 'target-account' };
}

/**
 * The files the steps read: each value whose label is a file name (trust.json), and the template
 * as the wizard downloads it, with the values the user entered as its parameter defaults.
 */
export function filesOf(report: VerifyReport): Record<string, string> {
  const files: Record<string, string> = {
    [TEMPLATE_FILE_NAME]: renderTemplate(
      {
        externalId: report.request.externalId,
        ...(report.request.trustedAccountId ? { trustedAccountId: report.request.trustedAccountId } : {}),
        ...(report.request.iamPrincipal ? { iamPrincipal: report.request.iamPrincipal } : {}),
      },
      'yaml',
    ),
  };
  for (const g of guidancesOf(report))
    for (const s of g.steps)
      if (s.value && /\.(json|ya?ml)$/.test(s.value.label)) files[s.value.label] = s.value.value;
  return files;
}

/**
 * The trust doctor's command for the report's role (the one doctorCommand builds), and whether the
 * report's guidance prints it as a step (a suspected cause) or only the result step's doctor box
 * offers it (a confirmed cause the role's state can explain further).
 */
export function doctorStepOf(report: VerifyReport): { step: FixStep; inGuidance: boolean } | null {
  const target = doctorTarget(report.diagnosis.facts, report.request);
  if (!target) return null;
  const command = doctorCommand(target);
  const inGuidance = report.guidance.steps.some((s) => s.command === command && s.runIn === 'target-account');
  return { step: { command, runIn: 'target-account' }, inGuidance };
}

export function adminShell(stack: LiveStack, account: string): AccountShell {
  const spec = stack.sandbox.world.currentScenario.accounts[account]?.administrator;
  const key = spec?.accessKeys[0];
  if (!key) throw new Error(`Account ${account} has no administrator in the scenario.`);
  return {
    accessKeyId: key.id,
    secretAccessKey: key.secret,
    region: 'us-east-1',
    endpoint: stack.sandbox.url,
  };
}

/** Runs commands as the account's administrator; returns what each printed, or the first failure. */
export async function applyAsAdmin(
  stack: LiveStack,
  account: string,
  commands: FixStep[],
  files: Record<string, string> = {},
): Promise<{ stdout: string[]; failed: { index: number; command: string; stderr: string } | null }> {
  try {
    const results = await applyFixSteps(commands, {
      accounts: { 'target-account': adminShell(stack, account) },
      files,
    });
    return { stdout: results.map((r) => r.stdout), failed: null };
  } catch (e) {
    if (!(e instanceof FixStepError)) throw e;
    return {
      stdout: [],
      failed: { index: e.index, command: e.result.step.command, stderr: e.result.stderr },
    };
  }
}

export interface LoopOutcome {
  /** The first verification, with what the user entered and nothing else. */
  before: VerifyReport;
  /** Each candidate's check (a read-only command), run as the administrator when the first report was suspected. */
  checked: string[];
  /** The doctor's output, when the first report printed the doctor. */
  doctorOutput: string | null;
  /** The verification with the doctor's output as roleEvidence (null without a doctor). */
  withEvidence: VerifyReport | null;
  /** The commands applied as the administrator, exactly as the report printed them. */
  applied: string[];
  failed: { index: number; command: string; stderr: string } | null;
  /** The verification after the commands, with what the user entered. */
  after: VerifyReport;
}

/**
 * verify → (suspected: run each candidate's check; suspected, or `doctor: 'always'`: run the
 * doctor, verify with its output) → every
 * target-account command of the guidance → verify. `applied` feeds the coverage test: every fix
 * command the guidance prints for the demo rows must be among the commands some loop applied.
 */
export async function runLoop(
  stack: LiveStack,
  account: string,
  declared: Declared,
  options: { doctor?: 'when-suspected' | 'always' } = {},
): Promise<LoopOutcome> {
  const before = await verify(stack, account, declared);
  const doctor = doctorStepOf(before);
  let doctorOutput: string | null = null;
  let withEvidence: VerifyReport | null = null;
  let fixing = before;
  const wanted = before.diagnosis.confidence === 'suspected' || options.doctor === 'always';
  const checks = before.diagnosis.candidates.flatMap((c) =>
    c.check.command ? [{ command: c.check.command, runIn: 'target-account' as const }] : [],
  );
  for (const check of checks) {
    // A check answers either way: the role's policy, or NoSuchEntity (there is no such role).
    const { failed } = await applyAsAdmin(stack, account, [check]);
    if (failed && !/\(NoSuchEntity\)/.test(failed.stderr))
      throw new Error(`A candidate's check failed: ${failed.command}\n${failed.stderr}`);
  }
  if (doctor && wanted) {
    const ran = await applyAsAdmin(stack, account, [doctor.step]);
    if (ran.failed) throw new Error(`The doctor failed: ${ran.failed.stderr}`);
    doctorOutput = ran.stdout[0] ?? '';
    withEvidence = await verify(stack, account, declared, doctorOutput);
    fixing = withEvidence;
  }
  const commands = targetCommands(fixing);
  const { failed } = await applyAsAdmin(stack, account, commands, filesOf(fixing));
  return {
    before,
    checked: checks.map((c) => c.command),
    doctorOutput,
    withEvidence,
    applied: commands.map((c) => c.command),
    failed,
    after: await verify(stack, account, declared),
  };
}
