import * as z from 'zod/mini';
import { isKnownRegion, partitionForRegion, REGIONS_BY_PARTITION, type RegionPartition } from './regions.ts';

// One schema per user input, shared by the form (zodResolver) and the server.
// Limits follow the IAM/STS API references; see docs/design.md#aws-facts-the-validation-follows.
// zod/mini, not classic zod: the browser loads these schemas on the first screen and classic zod
// cannot be tree-shaken (issue 7 budgets). Same zod 4 package and parser on both sides.

// Mini loads no locale; classic zod loads English. Load it here so a default message (a schema
// without an explicit one) reads the same in the browser, the server and the CLI.
z.config(z.locales.en());

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
// The region list covers exactly these partitions (a compile error otherwise).
const PARTITIONS_HAVE_REGIONS: [Partition, RegionPartition] extends [RegionPartition, Partition]
  ? true
  : never = true;
void PARTITIONS_HAVE_REGIONS;
export const partitionSchema = z.enum(PARTITIONS, {
  error: `Partition must be one of ${PARTITIONS.join(', ')}.`,
});

const PARTITION_RE = PARTITIONS.join('|');
/** A role path segment: printable ASCII except `/` (IAM path rules). */
export const ROLE_ARN_RE = new RegExp(
  `^arn:(${PARTITION_RE}):iam::(\\d{12}):role/((?:[!-.0-~]+/)*)([\\w+=,.@-]{1,64})$`,
);

/** Trimmed text; blank becomes undefined so optional form fields can stay empty. */
export function optionalText<T extends z.ZodMiniType<unknown, string>>(inner: T) {
  return z.pipe(
    z.pipe(
      z.optional(z.string()),
      z.transform((v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim())),
    ),
    z.optional(inner),
  );
}

export const accountIdSchema = z
  .string({ error: 'Enter a 12-digit AWS account ID, like 123456789012.' })
  .check(
    z.trim(),
    z.regex(/^\d{12}$/, 'An AWS account ID is exactly 12 digits, like 123456789012 (no dashes or spaces).'),
  );

export const roleArnSchema = z
  .string({ error: 'Enter the role ARN, like arn:aws:iam::123456789012:role/ProwlerScan.' })
  .check(
    z.trim(),
    z.minLength(
      1,
      'Enter the role ARN from the stack outputs, like arn:aws:iam::123456789012:role/ProwlerScan.',
    ),
    z.maxLength(2048, 'A role ARN is at most 2048 characters.'),
    z.regex(
      ROLE_ARN_RE,
      'A role ARN looks like arn:aws:iam::123456789012:role/ProwlerScan: a partition, a 12-digit account and role/[path/]name.',
    ),
  );

export const externalIdSchema = z
  .string({ error: 'Enter the External ID.' })
  .check(
    z.trim(),
    z.minLength(2, 'The External ID is 2 to 1224 characters.'),
    z.maxLength(1224, 'The External ID is 2 to 1224 characters.'),
    z.regex(/^[\w+=,.@:/-]+$/, 'The External ID may use letters, digits and + = , . @ : / - _ only.'),
  );

/** The part after `arn:<p>:iam::<account>:` that the template's aws:PrincipalArn condition matches. */
export const iamPrincipalSchema = z
  .string({ error: 'Enter the IAM principal, like role/prowler* or user/prowler-app.' })
  .check(
    z.trim(),
    z.minLength(1, 'Enter the IAM principal, like role/prowler* or user/prowler-app.'),
    z.maxLength(512, 'The IAM principal is at most 512 characters.'),
    z.regex(
      /^(\*|(user|role)\/[\w+=,.@*?/-]+)$/,
      'The IAM principal is role/<name> or user/<name> (a path and the wildcards * and ? are allowed), or * for any principal.',
    ),
  );

export const sessionNameSchema = z
  .string()
  .check(
    z.trim(),
    z.regex(
      /^[\w+=,.@-]{2,64}$/,
      'The session name is 2 to 64 characters of letters, digits and + = , . @ - _.',
    ),
  );

export const TEMPLATE_MAX_SESSION_SECONDS = 3600;
export const durationSecondsSchema = z
  .number({ error: 'The session duration is a number of seconds between 900 and 43200.' })
  .check(
    z.int('The session duration is a whole number of seconds.'),
    z.minimum(900, 'The session duration is at least 900 seconds (15 minutes).'),
    z.maximum(43200, 'The session duration is at most 43200 seconds (12 hours).'),
  );

export const accessKeyIdSchema = z
  .string({ error: 'Enter the access key ID.' })
  .check(
    z.trim(),
    z.regex(/^(AKIA|ASIA)/, 'An access key ID starts with AKIA (long-term) or ASIA (temporary).'),
    z.regex(/^\w{16,128}$/, 'An access key ID is 16 to 128 letters and digits, like AKIAIOSFODNN7EXAMPLE.'),
  );

export const secretAccessKeySchema = z
  .string({ error: 'Enter the secret access key.' })
  .check(
    z.minLength(1, 'Enter the secret access key.'),
    z.maxLength(512, 'A secret access key is at most 512 characters.'),
    z.regex(
      /^[A-Za-z0-9/+=]+$/,
      'A secret access key uses letters, digits and / + = only (40 characters in AWS examples).',
    ),
  );

export const sessionTokenSchema = z
  .string()
  .check(
    z.maxLength(8192, 'A session token is at most 8192 characters.'),
    z.regex(/^[A-Za-z0-9/+=]+$/, 'A session token uses letters, digits and / + = only.'),
  );

const REGION_FORMAT = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

/** Why a well-formed region is refused: it names the region and the partition it would be in. */
function unknownRegionMessage(region: string): string {
  const partition = partitionForRegion(region);
  const regions: readonly string[] = REGIONS_BY_PARTITION[partition];
  const known =
    regions.length <= 4
      ? `its regions are ${regions.join(', ')}`
      : `pick one of its ${regions.length} regions, like ${regions.slice(0, 2).join(' or ')}`;
  return `${region} is not a region of the ${partition} partition: ${known}.`;
}

/** Only regions AWS has (regions.ts): each region the server is sent costs it an SDK client. */
export const regionSchema = z.string().check(
  z.trim(),
  z.superRefine((value, ctx) => {
    if (!REGION_FORMAT.test(value)) {
      ctx.addIssue({ code: 'custom', message: 'A region looks like us-east-1 or eu-west-2.' });
    } else if (!isKnownRegion(value)) {
      ctx.addIssue({ code: 'custom', message: unknownRegionMessage(value) });
    }
  }),
);

/** A CloudFormation stack name (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html). */
export const stackNameSchema = z
  .string()
  .check(
    z.trim(),
    z.regex(
      /^[A-Za-z][A-Za-z0-9-]{0,127}$/,
      'A stack name starts with a letter and uses letters, digits and hyphens (at most 128).',
    ),
  );

export const sdkDefaultSourceSchema = z.strictObject({ kind: z.literal('sdk-default') });

export const accessKeysSourceSchema = z
  .strictObject({
    kind: z.literal('access-keys'),
    accessKeyId: accessKeyIdSchema,
    secretAccessKey: secretAccessKeySchema,
    sessionToken: optionalText(sessionTokenSchema),
  })
  .check(
    z.superRefine((value, ctx) => {
      if (value.accessKeyId.startsWith('ASIA') && !value.sessionToken) {
        ctx.addIssue({
          code: 'custom',
          path: ['sessionToken'],
          message: 'Keys starting with ASIA are temporary: paste the AWS_SESSION_TOKEN that came with them.',
        });
      }
    }),
  );

export const credentialSourceSchema = z.discriminatedUnion(
  'kind',
  [sdkDefaultSourceSchema, accessKeysSourceSchema],
  {
    error: 'Choose a credential source: sdk-default or access-keys.',
  },
);
export type CredentialSource = z.infer<typeof credentialSourceSchema>;
export type AccessKeysSource = z.infer<typeof accessKeysSourceSchema>;
export type CredentialSourceKind = CredentialSource['kind'];

export const trustSettingsSchema = z.object({
  trustedAccountId: accountIdSchema,
  iamPrincipal: iamPrincipalSchema,
});

export const roleTargetSchema = z.object({
  roleArn: roleArnSchema,
  accountId: optionalText(accountIdSchema),
  sessionName: optionalText(sessionNameSchema),
  durationSeconds: z.optional(durationSecondsSchema),
  region: optionalText(regionSchema),
});

export const identityRequestSchema = z.strictObject({ source: credentialSourceSchema });
