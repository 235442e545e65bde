import { describe, expect, it } from 'vitest';
import { verifyRequestSchema } from '../../../domain/verify-request.ts';
import { EMPTY_ANSWERS } from '../store/answers.ts';
import { NO_SECRETS } from '../store/secrets.ts';
import { verifyRequestFrom } from './verify-request.ts';

const EXTERNAL_ID = '971dadf8078cd72d8486c1d1eb405778';
const base = {
  ...EMPTY_ANSWERS,
  template: { region: 'eu-west-1', stackName: 'ProwlerScan', reviewed: true },
  trust: { trustedAccountId: '111111111111', iamPrincipal: 'user/prowler-app' },
  role: {
    ...EMPTY_ANSWERS.role,
    roleArn: ' arn:aws:iam::222222222222:role/ProwlerScan ',
    accountId: '222222222222',
  },
};
const KEYS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: '',
};

describe('verifyRequestFrom', () => {
  it('SDK default sends no key material, even when keys are still in memory', () => {
    const request = verifyRequestFrom({ ...base, sourceKind: 'sdk-default' }, KEYS, EXTERNAL_ID);
    expect(request.source).toEqual({ kind: 'sdk-default' });
    expect(JSON.stringify(request)).not.toContain(KEYS.secretAccessKey);
  });

  it('passes the server schema, trimmed, with the region and the issued External ID', () => {
    const request = verifyRequestFrom({ ...base, sourceKind: 'access-keys' }, KEYS, EXTERNAL_ID);
    const parsed = verifyRequestSchema.parse(request);
    expect(parsed.roleArn).toBe('arn:aws:iam::222222222222:role/ProwlerScan');
    expect(parsed.externalId).toBe(EXTERNAL_ID);
    expect(parsed.region).toBe('eu-west-1');
    expect(parsed.source).toEqual({
      kind: 'access-keys',
      accessKeyId: KEYS.accessKeyId,
      secretAccessKey: KEYS.secretAccessKey,
    });
  });

  it.each([
    [
      'blank optional fields are left out',
      { sessionName: '  ', durationSeconds: null },
      { sessionName: undefined, durationSeconds: undefined },
    ],
    [
      'set ones are sent',
      { sessionName: 'scan', durationSeconds: 900 },
      { sessionName: 'scan', durationSeconds: 900 },
    ],
  ] as const)('%s', (_, role, expected) => {
    const request = verifyRequestFrom({ ...base, role: { ...base.role, ...role } }, NO_SECRETS, EXTERNAL_ID);
    expect({ sessionName: request.sessionName, durationSeconds: request.durationSeconds }).toEqual(expected);
  });
});
