import {
  AssumeRoleCommand,
  type AssumeRoleCommandInput,
  GetCallerIdentityCommand,
} from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxHandle, startSandbox } from './server.ts';
import { expectAwsError, type Keys, sts } from './test-clients.ts';
import { EXTERNAL_ID, KEYS, roleArn, testScenario } from './test-scenario.ts';

// The AWS SDK v3 (the product's own client) against the sandbox over real HTTP: every STS decision
// path of issue 4, with AWS's codes, statuses and messages.

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await startSandbox({ scenario: testScenario(), externalId: EXTERNAL_ID });
});
afterAll(() => sb.close());

const assume = (keys: Keys, input: Partial<AssumeRoleCommandInput> & { RoleArn: string }) =>
  sts(sb.url, keys).send(new AssumeRoleCommand({ RoleSessionName: 'verify', ...input }));

const asKeys = (
  c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined,
): Keys => ({
  accessKeyId: c?.AccessKeyId ?? '',
  secretAccessKey: c?.SecretAccessKey ?? '',
  sessionToken: c?.SessionToken ?? '',
});

describe('GetCallerIdentity', () => {
  it.each([
    ['IAM user', KEYS.scanner, 'arn:aws:iam::111111111111:user/prowler-app', /^AIDA[A-Z2-7]{17}$/],
    ['IAM user with a path', KEYS.team, 'arn:aws:iam::111111111111:user/team/team-scanner', /^AIDA/],
    ['root user', KEYS.root, 'arn:aws:iam::111111111111:root', /^111111111111$/],
  ])('%s', async (_, keys, arn, userId) => {
    const out = await sts(sb.url, keys).send(new GetCallerIdentityCommand({}));
    expect(out.Arn).toBe(arn);
    expect(out.Account).toBe('111111111111');
    expect(out.UserId).toMatch(userId);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

const PLAIN = (caller: string, role: string) =>
  `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${role}`;
const APP = 'arn:aws:iam::111111111111:user/prowler-app';

describe('identity policies are read with the request context', () => {
  const regionalAssume = (region: string) =>
    sts(sb.url, KEYS.regional, { region }).send(
      new AssumeRoleCommand({
        RoleSessionName: 'verify',
        RoleArn: roleArn('123123123123', 'LongSession'),
      }),
    );

  it('a policy allowing sts:AssumeRole only in eu-west-1: allowed there', async () => {
    const out = await regionalAssume('eu-west-1');
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::123123123123:assumed-role/LongSession/verify');
  });

  it('the same policy, called in us-east-1: no identity-based policy allows it', async () => {
    await expectAwsError(regionalAssume('us-east-1'), {
      name: 'AccessDenied',
      status: 403,
      message: `${PLAIN('arn:aws:iam::111111111111:user/regional', roleArn('123123123123', 'LongSession'))} because no identity-based policy allows the sts:AssumeRole action`,
    });
  });
});

describe('AssumeRole decides like AWS', () => {
  it.each([
    ['the ready target', KEYS.scanner, roleArn('222222222222'), EXTERNAL_ID],
    [
      'a role without the External ID condition, with no External ID',
      KEYS.scanner,
      roleArn('777777777777'),
      undefined,
    ],
    [
      'a user path in aws:PrincipalArn (user/team/*)',
      KEYS.team,
      roleArn('123123123123', 'TeamScan'),
      EXTERNAL_ID,
    ],
    ['the root user (aws:PrincipalArn ...:root)', KEYS.root, roleArn('123123123123', 'RootOnly'), undefined],
    [
      'same account, the trust policy names the caller (no identity policy needed)',
      KEYS.noPolicy,
      roleArn('111111111111', 'direct-trust'),
      undefined,
    ],
  ])('allows %s', async (_, keys, RoleArn, ExternalId) => {
    const before = Date.now();
    const out = await assume(keys, { RoleArn, ExternalId });
    const name = RoleArn.split('/').pop();
    const account = RoleArn.split(':')[4];
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${account}:assumed-role/${name}/verify`);
    expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:verify$/);
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials?.SecretAccessKey).toMatch(/^[A-Za-z0-9/+=]{40}$/);
    expect(out.Credentials?.SessionToken?.length).toBeGreaterThan(100);
    const expires = out.Credentials?.Expiration?.getTime() ?? 0;
    expect(expires - before).toBeGreaterThan(3590_000);
    expect(expires - before).toBeLessThanOrEqual(3602_000);
  });

  const userArn = (name: string) => `arn:aws:iam::111111111111:user/${name}`;
  it.each([
    [
      'IAMPrincipal role/prowler* vs a user',
      KEYS.scanner,
      roleArn('333333333333'),
      EXTERNAL_ID,
      PLAIN(APP, roleArn('333333333333')),
    ],
    [
      'the wrong trusted account',
      KEYS.scanner,
      roleArn('444444444444'),
      EXTERNAL_ID,
      PLAIN(APP, roleArn('444444444444')),
    ],
    [
      'another External ID',
      KEYS.scanner,
      roleArn('555555555555'),
      EXTERNAL_ID,
      PLAIN(APP, roleArn('555555555555')),
    ],
    [
      'no External ID where one is required',
      KEYS.scanner,
      roleArn('222222222222'),
      undefined,
      PLAIN(APP, roleArn('222222222222')),
    ],
    [
      'a role that does not exist (same AccessDenied)',
      KEYS.scanner,
      roleArn('888888888888'),
      EXTERNAL_ID,
      PLAIN(APP, roleArn('888888888888')),
    ],
    [
      'a role ARN with the wrong path',
      KEYS.scanner,
      roleArn('222222222222', 'ProwlerScan', '/x/'),
      EXTERNAL_ID,
      PLAIN(APP, roleArn('222222222222', 'ProwlerScan', '/x/')),
    ],
    [
      'a user path that the trust does not name',
      KEYS.scanner,
      roleArn('123123123123', 'TeamScan'),
      EXTERNAL_ID,
      PLAIN(APP, roleArn('123123123123', 'TeamScan')),
    ],
    [
      'a user where only root is trusted',
      KEYS.scanner,
      roleArn('123123123123', 'RootOnly'),
      undefined,
      PLAIN(APP, roleArn('123123123123', 'RootOnly')),
    ],
    [
      'no identity policy, another account',
      KEYS.noPolicy,
      roleArn('222222222222'),
      EXTERNAL_ID,
      `${PLAIN(userArn('no-assume'), roleArn('222222222222'))} because no identity-based policy allows the sts:AssumeRole action`,
    ],
    [
      'no identity policy, same account, trust names only the account',
      KEYS.noPolicy,
      roleArn('111111111111', 'prowler-worker'),
      undefined,
      `${PLAIN(userArn('no-assume'), roleArn('111111111111', 'prowler-worker'))} because no identity-based policy allows the sts:AssumeRole action`,
    ],
    [
      'an SCP deny on the caller account',
      KEYS.scpDenied,
      roleArn('222222222222'),
      EXTERNAL_ID,
      `${PLAIN('arn:aws:iam::999999999999:user/fenced', roleArn('222222222222'))} with an explicit deny in a service control policy`,
    ],
    [
      'an explicit deny in the identity policy',
      KEYS.denied,
      roleArn('222222222222'),
      EXTERNAL_ID,
      `${PLAIN(userArn('denied'), roleArn('222222222222'))} with an explicit deny in an identity-based policy`,
    ],
    [
      'an explicit deny in the trust policy',
      KEYS.scanner,
      roleArn('123123123123', 'DenyScanner'),
      undefined,
      `${PLAIN(APP, roleArn('123123123123', 'DenyScanner'))} with an explicit deny in a resource-based policy`,
    ],
  ])('refuses %s: AccessDenied', async (_, keys, RoleArn, ExternalId, message) => {
    await expectAwsError(assume(keys, { RoleArn, ExternalId }), {
      name: 'AccessDenied',
      status: 403,
      message,
    });
  });

  it.each([
    [
      { DurationSeconds: 7200 },
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    ],
    [
      { DurationSeconds: 100 },
      "1 validation error detected: Value '100' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    ],
    [
      { RoleSessionName: 'x' },
      "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
    ],
    [
      { RoleSessionName: 'a b', ExternalId: 'ab cd' },
      /^2 validation errors detected: Value 'a b' at 'roleSessionName' .*; Value 'ab cd' at 'externalId' .*pattern/,
    ],
  ])('answers ValidationError (400) for %j', async (input, message) => {
    const call = assume(KEYS.scanner, {
      RoleArn: roleArn('222222222222'),
      ExternalId: EXTERNAL_ID,
      ...input,
    });
    await expectAwsError(call, { name: 'ValidationError', status: 400, message });
  });

  it('honours DurationSeconds in the expiry', async () => {
    const out = await assume(KEYS.scanner, {
      RoleArn: roleArn('222222222222'),
      ExternalId: EXTERNAL_ID,
      DurationSeconds: 900,
    });
    const left = (out.Credentials?.Expiration?.getTime() ?? 0) - Date.now();
    expect(left).toBeGreaterThan(890_000);
    expect(left).toBeLessThanOrEqual(901_000);
  });

  it('answers RegionDisabledException for a region disabled in the scenario (SigV4 scope region)', async () => {
    const client = sts(sb.url, KEYS.scanner, { region: 'ap-east-1' });
    const message =
      'STS is not activated in this region for account:222222222222. Your account administrator can activate STS in this region using the IAM Console.';
    const call = client.send(
      new AssumeRoleCommand({
        RoleArn: roleArn('222222222222'),
        RoleSessionName: 's1',
        ExternalId: EXTERNAL_ID,
      }),
    );
    await expectAwsError(call, { name: 'RegionDisabledException', status: 403, message });
    await expectAwsError(client.send(new GetCallerIdentityCommand({})), {
      name: 'RegionDisabledException',
      status: 403,
    });
  });
});

describe('temporary credentials', () => {
  it('work for later calls and chain roles with the 1 h cap', async () => {
    const worker = await assume(KEYS.scanner, {
      RoleArn: roleArn('111111111111', 'prowler-worker'),
      RoleSessionName: 'w1',
    });
    const session = asKeys(worker.Credentials);
    const me = await sts(sb.url, session).send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({
      Arn: 'arn:aws:sts::111111111111:assumed-role/prowler-worker/w1',
      Account: '111111111111',
      UserId: worker.AssumedRoleUser?.AssumedRoleId,
    });
    // The session presents the role's IAM ARN as aws:PrincipalArn: role/prowler* matches it.
    const chained = await assume(session, {
      RoleArn: roleArn('333333333333'),
      ExternalId: EXTERNAL_ID,
      DurationSeconds: 3600,
    });
    expect(chained.AssumedRoleUser?.Arn).toBe('arn:aws:sts::333333333333:assumed-role/ProwlerScan/verify');
    const message =
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.';
    // LongSession allows 7200 s, which a user gets but a role session may not.
    const long = { RoleArn: roleArn('123123123123', 'LongSession'), DurationSeconds: 7200 };
    const direct = await assume(KEYS.scanner, long);
    expect((direct.Credentials?.Expiration?.getTime() ?? 0) - Date.now()).toBeGreaterThan(7190_000);
    await expectAwsError(assume(session, long), { name: 'ValidationError', status: 400, message });
  });

  it('present the role path in aws:PrincipalArn (role/svc/svc-prowler)', async () => {
    const svc = await assume(KEYS.scanner, { RoleArn: roleArn('111111111111', 'svc-prowler', '/svc/') });
    const session = asKeys(svc.Credentials);
    const ok = await assume(session, {
      RoleArn: roleArn('123123123123', 'SvcScan'),
      ExternalId: EXTERNAL_ID,
    });
    expect(ok.AssumedRoleUser?.Arn).toContain('assumed-role/SvcScan/');
    // arn:aws:iam::111111111111:role/svc/svc-prowler is not role/prowler*
    const caller = 'arn:aws:sts::111111111111:assumed-role/svc-prowler/verify';
    await expectAwsError(assume(session, { RoleArn: roleArn('333333333333'), ExternalId: EXTERNAL_ID }), {
      name: 'AccessDenied',
      status: 403,
      message: PLAIN(caller, roleArn('333333333333')),
    });
  });
});
