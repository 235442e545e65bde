import * as z from 'zod/mini';
import { awsErrorSchema, callerIdentitySchema, identityResolvedSchema } from './api-contract.ts';
import { diagnosisCodeSchema } from './diagnosis/codes.ts';
import { factSchema } from './diagnosis/evidence.ts';
import { candidateSchema, confidenceSchema, renderedGuidanceSchema } from './diagnosis/guidance-schema.ts';
import { partitionSchema } from './inputs.ts';
import { evaluationSchema } from './trust/explanation.ts';

// The API answers that carry a diagnosis: a failed identity check and the verify report, with their
// typed evidence and the guidance the server rendered. Apart from api-contract.ts so the first
// screen, which needs neither, does not carry these schemas (docs/decisions/041-first-screen-contract.md).

export const identityFailedSchema = z.object({
  ok: z.literal(false),
  diagnosis: z.object({ code: diagnosisCodeSchema, facts: z.array(factSchema) }),
  /** The guidance for it, rendered by the server for this deployment. */
  guidance: renderedGuidanceSchema,
  awsError: z.nullable(awsErrorSchema),
});

export const identityResponseSchema = z.discriminatedUnion('ok', [
  identityResolvedSchema,
  identityFailedSchema,
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
    /** confirmed: AWS or the role's real state says so; suspected: inferred, see candidates. */
    confidence: confidenceSchema,
    /** For a suspected cause: every cause not ruled out, most likely first, each with its check. */
    candidates: z.array(candidateSchema),
    /** Every fact, tagged observed (which call, which field), declared or inferred. Never secrets. */
    facts: z.array(factSchema),
    /** The code's facts from the catalogue, so clients need not bundle it. */
    traits: z.object({ worthWaiting: z.boolean(), fixedByRedeploy: z.boolean(), trustSide: z.boolean() }),
  }),
  /** The diagnosis's guidance as rendered for this server (or the CLI): each command with whose credentials it runs. */
  guidance: renderedGuidanceSchema,
  /** The guidance of every further finding (findings without the diagnosis), in that order. */
  findingsGuidance: z.array(renderedGuidanceSchema),
  /** Further findings beyond the primary diagnosis (e.g. both warnings). */
  findings: z.array(diagnosisCodeSchema),
  checks: z.array(checkSchema),
  caller: z.nullable(callerIdentitySchema),
  assumed: z.nullable(
    z.object({ arn: z.string(), assumedRoleId: z.string(), expiration: z.string(), accessKeyId: z.string() }),
  ),
  audit: z.nullable(auditSchema),
  /**
   * The trust-chain picture: the role's real trust policy (basis role-evidence), or the one the
   * entered settings produce (basis declared), evaluated against the caller.
   */
  trust: z.nullable(
    z.object({
      policy: z.unknown(),
      evaluation: evaluationSchema,
      basis: z.enum(['declared', 'role-evidence']),
    }),
  ),
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
    stackName: z.optional(z.string()),
  }),
  timings: z.array(z.object({ call: z.string(), ms: z.number() })),
  awsError: z.nullable(awsErrorSchema),
  requestId: z.string(),
  finishedAt: z.string(),
});
export type VerifyReport = z.infer<typeof verifyReportSchema>;
