import { type VerifyReport, verifyReportSchema } from '../domain/api-contract.ts';
import { type GuidanceStep, guidanceFor } from '../domain/diagnosis/guidance.ts';
import { TEMPLATE_FILE_NAME } from '../domain/template/links.ts';
import { renderTemplate } from '../domain/template/role-template.ts';
import { DEMO_SCENARIO, type ScenarioInput } from '../sandbox/scenario.ts';
import { type AccountShell, applyFixSteps, type FixStep, FixStepError } from './fix-loop.ts';
import { call, type LiveStack, startLiveStack } from './live-stack.ts';

// The fix loop against the sandbox: verify through the server's API as the scanner, take the
// guidance the product shows for the report, apply its commands as the target account's
// administrator with the aws CLI, verify again. The demo scenario, without the propagation
// delay of run-time deployments (waiting is not what these loops test).

export const SCANNER_ACCOUNT = '111111111111';

/** What the user entered: step 3's trust settings, and step 4's session duration. */
export interface Declared {
  trustedAccountId?: string;
  iamPrincipal?: string;
  durationSeconds?: number;
}

/** The wizard's defaults: no AccountId, IAMPrincipal role/prowler*. */
export const DEFAULTS: Declared = { iamPrincipal: 'role/prowler*' };
/** "Use detected identity": the scanner's account and user/prowler-app. */
export const DETECTED: Declared = { trustedAccountId: SCANNER_ACCOUNT, iamPrincipal: 'user/prowler-app' };

export function loopScenario(): ScenarioInput {
  const s: ScenarioInput = structuredClone(DEMO_SCENARIO);
  s.faults = { ...s.faults, propagationDelayMs: 0 };
  return s;
}

export async function startLoopStack(): Promise<LiveStack> {
  return startLiveStack({ scenario: loopScenario(), proxy: false });
}

export const roleArnIn = (account: string) => `arn:aws:iam::${account}:role/ProwlerScan`;

export async function verify(stack: LiveStack, account: string, declared: Declared): Promise<VerifyReport> {
  const answer = await call(stack, '/api/verify', {
    source: { kind: 'sdk-default' },
    roleArn: roleArnIn(account),
    externalId: stack.externalId,
    ...declared,
  });
  if (answer.status !== 200) throw new Error(`verify answered ${answer.status}: ${answer.text}`);
  return verifyReportSchema.parse(answer.body);
}

/** The guidance the web app and the CLI show for a report today (the CLI's own context). */
export function guidanceOf(report: VerifyReport) {
  return guidanceFor(report.diagnosis.code, {
    flavour: 'self-hosted',
    productName: 'Prowler',
    sourceKind: report.request.sourceKind,
    evidence: report.diagnosis.evidence,
    request: report.request,
    caller: report.caller,
    awsError: report.awsError,
  });
}

/**
 * The guidance's command steps, all run in the target account (every trust-side and warning fix
 * today acts on the role or its stack), and the files they read: values labelled as a file name
 * ("trust.json") and the template the wizard downloads, with the user's values.
 */
export function fixStepsOf(steps: GuidanceStep[], report: VerifyReport) {
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
  for (const s of steps)
    if (s.value && /\.(json|ya?ml)$/.test(s.value.label)) files[s.value.label] = s.value.value;
  const commands: FixStep[] = steps.flatMap((s) =>
    s.command ? [{ command: s.command, runIn: 'target-account' as const }] : [],
  );
  return { commands, files };
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

export interface LoopOutcome {
  before: VerifyReport;
  commands: string[];
  /** The first command that failed, its index and what the aws CLI said. */
  failed: { index: number; command: string; stderr: string } | null;
  /** The report after the commands (or after the ones that ran). */
  after: VerifyReport;
}

/** Runs commands as the account's administrator; returns the failure, if any. */
export async function applyAsAdmin(
  stack: LiveStack,
  account: string,
  commands: FixStep[],
  files: Record<string, string> = {},
): Promise<LoopOutcome['failed']> {
  try {
    await applyFixSteps(commands, { accounts: { 'target-account': adminShell(stack, account) }, files });
    return null;
  } catch (e) {
    if (!(e instanceof FixStepError)) throw e;
    return { index: e.index, command: e.result.step.command, stderr: e.result.stderr };
  }
}

/** verify → the guidance's commands as the account's administrator → verify. */
export async function runLoop(
  stack: LiveStack,
  account: string,
  declared: Declared,
  pick: (steps: FixStep[]) => FixStep[] = (s) => s,
): Promise<LoopOutcome> {
  const before = await verify(stack, account, declared);
  const { commands, files } = fixStepsOf(guidanceOf(before).steps, before);
  const chosen = pick(commands);
  const failed = await applyAsAdmin(stack, account, chosen, files);
  return {
    before,
    commands: chosen.map((c) => c.command),
    failed,
    after: await verify(stack, account, declared),
  };
}
