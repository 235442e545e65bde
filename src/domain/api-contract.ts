import * as z from 'zod/mini';
import { partitionSchema } from './inputs.ts';

// The HTTP API between the wizard and the server. Requests are the schemas in inputs.ts and
// verify-request.ts; every response is parsed with these at the client boundary. The answers that
// carry a diagnosis (a failed identity check, the verify report) are in diagnosis-contract.ts: the
// first screen does not load their evidence and guidance schemas (bundle budget, decision 041).

export const API = {
  health: '/api/health',
  config: '/api/config',
  identity: '/api/identity',
  verify: '/api/verify',
  sandboxStacks: '/api/sandbox/stacks',
  sandboxScenario: '/api/sandbox/scenario',
} as const;

export const flavourSchema = z.enum(['hosted', 'self-hosted']);

/** How the server runs (AWS_CONNECT_DEPLOYMENT): each has its own way of giving it AWS credentials. */
export const DEPLOYMENTS = ['node', 'compose', 'ecs', 'ec2', 'kubernetes'] as const;
export type Deployment = (typeof DEPLOYMENTS)[number];
export type Flavour = z.infer<typeof flavourSchema>;

export const configResponseSchema = z.object({
  flavour: flavourSchema,
  productName: z.string(),
  /** How the server runs (AWS_CONNECT_DEPLOYMENT): its credential guidance depends on it. */
  deployment: z.enum(DEPLOYMENTS),
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

/** An identity check that resolved: who the source is, and the trust settings that would admit it. */
export const identityResolvedSchema = z.object({
  ok: z.literal(true),
  identity: callerIdentitySchema,
  suggestion: trustSuggestionSchema,
});

/**
 * What the first screen parses of POST /api/identity: a resolved identity in full; a failure only
 * as one, since its diagnosis and guidance are parsed by identityResponseSchema
 * (diagnosis-contract.ts), which loads with the panel that shows them.
 */
export const identityAnswerSchema = z.discriminatedUnion('ok', [
  identityResolvedSchema,
  z.looseObject({ ok: z.literal(false) }),
]);
