import { DEMO_SCENARIO, type ScenarioInput } from './scenario.ts';

// The demo scenario plus principals the demo does not need but the tests do: a user with a path,
// an explicitly denied user, an inactive key, root keys, a role with a path, a trust policy with an
// explicit Deny. Imported by *.test.ts only. Every key is fake.

export const EXTERNAL_ID = 'test-external-id-0001';

export const KEYS = {
  scanner: {
    accessKeyId: 'AKIASANDBOXSCANNER01',
    secretAccessKey: 'sandboxOnlyScannerProwlerAppNotReal00001',
  },
  noPolicy: {
    accessKeyId: 'AKIASANDBOXNOPOLICY1',
    secretAccessKey: 'sandboxOnlyNoPolicyUserNotARealSecret002',
  },
  scpDenied: {
    accessKeyId: 'AKIASANDBOXSCPDENY01',
    secretAccessKey: 'sandboxOnlyScpDeniedUserNotARealSecret03',
  },
  expired: {
    accessKeyId: 'ASIASANDBOXEXPIRED01',
    secretAccessKey: 'sandboxOnlyExpiredSessionNotARealSecret4',
    sessionToken: 'SandboxOnlyExpiredSessionTokenNotReal0000000000000000000000000000000000000000',
  },
  team: { accessKeyId: 'AKIATESTTEAMUSER0001', secretAccessKey: 'testOnlyTeamUserSecret000000000000000001' },
  denied: {
    accessKeyId: 'AKIATESTDENIEDUSER01',
    secretAccessKey: 'testOnlyDeniedUserSecret0000000000000001',
  },
  inactive: {
    accessKeyId: 'AKIATESTINACTIVE0001',
    secretAccessKey: 'testOnlyInactiveKeySecret000000000000001',
  },
  root: { accessKeyId: 'AKIATESTROOTKEY00001', secretAccessKey: 'testOnlyRootKeySecret0000000000000000001' },
  /** The administrators (the customer's side) of the demo's target accounts. */
  admin222: {
    accessKeyId: 'AKIASANDBOXADMIN2222',
    secretAccessKey: 'sandboxOnlyAdminOf222222222222NotARealKey',
  },
  admin333: {
    accessKeyId: 'AKIASANDBOXADMIN3333',
    secretAccessKey: 'sandboxOnlyAdminOf333333333333NotARealKey',
  },
  admin123: {
    accessKeyId: 'AKIATESTADMIN0000123',
    secretAccessKey: 'testOnlyAdminOf123123123123Secret000001',
  },
  admin777: {
    accessKeyId: 'AKIASANDBOXADMIN7777',
    secretAccessKey: 'sandboxOnlyAdminOf777777777777NotARealKey',
  },
  regional: {
    accessKeyId: 'AKIATESTREGIONAL0001',
    secretAccessKey: 'testOnlyRegionalUserSecret00000000000001',
  },
} as const;

export const roleArn = (account: string, name = 'ProwlerScan', path = '/') =>
  `arn:aws:iam::${account}:role${path}${name}`;

const allowAssume = { Effect: 'Allow' as const, Action: 'sts:AssumeRole', Resource: '*' };
const trustAccount = (account: string) => ({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' },
  ],
});

export function testScenario(): ScenarioInput {
  const s = structuredClone(DEMO_SCENARIO) as ScenarioInput;
  s.faults = {};
  const scanner = s.accounts['111111111111']!;
  scanner.users = [
    ...(scanner.users ?? []),
    {
      name: 'team-scanner',
      path: '/team/',
      accessKeys: [{ id: KEYS.team.accessKeyId, secret: KEYS.team.secretAccessKey }],
      policies: [allowAssume],
    },
    {
      name: 'denied',
      accessKeys: [{ id: KEYS.denied.accessKeyId, secret: KEYS.denied.secretAccessKey }],
      policies: [
        allowAssume,
        { Effect: 'Deny', Action: 'sts:*', Resource: 'arn:aws:iam::222222222222:role/*' },
      ],
    },
    {
      // May assume roles only when the call is made in eu-west-1 (a Condition in its identity policy).
      name: 'regional',
      accessKeys: [{ id: KEYS.regional.accessKeyId, secret: KEYS.regional.secretAccessKey }],
      policies: [{ ...allowAssume, Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }],
    },
    {
      name: 'inactive',
      accessKeys: [
        { id: KEYS.inactive.accessKeyId, secret: KEYS.inactive.secretAccessKey, status: 'Inactive' },
      ],
    },
  ];
  scanner.rootAccessKeys = [{ id: KEYS.root.accessKeyId, secret: KEYS.root.secretAccessKey }];
  scanner.roles = [
    ...(scanner.roles ?? []),
    {
      name: 'svc-prowler',
      path: '/svc/',
      trustPolicy: trustAccount('111111111111'),
      policies: [allowAssume],
    },
    {
      name: 'direct-trust',
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111111111111:user/no-assume' },
            Action: 'sts:AssumeRole',
          },
        ],
      },
    },
  ];
  s.accounts['123123123123'] = {
    label: 'Test principals',
    administrator: {
      accessKeys: [{ id: KEYS.admin123.accessKeyId, secret: KEYS.admin123.secretAccessKey }],
    },
    stacks: [
      {
        name: 'Team',
        roleName: 'TeamScan',
        parameters: {
          ExternalId: '$SERVER_EXTERNAL_ID',
          AccountId: '111111111111',
          IAMPrincipal: 'user/team/*',
        },
      },
      {
        name: 'Svc',
        roleName: 'SvcScan',
        parameters: {
          ExternalId: '$SERVER_EXTERNAL_ID',
          AccountId: '111111111111',
          IAMPrincipal: 'role/svc/svc-prowler',
        },
      },
    ],
    roles: [
      {
        name: 'RootOnly',
        trustPolicy: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: '111111111111' },
              Action: 'sts:AssumeRole',
              Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:root' } },
            },
          ],
        },
        maxSessionDuration: 7200,
        description: 'Only the root of 111111111111.',
        tags: [{ Key: 'team', Value: 'security' }],
      },
      { name: 'LongSession', trustPolicy: trustAccount('111111111111'), maxSessionDuration: 7200 },
      {
        name: 'DenyScanner',
        trustPolicy: {
          Version: '2012-10-17',
          Statement: [
            ...trustAccount('111111111111').Statement,
            {
              Effect: 'Deny',
              Principal: { AWS: 'arn:aws:iam::111111111111:user/prowler-app' },
              Action: 'sts:AssumeRole',
            },
          ],
        },
      },
    ],
  };
  return s;
}
