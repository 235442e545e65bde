import { describe, expect, it } from 'vitest';
import {
  formatRoleArn,
  iamPrincipalOf,
  parseArn,
  parseRoleArn,
  principalArnFromCaller,
  suggestTrustSettings,
} from './arn.ts';
import { iamPrincipalSchema } from './inputs.ts';

describe('parseArn', () => {
  it('splits the six parts and keeps colons in the resource', () => {
    expect(parseArn('arn:aws:logs:us-east-1:123456789012:log-group:/a/b:*')).toEqual({
      partition: 'aws',
      service: 'logs',
      region: 'us-east-1',
      accountId: '123456789012',
      resource: 'log-group:/a/b:*',
    });
  });
  it.each([
    '',
    'arn:aws:iam::123456789012',
    'not:an:arn:at:all:x',
    'arn:AWS:iam::1:root',
    'arn:aws:iam::123456789012:',
  ])('refuses %j', (text) => expect(parseArn(text)).toBeNull());
});

describe('parseRoleArn', () => {
  it.each([
    [
      'arn:aws:iam::123456789012:role/ProwlerScan',
      { partition: 'aws', accountId: '123456789012', path: '/', name: 'ProwlerScan' },
    ],
    [
      'arn:aws-cn:iam::123456789012:role/a/b/Scan',
      { partition: 'aws-cn', accountId: '123456789012', path: '/a/b/', name: 'Scan' },
    ],
    [
      'arn:aws-us-gov:iam::123456789012:role/x+=,.@-_',
      { partition: 'aws-us-gov', accountId: '123456789012', path: '/', name: 'x+=,.@-_' },
    ],
  ])('%s', (arn, parts) => {
    expect(parseRoleArn(arn)).toEqual(parts);
    expect(formatRoleArn(parseRoleArn(arn)!)).toBe(arn);
  });
  it.each([
    'arn:aws:iam::12345678901:role/x',
    'arn:aws:iam::123456789012:user/x',
    'arn:aws:sts::123456789012:assumed-role/x/s',
    'arn:aws:iam::123456789012:role/',
    `arn:aws:iam::123456789012:role/${'a'.repeat(65)}`,
    'arn:mars:iam::123456789012:role/x',
  ])('refuses %s', (arn) => expect(parseRoleArn(arn)).toBeNull());
});

describe('principalArnFromCaller', () => {
  it.each([
    [
      'arn:aws:iam::111122223333:user/prowler-app',
      'arn:aws:iam::111122223333:user/prowler-app',
      false,
      'user',
    ],
    [
      'arn:aws:iam::111122223333:user/ops/ci/prowler-app',
      'arn:aws:iam::111122223333:user/ops/ci/prowler-app',
      false,
      'user',
    ],
    [
      'arn:aws:sts::111122223333:assumed-role/prowler-worker/i-0abc',
      'arn:aws:iam::111122223333:role/prowler-worker',
      true,
      'role',
    ],
    [
      'arn:aws-cn:sts::111122223333:assumed-role/R/s@x.com',
      'arn:aws-cn:iam::111122223333:role/R',
      true,
      'role',
    ],
    [
      'arn:aws:iam::111122223333:role/team/scanner',
      'arn:aws:iam::111122223333:role/team/scanner',
      false,
      'role',
    ],
    ['arn:aws:iam::111122223333:root', 'arn:aws:iam::111122223333:root', false, 'root'],
    [
      'arn:aws:sts::111122223333:federated-user/alice',
      'arn:aws:sts::111122223333:federated-user/alice',
      false,
      'federated-user',
    ],
    ['arn:aws:s3:::bucket', null, null, null],
    ['arn:aws:iam::111122223333:group/admins', 'arn:aws:iam::111122223333:group/admins', false, 'unknown'],
  ])('%s', (callerArn, principalArn, pathUnknown, kind) => {
    const got = principalArnFromCaller(callerArn);
    if (principalArn === null) expect(got).toBeNull();
    else expect(got).toEqual({ principalArn, pathUnknown, kind });
  });
});

describe('suggestTrustSettings (the mapping in docs/design.md, journey step 3)', () => {
  it.each([
    ['arn:aws:iam::111122223333:user/prowler-app', 'user/prowler-app'],
    ['arn:aws:iam::111122223333:user/ops/prowler-app', 'user/ops/prowler-app'],
    ['arn:aws:sts::111122223333:assumed-role/security-scanner/s', 'role/security-scanner'],
    ['arn:aws:sts::111122223333:assumed-role/prowler-worker/s', 'role/prowler*'],
    ['arn:aws:iam::111122223333:role/team/prowler-worker', 'role/team/prowler-worker'],
    ['arn:aws:iam::111122223333:root', '*'],
  ])('%s -> %s', (callerArn, iamPrincipal) => {
    const s = suggestTrustSettings(callerArn);
    expect(s).toMatchObject({ trustedAccountId: '111122223333', iamPrincipal });
    expect(iamPrincipalSchema.safeParse(s?.iamPrincipal).success).toBe(true);
  });

  it('warns that role paths are invisible for role sessions', () => {
    expect(suggestTrustSettings('arn:aws:sts::111122223333:assumed-role/scanner/s')?.notes.join(' ')).toMatch(
      /path/i,
    );
    expect(suggestTrustSettings('arn:aws:iam::111122223333:user/x')?.notes.join(' ')).not.toMatch(/path/i);
  });

  it.each(['arn:aws:sts::111122223333:federated-user/alice', 'garbage'])('has nothing for %s', (arn) => {
    expect(suggestTrustSettings(arn)).toBeNull();
  });
});

describe('iamPrincipalOf', () => {
  it('strips the account prefix', () => {
    expect(iamPrincipalOf('arn:aws:iam::111122223333:role/a/b')).toBe('role/a/b');
    expect(iamPrincipalOf('arn:aws:sts::111122223333:federated-user/a')).toBeNull();
  });
});
