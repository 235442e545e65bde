import type { GeneratedOutcome } from './organization-scenario.ts';
import { DEMO_SCENARIO, type ScenarioInput } from './scenario.ts';

// The demo world plus an organization, for the organization tests and the bench (imported by tests
// and bench/ only): a management account and a delegated administrator whose ProwlerScan stacks
// trust the demo scanner, a member that is neither, OUs two deep, and N generated member accounts
// with a mix of outcomes. Every key is fake.

export const MANAGEMENT_ACCOUNT = '900000000000';
export const DELEGATED_ADMIN_ACCOUNT = '900000000001';
/** In the organization, with an assumable role, but neither management nor delegated administrator. */
export const PLAIN_MEMBER_ACCOUNT = '900000000002';
export const ROOT_ID = 'r-sbx0';
export const OUS = {
  workloads: 'ou-sbx0-workload',
  prod: 'ou-sbx0-produnit',
  sandbox: 'ou-sbx0-sandboxx',
} as const;
export const FIRST_GENERATED = '910000000000';
export const SCANNER = { accountId: '111111111111', iamPrincipal: 'user/prowler-app' } as const;

/** The mix issue 14 asks for, and then some: first matching rule wins (n is 1-based). */
export const DEFAULT_OUTCOMES: { every: number; outcome: GeneratedOutcome }[] = [
  { every: 7, outcome: 'trust-account-mismatch' },
  { every: 11, outcome: 'no-role' },
  { every: 13, outcome: 'permissions-incomplete' },
  { every: 17, outcome: 'external-id-mismatch' },
  { every: 19, outcome: 'external-id-not-enforced' },
  { every: 23, outcome: 'suspended' },
];

const scanStack = {
  name: 'ProwlerScan',
  parameters: {
    ExternalId: '$SERVER_EXTERNAL_ID',
    AccountId: SCANNER.accountId,
    IAMPrincipal: SCANNER.iamPrincipal,
  },
};
const trustScanner = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${SCANNER.accountId}:root` },
      Action: 'sts:AssumeRole',
    },
  ],
};

export function organizationScenario(
  opts: {
    count?: number;
    outcomes?: { every: number; outcome: GeneratedOutcome }[];
    latencyMs?: number;
  } = {},
): ScenarioInput {
  const s = structuredClone(DEMO_SCENARIO) as ScenarioInput;
  s.faults = opts.latencyMs ? { latencyMs: opts.latencyMs } : {};
  s.accounts[MANAGEMENT_ACCOUNT] = {
    stacks: [scanStack],
    // Assumable, but without SecurityAudit: Organizations refuses it.
    roles: [{ name: 'NoOrgRead', trustPolicy: trustScanner }],
  };
  s.accounts[DELEGATED_ADMIN_ACCOUNT] = { stacks: [scanStack] };
  s.accounts[PLAIN_MEMBER_ACCOUNT] = { stacks: [scanStack] };
  s.organization = {
    id: 'o-sandbox0001',
    rootId: ROOT_ID,
    managementAccountId: MANAGEMENT_ACCOUNT,
    delegatedAdministrators: [DELEGATED_ADMIN_ACCOUNT],
    units: [
      { id: OUS.workloads, name: 'Workloads', parent: 'root' },
      { id: OUS.prod, name: 'Prod', parent: OUS.workloads },
      { id: OUS.sandbox, name: 'Sandbox', parent: 'root' },
    ],
    accounts: [
      { accountId: MANAGEMENT_ACCOUNT, name: 'management' },
      { accountId: DELEGATED_ADMIN_ACCOUNT, name: 'security', parent: OUS.workloads },
      { accountId: PLAIN_MEMBER_ACCOUNT, name: 'plain-member', parent: OUS.sandbox },
    ],
    generated: {
      count: opts.count ?? 60,
      firstAccountId: FIRST_GENERATED,
      parents: [OUS.workloads, OUS.prod, OUS.sandbox],
      stack: scanStack.parameters,
      outcomes: opts.outcomes ?? DEFAULT_OUTCOMES,
    },
  };
  return s;
}

export const managementRoleArn = (account = MANAGEMENT_ACCOUNT, name = 'ProwlerScan') =>
  `arn:aws:iam::${account}:role/${name}`;
