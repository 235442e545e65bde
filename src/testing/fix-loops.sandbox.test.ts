import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DiagnosisCode } from '../domain/diagnosis/codes.ts';
import { DEPLOYMENTS, type RunIn } from '../domain/diagnosis/guidance-schema.ts';
import { guidanceForReport } from '../domain/diagnosis/report-guidance.ts';
import type { VerifyReport } from '../domain/diagnosis-contract.ts';
import type { LiveStack } from './live-stack.ts';
import {
  applyAsAdmin,
  DEFAULTS,
  type Declared,
  type LoopOutcome,
  runLoop,
  startLoopStack,
} from './sandbox-fix-loop.ts';
import { requireTool } from './tools.ts';

// Fixes proven against the sandbox (issue 12, item 5), as a newcomer meets each row of the
// README's demo table: step 3 as the wizard pre-fills it (the detected identity), verify through
// the server's API; where AWS did not say why, the report is suspected with ranked candidates and
// prints the trust doctor, which runs with the aws CLI as the target account's administrator and
// whose output goes back as roleEvidence, confirming the cause; then every command of the report's
// guidance that runs in the target account is applied exactly as printed (files it reads are the
// template as the wizard downloads it, or a step's value), and verify turns green. Each
// candidate's check (a read-only command) runs too. The last test lists every command the product
// prints for these rows (the guidance's steps in every flavour, deployment and audience, and the
// candidates' checks) and requires each to have been run by one of these loops.

const hasAws = requireTool('aws');
let stack: LiveStack;
beforeAll(async () => {
  if (hasAws) stack = await startLoopStack();
});
beforeEach(() => stack?.sandbox.world.reset());
afterAll(() => stack?.close());

/** What the loops saw and ran, for the coverage test at the end. */
const seen: { row: string; reports: VerifyReport[] }[] = [];
const applied = new Set<string>();

function record(row: string, outcome: LoopOutcome, doctor?: string) {
  seen.push({ row, reports: [outcome.before, ...(outcome.withEvidence ? [outcome.withEvidence] : [])] });
  for (const command of [...outcome.applied, ...outcome.checked]) applied.add(command);
  if (doctor) applied.add(doctor);
}

/** Asks CloudFormation, as the administrator, whether the role matches its stack. */
async function driftStatus(account: string): Promise<string> {
  const ran = await applyAsAdmin(stack, account, [
    {
      command:
        'id=$(aws cloudformation detect-stack-drift --stack-name ProwlerScan --query StackDriftDetectionId --output text) && ' +
        'aws cloudformation describe-stack-drift-detection-status --stack-drift-detection-id "$id" --query StackDriftStatus --output text',
      runIn: 'target-account',
    },
  ]);
  return ran.failed ? `failed: ${ran.failed.stderr}` : (ran.stdout[0] ?? '').trim();
}

const TRUST_CANDIDATES: DiagnosisCode[] = [
  'EXTERNAL_ID_MISMATCH',
  'ROLE_NOT_FOUND',
  'TRUST_ACCOUNT_MISMATCH',
  'TRUST_PRINCIPAL_MISMATCH',
];

describe.skipIf(!hasAws)(
  'trust-side rows: suspected, the doctor confirms, the guidance’s commands turn verify green',
  () => {
    it.each([
      ['333333333333', 'TRUST_PRINCIPAL_MISMATCH'],
      ['444444444444', 'TRUST_ACCOUNT_MISMATCH'],
      ['555555555555', 'EXTERNAL_ID_MISMATCH'],
      ['888888888888', 'ROLE_NOT_FOUND'],
    ] as const)(
      '%s: suspected → the doctor as the administrator → %s confirmed → its fix → OK',
      async (account, cause) => {
        const outcome = await runLoop(stack, account, DEFAULTS);
        const { before, withEvidence } = outcome;
        expect(before.diagnosis.confidence).toBe('suspected');
        expect(before.guidance.title).toBe('AWS refused and does not say why');
        expect(before.diagnosis.candidates.map((c) => c.code).sort()).toEqual(TRUST_CANDIDATES);
        // Each candidate's check ran as the administrator (runLoop throws when one fails).
        expect(outcome.checked).toHaveLength(4);
        // The report printed the doctor, and only the doctor, as a command.
        expect(before.guidance.steps.filter((s) => s.command)).toHaveLength(1);
        expect(outcome.doctorOutput).toContain('"awsConnectDoctor"');
        expect(withEvidence?.diagnosis.code).toBe(cause);
        expect(withEvidence?.diagnosis.confidence).toBe('confirmed');
        expect(outcome.applied.length).toBeGreaterThan(0);
        expect(outcome.failed, outcome.failed?.stderr).toBeNull();
        expect(outcome.after.diagnosis.code, outcome.applied.join('\n')).toBe('OK');
        if (account !== '888888888888') expect(await driftStatus(account)).toBe('IN_SYNC');
        record(account, outcome, before.guidance.steps.find((s) => s.command)?.command);
      },
      120_000,
    );
  },
);

describe.skipIf(!hasAws)(
  'rows AWS answers itself: the guidance’s commands turn verify green, with or without the doctor',
  () => {
    it.each([
      ['666666666666', 'PERMISSIONS_INCOMPLETE', 'when-suspected'],
      ['666666666666', 'PERMISSIONS_INCOMPLETE', 'always'],
      ['777777777777', 'EXTERNAL_ID_NOT_ENFORCED', 'when-suspected'],
      ['777777777777', 'EXTERNAL_ID_NOT_ENFORCED', 'always'],
    ] as const)(
      '%s: %s confirmed (doctor: %s) → its fix → OK, and the role matches its stack again',
      async (account, code, doctor) => {
        const outcome = await runLoop(stack, account, DEFAULTS, { doctor });
        expect(outcome.before.diagnosis).toMatchObject({ code, confidence: 'confirmed' });
        if (doctor === 'always') {
          expect(outcome.withEvidence?.diagnosis).toMatchObject({ code, confidence: 'confirmed' });
          if (code === 'EXTERNAL_ID_NOT_ENFORCED')
            expect(outcome.withEvidence?.diagnosis.facts).toContainEqual(
              expect.objectContaining({
                key: 'templateDrift',
                value: expect.stringMatching(/^Changed outside CloudFormation/),
              }),
            );
        }
        expect(outcome.failed, outcome.failed?.stderr).toBeNull();
        expect(outcome.after.diagnosis.code, outcome.applied.join('\n')).toBe('OK');
        expect(await driftStatus(account)).toBe('IN_SYNC');
        record(account, outcome);
      },
      120_000,
    );

    it('222222222222 at 7200 s: DURATION_EXCEEDS_MAX → the stack’s maximum raised → OK, and no drift', async () => {
      const declared: Declared = { ...DEFAULTS, durationSeconds: 7200 };
      const outcome = await runLoop(stack, '222222222222', declared);
      expect(outcome.before.diagnosis).toMatchObject({
        code: 'DURATION_EXCEEDS_MAX',
        confidence: 'confirmed',
      });
      expect(outcome.applied.some((c) => c.includes('update-role'))).toBe(false);
      expect(outcome.failed, outcome.failed?.stderr).toBeNull();
      expect(outcome.after.diagnosis.code, outcome.applied.join('\n')).toBe('OK');
      expect(stack.sandbox.world.role('222222222222', 'ProwlerScan')?.maxSessionDuration).toBe(7200);
      // The maximum lives in the stack now: the role still matches it.
      expect(await driftStatus('222222222222')).toBe('IN_SYNC');
      record('222222222222 at 7200 s', outcome);
    }, 120_000);
  },
);

describe.skipIf(!hasAws)('every command the product prints for these rows was run by a loop above', () => {
  it('the guidance’s steps in every flavour, deployment and audience, and the candidates’ checks', () => {
    expect(seen.map((s) => s.row)).toEqual([
      '333333333333',
      '444444444444',
      '555555555555',
      '888888888888',
      '666666666666',
      '666666666666',
      '777777777777',
      '777777777777',
      '222222222222 at 7200 s',
    ]);
    const printed = new Map<string, { row: string; runIn: RunIn | undefined }>();
    for (const { row, reports } of seen)
      for (const report of reports)
        for (const code of [report.diagnosis.code, ...report.findings])
          for (const flavour of ['self-hosted', 'hosted'] as const)
            for (const deployment of DEPLOYMENTS)
              for (const audience of ['web', 'cli'] as const)
                for (const step of guidanceForReport(
                  report,
                  { flavour, productName: 'Prowler', deployment, audience },
                  code,
                ).steps)
                  if (step.command) printed.set(step.command, { row, runIn: step.runIn });
    // The candidates' checks are commands the product prints too.
    for (const { row, reports } of seen)
      for (const report of reports)
        for (const c of report.diagnosis.candidates)
          if (c.check.command) printed.set(c.check.command, { row, runIn: c.check.runIn });
    expect(printed.size).toBeGreaterThan(10);
    const notApplied = [...printed].filter(([command]) => !applied.has(command));
    expect(notApplied).toEqual([]);
    // Each runs with the target account's credentials: the administrator's shell in the loops.
    expect([...printed.values()].every((p) => p.runIn === 'target-account')).toBe(true);
  });
});
