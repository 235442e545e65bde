import { ADDITIONS_POLICY_NAME } from '../domain/template/role-template.ts';
import { SCANNER_ACCOUNT, TEST_SCENARIO } from './live-stack.ts';

// A sandbox world for the monitor's tests: the reliability suite's scanner and target account
// 222222222222, plus one account per kind of drift, each a stack of the product's template with
// one change made outside CloudFormation.

const stack = (drift?: Record<string, unknown>) => ({
  stacks: [
    {
      name: 'ProwlerScan',
      parameters: { ExternalId: '$SERVER_EXTERNAL_ID', AccountId: SCANNER_ACCOUNT, IAMPrincipal: '*' },
      ...(drift ? { drift } : {}),
    },
  ],
});

export const DRIFT_CASES = [
  {
    account: '301000000001',
    drift: { detachManagedPolicies: ['SecurityAudit'] },
    kinds: ['managed-policy-missing'],
  },
  {
    account: '301000000002',
    drift: {
      addInlinePolicies: [
        {
          name: 'AddedInConsole',
          document: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
          },
        },
      ],
    },
    kinds: ['inline-policy-extra'],
  },
  {
    account: '301000000003',
    drift: { deleteInlinePolicies: [ADDITIONS_POLICY_NAME] },
    kinds: ['inline-policy-missing'],
  },
  { account: '301000000004', drift: { maxSessionDuration: 7200 }, kinds: ['max-session-duration'] },
  { account: '301000000005', drift: { templateVersion: null }, kinds: ['template-version'] },
  {
    account: '301000000006',
    drift: {
      // Edited in the console: the aws:PrincipalArn condition is gone, the External ID stays.
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${SCANNER_ACCOUNT}:root` },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': '$SERVER_EXTERNAL_ID' } },
          },
        ],
      },
    },
    kinds: ['trust-policy'],
  },
] as const;

export const MONITOR_SCENARIO = {
  ...TEST_SCENARIO,
  about: 'monitor and drift tests (issue 13)',
  accounts: {
    ...TEST_SCENARIO.accounts,
    ...Object.fromEntries(DRIFT_CASES.map((c) => [c.account, stack(c.drift)])),
  },
};
