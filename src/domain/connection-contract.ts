import * as z from 'zod/mini';
import { verifyReportSchema } from './diagnosis-contract.ts';

// The saved-connections API (issue 13): shared by the server, the web app's connections pages and
// the tests. A module of its own so the wizard's first screen does not carry these schemas.

/** The data a server-drawn page shows (a connection list or detail), as a JSON block with this id. */
export const EMBEDDED_DATA_ID = 'aws-connect-data';

// Saved connections (issue 13). Times are ISO 8601 strings.

export const CONNECTION_API = {
  list: '/api/connections',
  one: '/api/connections/:id',
  verify: '/api/connections/:id/verify',
} as const;

export const connectionPath = (id: string, verify = false) =>
  `/api/connections/${encodeURIComponent(id)}${verify ? '/verify' : ''}`;

/** Where a fact came from (the product's one principle): what AWS answered, what the user entered, what we infer. */
export const provenanceSchema = z.enum(['observed', 'declared', 'inferred']);

export const DRIFT_KINDS = [
  'trust-policy',
  'managed-policy-missing',
  'managed-policy-extra',
  'inline-policy-missing',
  'inline-policy-changed',
  'inline-policy-extra',
  'max-session-duration',
  'template-version',
] as const;

export const driftFindingSchema = z.object({
  kind: z.enum(DRIFT_KINDS),
  /** One sentence: what differs. */
  summary: z.string(),
  /** What the template says (from the declared settings). */
  expected: z.string(),
  /** What IAM answered for the role (observed with the assumed credentials). */
  actual: z.string(),
  /** The change that fixes it; commands are the product's own (links.ts). */
  fix: z.string(),
});
export type DriftFinding = z.infer<typeof driftFindingSchema>;

export const driftReportSchema = z.object({
  checkedAt: z.string(),
  /** The role's state was read with the assumed credentials: the findings are observed, not inferred. */
  provenance: provenanceSchema,
  findings: z.array(driftFindingSchema),
  /** What could not be compared, and why (e.g. "trust policy: the trust settings were not declared"). */
  notChecked: z.array(z.string()),
  templateVersion: z.object({ current: z.string(), deployed: z.nullable(z.string()) }),
});
export type DriftReport = z.infer<typeof driftReportSchema>;

const connectionStatus = z.enum(['ok', 'warning', 'broken', 'unknown']);

export const connectionSummarySchema = z.object({
  id: z.string(),
  alias: z.nullable(z.string()),
  accountId: z.string(),
  roleArn: z.string(),
  sourceKind: z.enum(['sdk-default', 'access-keys']),
  status: connectionStatus,
  /** Re-verified on a schedule: SDK-default connections only (access-key ones keep no keys). */
  monitored: z.boolean(),
  lastVerifiedAt: z.nullable(z.string()),
  diagnosisCode: z.nullable(z.string()),
  /** confirmed or suspected, when the report says. */
  confidence: z.nullable(z.string()),
  createdAt: z.string(),
});
export type ConnectionSummary = z.infer<typeof connectionSummarySchema>;

export const verificationEntrySchema = z.object({
  at: z.string(),
  outcome: connectionStatus,
  diagnosisCode: z.string(),
  confidence: z.nullable(z.string()),
  durationMs: z.number(),
  /** org: an organization run verified it (POST /api/org/verify, `aws-connect org verify --save`). */
  trigger: z.enum(['create', 'manual', 'monitor', 'org']),
});

export const transitionEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  from: z.nullable(connectionStatus),
  to: connectionStatus,
  diagnosisCode: z.string(),
});

export const deliveryEntrySchema = z.object({
  transitionId: z.string(),
  at: z.string(),
  url: z.string(),
  attempt: z.number(),
  statusCode: z.nullable(z.number()),
  error: z.nullable(z.string()),
  delivered: z.boolean(),
});

export const connectionDetailSchema = z.object({
  ...connectionSummarySchema.shape,
  externalId: z.string(),
  trustedAccountId: z.nullable(z.string()),
  iamPrincipal: z.nullable(z.string()),
  sessionName: z.nullable(z.string()),
  durationSeconds: z.nullable(z.number()),
  region: z.nullable(z.string()),
  /** The last report; null when none, or when it was saved in a shape this version no longer reads. */
  report: z.nullable(verifyReportSchema),
  reportOutdated: z.boolean(),
  drift: z.nullable(driftReportSchema),
  nextCheckAt: z.nullable(z.string()),
  history: z.array(verificationEntrySchema),
  transitions: z.array(transitionEntrySchema),
  deliveries: z.array(deliveryEntrySchema),
});
export type ConnectionDetail = z.infer<typeof connectionDetailSchema>;

export const connectionListSchema = z.object({
  items: z.array(connectionSummarySchema),
  total: z.number(),
  limit: z.number(),
  offset: z.number(),
});
export type ConnectionList = z.infer<typeof connectionListSchema>;

/** POST /api/connections and POST /api/connections/:id/verify. */
export const connectionVerifiedSchema = z.object({
  id: z.string(),
  status: connectionStatus,
  report: verifyReportSchema,
  connection: connectionSummarySchema,
});

/** What a server-drawn page carries for the app (EMBEDDED_DATA_ID), so it does not fetch it again. */
export const embeddedDataSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('connections'),
    status: z.nullable(connectionStatus),
    list: connectionListSchema,
  }),
  z.object({ kind: z.literal('connection'), detail: connectionDetailSchema }),
]);
export type EmbeddedData = z.infer<typeof embeddedDataSchema>;
