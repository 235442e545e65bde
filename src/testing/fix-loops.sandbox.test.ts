import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DiagnosisCode } from '../domain/diagnosis/codes.ts';
import { createStackCommand, TEMPLATE_FILE_NAME, updateStackCommand } from '../domain/template/links.ts';
import { renderTemplate, trustPolicyFor } from '../domain/template/role-template.ts';
import type { LiveStack } from './live-stack.ts';
import {
  applyAsAdmin,
  DEFAULTS,
  DETECTED,
  type Declared,
  runLoop,
  SCANNER_ACCOUNT,
  startLoopStack,
  verify,
} from './sandbox-fix-loop.ts';
import { requireTool } from './tools.ts';

// Fixes proven against the sandbox (issue 12, item 5): for each demo row, verify as the scanner
// fails; the commands the guidance shows today are applied with the aws CLI as the target
// account's administrator; verify again. Where today's commands are wrong the loop shows how, so
// the corrected guidance can be proven by the same loop: each such case asserts the command that
// fails (or the diagnosis that remains) and is marked "wrong today".
// The second half applies the commands that do fix each row, rendered by the product's own
// template helpers, to show the sandbox closes every loop.

const hasAws = requireTool('aws');
let stack: LiveStack;
beforeAll(async () => {
  if (hasAws) stack = await startLoopStack();
});
beforeEach(() => stack?.sandbox.world.reset());
afterAll(() => stack?.close());

const ACCOUNT_AND_DEFAULT_PRINCIPAL: Declared = {
  trustedAccountId: SCANNER_ACCOUNT,
  iamPrincipal: 'role/prowler*',
};
const NO_UPDATES =
  /ValidationError\) when calling the UpdateStack operation: No updates are to be performed\./;

interface Case {
  account: string;
  declared: [string, Declared];
  before: DiagnosisCode;
  /** The first guidance command that fails, by index, and what the aws CLI says. */
  fails?: [number, RegExp];
  after: DiagnosisCode;
  why?: string;
}

const DEFAULTS_: [string, Declared] = ['the default step-3 values', DEFAULTS];
const DETECTED_: [string, Declared] = ['the detected identity', DETECTED];
const ACCOUNT_: [string, Declared] = [
  'AccountId entered, IAMPrincipal left at role/prowler*',
  ACCOUNT_AND_DEFAULT_PRINCIPAL,
];

const CASES: Case[] = [
  { account: '333333333333', declared: DEFAULTS_, before: 'TRUST_PRINCIPAL_MISMATCH', after: 'OK' },
  { account: '333333333333', declared: ACCOUNT_, before: 'TRUST_PRINCIPAL_MISMATCH', after: 'OK' },
  {
    account: '333333333333',
    declared: DETECTED_,
    before: 'EXTERNAL_ID_MISMATCH',
    fails: [1, NO_UPDATES],
    after: 'EXTERNAL_ID_MISMATCH',
    why: 'wrong today: the stack already has this External ID; its IAMPrincipal is the cause',
  },
  {
    account: '444444444444',
    declared: DEFAULTS_,
    before: 'TRUST_PRINCIPAL_MISMATCH',
    fails: [0, NO_UPDATES],
    after: 'TRUST_PRINCIPAL_MISMATCH',
    why: 'wrong today: sets IAMPrincipal (already user/prowler-app) and keeps AccountId 121212121212',
  },
  {
    account: '444444444444',
    declared: ACCOUNT_,
    before: 'TRUST_PRINCIPAL_MISMATCH',
    fails: [0, NO_UPDATES],
    after: 'TRUST_PRINCIPAL_MISMATCH',
    why: 'wrong today: same command, the AccountId stays wrong',
  },
  {
    account: '444444444444',
    declared: DETECTED_,
    before: 'EXTERNAL_ID_MISMATCH',
    fails: [1, NO_UPDATES],
    after: 'EXTERNAL_ID_MISMATCH',
    why: 'wrong today: the External ID is right; the AccountId is the cause',
  },
  { account: '555555555555', declared: DETECTED_, before: 'EXTERNAL_ID_MISMATCH', after: 'OK' },
  {
    account: '555555555555',
    declared: DEFAULTS_,
    before: 'TRUST_PRINCIPAL_MISMATCH',
    fails: [0, NO_UPDATES],
    after: 'TRUST_PRINCIPAL_MISMATCH',
    why: 'wrong today: the IAMPrincipal is right; the External ID is the cause',
  },
  {
    account: '555555555555',
    declared: ACCOUNT_,
    before: 'TRUST_PRINCIPAL_MISMATCH',
    fails: [0, NO_UPDATES],
    after: 'TRUST_PRINCIPAL_MISMATCH',
    why: 'wrong today: as above',
  },
  { account: '666666666666', declared: DEFAULTS_, before: 'PERMISSIONS_INCOMPLETE', after: 'OK' },
  { account: '666666666666', declared: DETECTED_, before: 'PERMISSIONS_INCOMPLETE', after: 'OK' },
  {
    account: '777777777777',
    declared: DETECTED_,
    before: 'EXTERNAL_ID_NOT_ENFORCED',
    fails: [0, NO_UPDATES],
    after: 'EXTERNAL_ID_NOT_ENFORCED',
    why: 'wrong today: update-stack with the same template and parameters is refused; drift is never repaired by it',
  },
  {
    account: '777777777777',
    declared: DEFAULTS_,
    before: 'EXTERNAL_ID_NOT_ENFORCED',
    after: 'EXTERNAL_ID_NOT_ENFORCED',
    why: 'wrong today: the downloaded template differs (its defaults), so the update completes, but the trust policy is the same in both templates and CloudFormation leaves the edited one in place',
  },
  {
    account: '777777777777',
    declared: ACCOUNT_,
    before: 'EXTERNAL_ID_NOT_ENFORCED',
    after: 'TRUST_PRINCIPAL_MISMATCH',
    why: 'wrong today: the suggested trust.json pins the declared role/prowler* and locks out user/prowler-app, the caller that had just connected',
  },
  {
    account: '888888888888',
    declared: DEFAULTS_,
    before: 'TRUST_PRINCIPAL_MISMATCH',
    fails: [0, /UpdateStack operation: Stack \[ProwlerScan\] does not exist/],
    after: 'TRUST_PRINCIPAL_MISMATCH',
    why: 'wrong today: nothing is deployed; there is no stack to update',
  },
  {
    account: '888888888888',
    declared: DETECTED_,
    before: 'EXTERNAL_ID_MISMATCH',
    fails: [
      0,
      /NoSuchEntity\) when calling the GetRole operation: The role with name ProwlerScan cannot be found\./,
    ],
    after: 'EXTERNAL_ID_MISMATCH',
    why: 'wrong today: nothing is deployed (ROLE_NOT_FOUND); get-role says so, update-stack would fail next',
  },
];

describe.skipIf(!hasAws)('today’s guidance commands, applied as the target account’s administrator', () => {
  it.each(CASES)(
    '$account with $declared.0: $before -> $after',
    async (c) => {
      const outcome = await runLoop(stack, c.account, c.declared[1]);
      expect(outcome.before.diagnosis.code).toBe(c.before);
      expect(outcome.commands.length).toBeGreaterThan(0);
      if (c.fails) {
        expect(outcome.failed?.index, outcome.commands.join('\n')).toBe(c.fails[0]);
        expect(outcome.failed?.stderr).toMatch(c.fails[1]);
      } else {
        expect(outcome.failed, outcome.failed?.stderr).toBeNull();
      }
      expect(outcome.after.diagnosis.code, c.why).toBe(c.after);
    },
    120_000,
  );

  it('DURATION_EXCEEDS_MAX: update-role --max-session-duration admits a 2 h session, and leaves the stack drifted (wrong today: change the stack instead)', async () => {
    const outcome = await runLoop(stack, '222222222222', { ...DETECTED, durationSeconds: 7200 });
    expect(outcome.before.diagnosis.code).toBe('DURATION_EXCEEDS_MAX');
    expect(outcome.commands).toEqual([
      'aws iam update-role --role-name ProwlerScan --max-session-duration 7200',
    ]);
    expect(outcome.failed).toBeNull();
    expect(outcome.after.diagnosis.code).toBe('OK');
    const drift = await applyAsAdmin(stack, '222222222222', [
      {
        command:
          'id=$(aws cloudformation detect-stack-drift --stack-name ProwlerScan --query StackDriftDetectionId --output text) && ' +
          'test "$(aws cloudformation describe-stack-drift-detection-status --stack-drift-detection-id "$id" --query StackDriftStatus --output text)" = IN_SYNC',
        runIn: 'target-account',
      },
    ]);
    expect(drift?.index).toBe(0); // not IN_SYNC: the role no longer matches its template
    const world = stack.sandbox.world;
    expect(world.role('222222222222', 'ProwlerScan')?.maxSessionDuration).toBe(7200);
  }, 120_000);
});

describe.skipIf(!hasAws)('commands that do fix each row, in the sandbox', () => {
  const externalId = () => stack.externalId;
  const update = (params: Parameters<typeof updateStackCommand>[0]['params']) => [
    { command: updateStackCommand({ region: 'us-east-1', params }), runIn: 'target-account' as const },
    {
      command: 'aws cloudformation wait stack-update-complete --stack-name ProwlerScan',
      runIn: 'target-account' as const,
    },
  ];

  it.each([
    ['333333333333', { iamPrincipal: 'user/prowler-app' }],
    ['444444444444', { trustedAccountId: SCANNER_ACCOUNT }],
  ] as const)(
    '%s: update-stack with the observed caller’s values, then the waiter',
    async (account, params) => {
      expect((await verify(stack, account, DETECTED)).ok).toBe(false);
      expect(await applyAsAdmin(stack, account, update(params))).toBeNull();
      expect((await verify(stack, account, DETECTED)).diagnosis.code).toBe('OK');
    },
    120_000,
  );

  it('555555555555: update-stack with the server’s External ID', async () => {
    expect(await applyAsAdmin(stack, '555555555555', update({ externalId: externalId() }))).toBeNull();
    expect((await verify(stack, '555555555555', DETECTED)).diagnosis.code).toBe('OK');
  }, 120_000);

  it('777777777777: update-assume-role-policy with the template’s trust for the observed caller; drift is then IN_SYNC', async () => {
    const trust = trustPolicyFor({
      partition: 'aws',
      trustedAccountId: SCANNER_ACCOUNT,
      iamPrincipal: 'user/prowler-app',
      externalId: externalId(),
    });
    const failed = await applyAsAdmin(
      stack,
      '777777777777',
      [
        {
          command:
            'aws iam update-assume-role-policy --role-name ProwlerScan --policy-document file://trust.json',
          runIn: 'target-account',
        },
        {
          command:
            'id=$(aws cloudformation detect-stack-drift --stack-name ProwlerScan --query StackDriftDetectionId --output text) && ' +
            'test "$(aws cloudformation describe-stack-drift-detection-status --stack-drift-detection-id "$id" --query StackDriftStatus --output text)" = IN_SYNC',
          runIn: 'target-account',
        },
      ],
      { 'trust.json': JSON.stringify(trust) },
    );
    expect(failed).toBeNull();
    expect((await verify(stack, '777777777777', DETECTED)).diagnosis.code).toBe('OK');
  }, 120_000);

  it('888888888888: the wizard’s create-stack command with the downloaded template, then the waiter', async () => {
    const params = {
      externalId: externalId(),
      trustedAccountId: SCANNER_ACCOUNT,
      iamPrincipal: 'user/prowler-app',
    };
    const failed = await applyAsAdmin(
      stack,
      '888888888888',
      [
        { command: createStackCommand({ region: 'us-east-1', params }), runIn: 'target-account' },
        {
          command: 'aws cloudformation wait stack-create-complete --stack-name ProwlerScan',
          runIn: 'target-account',
        },
      ],
      { [TEMPLATE_FILE_NAME]: renderTemplate(params, 'yaml') },
    );
    expect(failed).toBeNull();
    expect((await verify(stack, '888888888888', DETECTED)).diagnosis.code).toBe('OK');
  }, 120_000);
});
