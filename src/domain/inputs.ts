import { z } from 'zod';

// One schema per user input, shared by the form (zodResolver) and the server.
// Limits follow the IAM/STS API references; see ../shared/PRODUCT.md "AWS facts".

export const PARTITIONS = [
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
] as const;
export type Partition = (typeof PARTITIONS)[number];
export const partitionSchema = z.enum(PARTITIONS, {
  error: `Partition must be one of ${PARTITIONS.join(', ')}.`,
});

const PARTITION_RE = PARTITIONS.join('|');
/** A role path segment: printable ASCII except `/` (IAM path rules). */
export const ROLE_ARN_RE = new RegExp(
  `^arn:(${PARTITION_RE}):iam::(\\d{12}):role/((?:[!-.0-~]+/)*)([\\w+=,.@-]{1,64})$`,
);

/** Trimmed text; blank becomes undefined so optional form fields can stay empty. */
function optionalText<T extends z.ZodType<unknown, string>>(inner: T) {
  return z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))
    .pipe(inner.optional());
}

export const accountIdSchema = z
  .string({ error: 'Enter a 12-digit AWS account ID, like 123456789012.' })
  .trim()
  .regex(/^\d{12}$/, 'An AWS account ID is exactly 12 digits, like 123456789012 (no dashes or spaces).');

export const roleArnSchema = z
  .string({ error: 'Enter the role ARN, like arn:aws:iam::123456789012:role/ProwlerScan.' })
  .trim()
  .min(1, 'Enter the role ARN from the stack outputs, like arn:aws:iam::123456789012:role/ProwlerScan.')
  .max(2048, 'A role ARN is at most 2048 characters.')
  .regex(
    ROLE_ARN_RE,
    'A role ARN looks like arn:aws:iam::123456789012:role/ProwlerScan: a partition, a 12-digit account and role/[path/]name.',
  );

export const externalIdSchema = z
  .string({ error: 'Enter the External ID.' })
  .trim()
  .min(2, 'The External ID is 2 to 1224 characters.')
  .max(1224, 'The External ID is 2 to 1224 characters.')
  .regex(/^[\w+=,.@:/-]+$/, 'The External ID may use letters, digits and + = , . @ : / - _ only.');

/** The part after `arn:<p>:iam::<account>:` that the template's aws:PrincipalArn condition matches. */
export const iamPrincipalSchema = z
  .string({ error: 'Enter the IAM principal, like role/prowler* or user/prowler-app.' })
  .trim()
  .min(1, 'Enter the IAM principal, like role/prowler* or user/prowler-app.')
  .max(512, 'The IAM principal is at most 512 characters.')
  .regex(
    /^(\*|(user|role)\/[\w+=,.@*?/-]+)$/,
    'The IAM principal is role/<name> or user/<name> (a path and the wildcards * and ? are allowed), or * for any principal.',
  );

export const sessionNameSchema = z
  .string()
  .trim()
  .regex(
    /^[\w+=,.@-]{2,64}$/,
    'The session name is 2 to 64 characters of letters, digits and + = , . @ - _.',
  );

export const TEMPLATE_MAX_SESSION_SECONDS = 3600;
export const durationSecondsSchema = z
  .number({ error: 'The session duration is a number of seconds between 900 and 43200.' })
  .int('The session duration is a whole number of seconds.')
  .min(900, 'The session duration is at least 900 seconds (15 minutes).')
  .max(43200, 'The session duration is at most 43200 seconds (12 hours).');

export const accessKeyIdSchema = z
  .string({ error: 'Enter the access key ID.' })
  .trim()
  .regex(/^(AKIA|ASIA)/, 'An access key ID starts with AKIA (long-term) or ASIA (temporary).')
  .regex(/^\w{16,128}$/, 'An access key ID is 16 to 128 letters and digits, like AKIAIOSFODNN7EXAMPLE.');

export const secretAccessKeySchema = z
  .string({ error: 'Enter the secret access key.' })
  .min(1, 'Enter the secret access key.')
  .max(512, 'A secret access key is at most 512 characters.')
  .regex(
    /^[A-Za-z0-9/+=]+$/,
    'A secret access key uses letters, digits and / + = only (40 characters in AWS examples).',
  );

export const sessionTokenSchema = z
  .string()
  .max(8192, 'A session token is at most 8192 characters.')
  .regex(/^[A-Za-z0-9/+=]+$/, 'A session token uses letters, digits and / + = only.');

export const regionSchema = z
  .string()
  .trim()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'A region looks like us-east-1 or eu-west-2.');

export const sdkDefaultSourceSchema = z.object({ kind: z.literal('sdk-default') }).strict();

export const accessKeysSourceSchema = z
  .object({
    kind: z.literal('access-keys'),
    accessKeyId: accessKeyIdSchema,
    secretAccessKey: secretAccessKeySchema,
    sessionToken: optionalText(sessionTokenSchema),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.accessKeyId.startsWith('ASIA') && !value.sessionToken) {
      ctx.addIssue({
        code: 'custom',
        path: ['sessionToken'],
        message: 'Keys starting with ASIA are temporary: paste the AWS_SESSION_TOKEN that came with them.',
      });
    }
  });

export const credentialSourceSchema = z.discriminatedUnion(
  'kind',
  [sdkDefaultSourceSchema, accessKeysSourceSchema],
  {
    error: 'Choose a credential source: sdk-default or access-keys.',
  },
);
export type CredentialSource = z.infer<typeof credentialSourceSchema>;
export type CredentialSourceKind = CredentialSource['kind'];

export const trustSettingsSchema = z.object({
  trustedAccountId: accountIdSchema,
  iamPrincipal: iamPrincipalSchema,
});

export const roleTargetSchema = z.object({
  roleArn: roleArnSchema,
  accountId: optionalText(accountIdSchema),
  sessionName: optionalText(sessionNameSchema),
  durationSeconds: durationSecondsSchema.optional(),
  region: optionalText(regionSchema),
});

export const verifyRequestSchema = z
  .object({
    source: credentialSourceSchema,
    roleArn: roleArnSchema,
    externalId: externalIdSchema,
    sessionName: optionalText(sessionNameSchema),
    durationSeconds: durationSecondsSchema.optional(),
    trustedAccountId: optionalText(accountIdSchema),
    iamPrincipal: optionalText(iamPrincipalSchema),
    accountId: optionalText(accountIdSchema),
    region: optionalText(regionSchema),
    partition: partitionSchema.optional(),
  })
  .strict();
export type VerifyRequest = z.infer<typeof verifyRequestSchema>;
export type VerifyRequestInput = z.input<typeof verifyRequestSchema>;

export const identityRequestSchema = z.object({ source: credentialSourceSchema }).strict();
export type IdentityRequest = z.infer<typeof identityRequestSchema>;
