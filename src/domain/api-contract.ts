import * as z from 'zod/mini';
import { diagnosisCodeSchema } from './diagnosis/codes.ts';
import { partitionSchema } from './inputs.ts';
import { evaluationSchema } from './trust/explanation.ts';

// The HTTP API between the wizard and the server. Requests are the schemas in inputs.ts;
// every response is parsed with these at the client boundary.

export const API = {
  health: '/api/health',
  config: '/api/config',
  identity: '/api/identity',
  verify: '/api/verify',
  sandboxStacks: '/api/sandbox/stacks',
  sandboxScenario: '/api/sandbox/scenario',
} as const;

export const flavourSchema = z.enum(['hosted', 'self-hosted']);
export type Flavour = z.infer<typeof flavourSchema>;

export const configResponseSchema = z.object({
  flavour: flavourSchema,
  productName: z.string(),
  /** The embedded local AWS sandbox is active: nothing reaches real AWS. */
  sandbox: z.boolean(),
  /** The https S3 URL of the published template, for the console quick-create link; null when not configured. */
  templateUrl: z.nullable(z.string()),
  /** The same for the organization template (issue 14); absent or null when not configured. */
  organizationTemplateUrl: z.optional(z.nullable(z.string())),
  /** The External ID the server accepts: the one it issued, or the Prowler tenant ID when `prowler` (docs/design.md#security-rules; decisions 005, 038). */
  externalId: z.string(),
  /** The Prowler App integration is on (PROWLER_API_URL and PROWLER_API_KEY): the wizard offers "Push to Prowler". */
  prowler: z.boolean(),
  region: z.string(),
  partition: partitionSchema,
  version: z.string(),
});
export type ConfigResponse = z.infer<typeof configResponseSchema>;

/**
 * The server writes the config response into the page as a JSON data block with this id, so the
 * first screen needs no /api/config round trip (the app still fetches it when the block is absent).
 */
export const EMBEDDED_CONFIG_ID = 'aws-connect-config';

/** A field error: `path` is the dotted field path of the request, e.g. "roleArn" or "source.accessKeyId". */
export const fieldErrorSchema = z.object({ path: z.string(), message: z.string() });
export type FieldError = z.infer<typeof fieldErrorSchema>;

/** Every non-2xx answer of the API has this body. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z._default(z.array(fieldErrorSchema), []),
    requestId: z.optional(z.string()),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const awsErrorSchema = z.object({
  /** Which call failed, e.g. "sts:AssumeRole". */
  call: z.string(),
  code: z.string(),
  message: z.string(),
  requestId: z.optional(z.string()),
  httpStatus: z.optional(z.int()),
});
export type AwsErrorInfo = z.infer<typeof awsErrorSchema>;

export const callerIdentitySchema = z.object({
  /** As GetCallerIdentity returns it (may be an sts assumed-role ARN). */
  arn: z.string(),
  account: z.string(),
  userId: z.string(),
  /** The aws:PrincipalArn the caller presents to a trust policy. */
  principalArn: z.string(),
  /** The caller is a role session: its role path is not visible, so principalArn assumes none. */
  pathUnknown: z.boolean(),
});
export type CallerIdentity = z.infer<typeof callerIdentitySchema>;

export const trustSuggestionSchema = z.object({
  trustedAccountId: z.string(),
  iamPrincipal: z.string(),
  /** Why this value, and any caveat (role paths invisible in assumed-role ARNs). */
  notes: z.array(z.string()),
});
export type TrustSuggestion = z.infer<typeof trustSuggestionSchema>;

export const identityResponseSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), identity: callerIdentitySchema, suggestion: trustSuggestionSchema }),
  z.object({
    ok: z.literal(false),
    diagnosis: z.object({ code: diagnosisCodeSchema, evidence: z.record(z.string(), z.string()) }),
    awsError: z.nullable(awsErrorSchema),
  }),
]);
export type IdentityResponse = z.infer<typeof identityResponseSchema>;

export const CHECK_IDS = [
  'source-identity',
  'assume-role',
  'external-id-enforced',
  'permission-audit',
] as const;
export const checkSchema = z.object({
  id: z.enum(CHECK_IDS),
  title: z.string(),
  status: z.enum(['pass', 'fail', 'warn', 'skipped']),
  detail: z.string(),
});
export type Check = z.infer<typeof checkSchema>;

export const auditSchema = z.object({
  managedPolicies: z.array(z.object({ name: z.string(), arn: z.string(), present: z.boolean() })),
  additionsPolicy: z.object({ name: z.string(), present: z.boolean() }),
  maxSessionDuration: z.nullable(z.int()),
});
export type Audit = z.infer<typeof auditSchema>;

export const verifyReportSchema = z.object({
  /** The role was assumed and nothing needs fixing (diagnosis OK). */
  ok: z.boolean(),
  /** The role was assumed (true also with warnings). */
  connected: z.boolean(),
  diagnosis: z.object({
    code: diagnosisCodeSchema,
    severity: z.enum(['ok', 'warning', 'error']),
    /** Values the guidance and the trust-chain picture show, e.g. callerArn, expectedPrincipalArn. Never secrets. */
    evidence: z.record(z.string(), z.string()),
  }),
  /** Further findings beyond the primary diagnosis (e.g. both warnings). */
  findings: z.array(diagnosisCodeSchema),
  checks: z.array(checkSchema),
  caller: z.nullable(callerIdentitySchema),
  assumed: z.nullable(
    z.object({ arn: z.string(), assumedRoleId: z.string(), expiration: z.string(), accessKeyId: z.string() }),
  ),
  audit: z.nullable(auditSchema),
  /** The trust policy the expected settings produce, evaluated against the caller: the trust-chain picture. */
  trust: z.nullable(z.object({ policy: z.unknown(), evaluation: evaluationSchema })),
  /** The request as verified, without secrets (access key ID masked). */
  request: z.object({
    sourceKind: z.enum(['sdk-default', 'access-keys']),
    accessKeyId: z.optional(z.string()),
    roleArn: z.string(),
    externalId: z.string(),
    sessionName: z.string(),
    durationSeconds: z.int(),
    trustedAccountId: z.optional(z.string()),
    iamPrincipal: z.optional(z.string()),
    accountId: z.optional(z.string()),
    region: z.string(),
    partition: partitionSchema,
  }),
  timings: z.array(z.object({ call: z.string(), ms: z.number() })),
  awsError: z.nullable(awsErrorSchema),
  requestId: z.string(),
  finishedAt: z.string(),
});
export type VerifyReport = z.infer<typeof verifyReportSchema>;

/** Demo only: deploy the product's template into the embedded sandbox. */
export const sandboxDeployRequestSchema = z.strictObject({
  accountId: z.string().check(z.regex(/^\d{12}$/, 'An AWS account ID is exactly 12 digits.')),
  stackName: z._default(z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/)), 'ProwlerScan'),
  roleName: z._default(z.string().check(z.regex(/^[\w+=,.@-]{1,64}$/)), 'ProwlerScan'),
  parameters: z.strictObject({ ExternalId: z.string(), AccountId: z.string(), IAMPrincipal: z.string() }),
});
export type SandboxDeployRequest = z.infer<typeof sandboxDeployRequestSchema>;
export const sandboxDeployResponseSchema = z.object({
  roleArn: z.string(),
  stackName: z.string(),
  updated: z.boolean(),
});

export const sandboxScenarioResponseSchema = z.object({
  /** The server's own identity in the demo. */
  scannerAccountId: z.string(),
  targets: z.array(
    z.object({
      accountId: z.string(),
      roleArn: z.nullable(z.string()),
      label: z.string(),
      illustrates: z.string(),
      /** The diagnosis verifying this target with the scanner identity gives (demo scenario). */
      expectedDiagnosis: z.optional(diagnosisCodeSchema),
      /**
       * The account's administrator (the customer's side: who runs the doctor and the fixes), as
       * an IAM user ARN and its access key ID; the secret is in the scenario file, never here.
       */
      administrator: z.optional(z.object({ arn: z.string(), accessKeyId: z.string() })),
    }),
  ),
  /** Demo access keys for the "Access & Secret Key" source (IDs only; secrets are in the scenario file). */
  sources: z.optional(
    z.array(
      z.object({
        accountId: z.string(),
        accessKeyId: z.string(),
        label: z.string(),
        illustrates: z.string(),
        expectedDiagnosis: z.optional(diagnosisCodeSchema),
      }),
    ),
  ),
});
export type SandboxScenarioResponse = z.infer<typeof sandboxScenarioResponseSchema>;
