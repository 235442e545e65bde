import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import {
  accessKeyIdSchema,
  accountIdSchema,
  credentialSourceSchema,
  durationSecondsSchema,
  externalIdSchema,
  iamPrincipalSchema,
  regionSchema,
  roleArnSchema,
  secretAccessKeySchema,
  sessionNameSchema,
} from './inputs.ts';
import { verifyRequestSchema } from './verify-request.ts';

// One table per input: the AWS limits from docs/design.md#aws-facts-the-validation-follows, and the message a user sees.

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

const TABLE: [string, z.ZodMiniType, unknown, true | RegExp][] = [
  ['account', accountIdSchema, '123456789012', true],
  ['account', accountIdSchema, ' 123456789012 ', true],
  ['account', accountIdSchema, '1234-5678-9012', /exactly 12 digits/],
  ['account', accountIdSchema, '12345678901', /exactly 12 digits/],
  ['account', accountIdSchema, undefined, /12-digit/],
  ['role ARN', roleArnSchema, 'arn:aws:iam::123456789012:role/ProwlerScan', true],
  ['role ARN', roleArnSchema, 'arn:aws-cn:iam::123456789012:role/team/a/ProwlerScan', true],
  ['role ARN', roleArnSchema, 'arn:aws-us-gov:iam::123456789012:role/x', true],
  ['role ARN', roleArnSchema, 'arn:aws:sts::123456789012:assumed-role/x/s', /role\/\[path\/\]name/],
  ['role ARN', roleArnSchema, 'arn:aws:iam::123456789012:user/x', /role\/\[path\/\]name/],
  ['role ARN', roleArnSchema, '', /stack outputs/],
  ['role ARN', roleArnSchema, `arn:aws:iam::123456789012:role/${'n'.repeat(65)}`, /role\/\[path\/\]name/],
  ['External ID', externalIdSchema, 'ab', true],
  ['External ID', externalIdSchema, 'a+=,.@:/-_Z9', true],
  ['External ID', externalIdSchema, 'a', /2 to 1224/],
  ['External ID', externalIdSchema, 'x'.repeat(1225), /2 to 1224/],
  ['External ID', externalIdSchema, 'has space', /may use letters/],
  ['IAMPrincipal', iamPrincipalSchema, 'role/prowler*', true],
  ['IAMPrincipal', iamPrincipalSchema, 'user/ops/prowler-app', true],
  ['IAMPrincipal', iamPrincipalSchema, 'role/prowler-???', true],
  ['IAMPrincipal', iamPrincipalSchema, '*', true],
  ['IAMPrincipal', iamPrincipalSchema, 'group/admins', /role\/<name> or user\/<name>/],
  ['IAMPrincipal', iamPrincipalSchema, 'arn:aws:iam::123456789012:role/x', /role\/<name> or user\/<name>/],
  ['IAMPrincipal', iamPrincipalSchema, 'role/', /role\/<name> or user\/<name>/],
  ['session name', sessionNameSchema, 'prowler-scan', true],
  ['session name', sessionNameSchema, 'x', /2 to 64/],
  ['session name', sessionNameSchema, 'has space', /2 to 64/],
  ['duration', durationSecondsSchema, 900, true],
  ['duration', durationSecondsSchema, 43200, true],
  ['duration', durationSecondsSchema, 899, /at least 900/],
  ['duration', durationSecondsSchema, 43201, /at most 43200/],
  ['duration', durationSecondsSchema, 1000.5, /whole number/],
  ['access key ID', accessKeyIdSchema, 'AKIAIOSFODNN7EXAMPLE', true],
  ['access key ID', accessKeyIdSchema, 'ASIAIOSFODNN7EXAMPLE', true],
  ['access key ID', accessKeyIdSchema, 'AIDAIOSFODNN7EXAMPLE', /AKIA .* or ASIA/],
  ['access key ID', accessKeyIdSchema, 'AKIA-SHORT', /16 to 128/],
  ['secret', secretAccessKeySchema, SECRET, true],
  ['secret', secretAccessKeySchema, 'has space', /letters, digits and \/ \+ =/],
  ['region', regionSchema, 'us-east-1', true],
  ['region', regionSchema, 'us-gov-west-1', true],
  ['region', regionSchema, 'Mars', /us-east-1/],
  ['region', regionSchema, ' eu-west-2 ', true],
  ['region', regionSchema, 'ap-east-1', true],
  ['region', regionSchema, 'cn-northwest-1', true],
  ['region', regionSchema, 'us-isob-east-1', true],
  ['region', regionSchema, 'eusc-de-east-1', true],
  ['region', regionSchema, 'zz-abcd-1', /^zz-abcd-1 is not a region of the aws partition: .*us-east-1/],
  ['region', regionSchema, 'us-east-9', /^us-east-9 is not a region of the aws partition/],
  [
    'region',
    regionSchema,
    'cn-south-1',
    /^cn-south-1 is not a region of the aws-cn partition: its regions are cn-north-1, cn-northwest-1\.$/,
  ],
  ['region', regionSchema, 'us-gov-north-1', /^us-gov-north-1 is not a region of the aws-us-gov partition/],
  ['region', regionSchema, 'US-EAST-1', /looks like us-east-1/],
  ['region', regionSchema, 'aws-global', /looks like us-east-1/],
];

describe('input schemas', () => {
  it.each(TABLE)('%s: %j', (_, schema, value, expected) => {
    const result = schema.safeParse(value);
    if (expected === true) expect(result.success, result.error?.message).toBe(true);
    else expect(result.error?.issues[0]?.message).toMatch(expected);
  });
});

describe('credentialSourceSchema', () => {
  it('temporary keys (ASIA) need their session token, reported on the token field', () => {
    const result = credentialSourceSchema.safeParse({
      kind: 'access-keys',
      accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
      secretAccessKey: SECRET,
      sessionToken: '  ',
    });
    expect(result.error?.issues[0]).toMatchObject({
      path: ['sessionToken'],
      message: expect.stringMatching(/AWS_SESSION_TOKEN/),
    });
  });
  it('long-term keys need no token', () => {
    expect(
      credentialSourceSchema.safeParse({
        kind: 'access-keys',
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: SECRET,
      }).success,
    ).toBe(true);
  });
  it('names the two kinds when the kind is wrong', () => {
    expect(credentialSourceSchema.safeParse({ kind: 'magic' }).error?.issues[0]?.message).toMatch(
      /sdk-default or access-keys/,
    );
  });
});

describe('verifyRequestSchema', () => {
  const base = {
    source: { kind: 'sdk-default' },
    roleArn: 'arn:aws:iam::123456789012:role/ProwlerScan',
    externalId: 'ext-1234',
  };
  it('accepts the minimum and turns blank optional fields into undefined', () => {
    const parsed = verifyRequestSchema.parse({ ...base, sessionName: '', trustedAccountId: '  ' });
    expect(parsed.sessionName).toBeUndefined();
    expect(parsed.trustedAccountId).toBeUndefined();
  });
  it('refuses unknown fields', () => {
    expect(verifyRequestSchema.safeParse({ ...base, secret: 'x' }).success).toBe(false);
  });
  it('refuses a made-up region on the region field, naming it and its partition', () => {
    const issues = verifyRequestSchema.safeParse({ ...base, region: 'zz-abcd-1' }).error?.issues;
    expect(issues).toEqual([
      expect.objectContaining({
        path: ['region'],
        message: expect.stringMatching(/^zz-abcd-1 is not a region of the aws partition/),
      }),
    ]);
  });
});
