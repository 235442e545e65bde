import * as z from 'zod/mini';
import { awsErrorSchema } from './api-contract.ts';
import { diagnosisCodeSchema } from './diagnosis/codes.ts';
import { verifyReportSchema } from './diagnosis-contract.ts';
import {
  accountIdSchema,
  credentialSourceSchema,
  externalIdSchema,
  iamPrincipalSchema,
  partitionSchema,
  roleArnSchema,
} from './inputs.ts';
import {
  accountTargetSchema,
  concurrencySchema,
  MAX_ACCOUNTS_PER_RUN,
  roleNameSchema,
  selectionSchema,
} from './org-inputs.ts';
import { DEFAULT_ROLE_NAME } from './template/role-template.ts';

// The organization API (issue 14): discovery, and bulk verification streamed as events (NDJSON
// lines or Server-Sent Events). The server writes, and the web app and the CLI read, exactly these
// shapes; every event is parsed at the client boundary like every other response.

export const ORG_API = {
  discover: '/api/org/discover',
  verify: '/api/org/verify',
} as const;

export { NDJSON } from './ndjson-stream.ts';
export const EVENT_STREAM = 'text/event-stream';

const sdkDefault = { kind: 'sdk-default' as const };

/** Discovery: assume the management (or delegated administrator) role, then read the organization. */
export const discoverRequestSchema = z.strictObject({
  source: z._default(credentialSourceSchema, sdkDefault),
  roleArn: roleArnSchema,
  externalId: externalIdSchema,
  /** Declared trust settings: when the role cannot be assumed, its verification explains with them. */
  trustedAccountId: z.optional(accountIdSchema),
  iamPrincipal: z.optional(iamPrincipalSchema),
});
export type DiscoverRequest = z.infer<typeof discoverRequestSchema>;

export const organizationalUnitSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['root', 'ou']),
  /** null for a root. */
  parentId: z.nullable(z.string()),
});
export type OrganizationalUnit = z.infer<typeof organizationalUnitSchema>;

export const discoveredAccountSchema = z.object({
  accountId: z.string(),
  name: z.string(),
  /** ACTIVE for every account in `accounts`; SUSPENDED, PENDING_CLOSURE, CLOSED… in `inactiveAccounts`. */
  state: z.string(),
  parentId: z.string(),
});
export type DiscoveredAccount = z.infer<typeof discoveredAccountSchema>;

export const discoverySchema = z.object({
  organization: z.object({ id: z.string(), managementAccountId: z.string(), featureSet: z.string() }),
  /** The account of the role that was assumed: the management account or a delegated administrator. */
  callerAccountId: z.string(),
  delegatedAdministrator: z.boolean(),
  /** Roots and OUs, parents before children. */
  units: z.array(organizationalUnitSchema),
  /** ACTIVE accounts only: a suspended account cannot be assumed into. */
  accounts: z.array(discoveredAccountSchema),
  inactiveAccounts: z.array(discoveredAccountSchema),
  /** Organizations calls made (pages included). */
  calls: z.int(),
});
export type Discovery = z.infer<typeof discoverySchema>;

export const DISCOVERY_FAILURES = [
  /** The role could not be assumed: `report` is the verification of that role, with its diagnosis. */
  'ROLE_NOT_ASSUMED',
  /** AWSOrganizationsNotInUseException: the role's account is in no organization. */
  'NOT_IN_ORGANIZATION',
  /** AccessDeniedException from Organizations: not the management account nor a delegated administrator, or the role may not read it. */
  'ORGANIZATIONS_ACCESS_DENIED',
  'THROTTLED',
  'UNREACHABLE',
  /** An OU or account of the selection is not in the organization (a typo, or another organization). */
  'SELECTION_NOT_FOUND',
  'UNKNOWN',
] as const;

export const discoveryFailureSchema = z.object({
  code: z.enum(DISCOVERY_FAILURES),
  message: z.string(),
  awsError: z.nullable(awsErrorSchema),
  report: z.nullable(verifyReportSchema),
});
export type DiscoveryFailure = z.infer<typeof discoveryFailureSchema>;

export const discoverResponseSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), discovery: discoverySchema }),
  z.object({ ok: z.literal(false), failure: discoveryFailureSchema }),
]);

export const runIdSchema = z
  .string()
  .check(z.regex(/^[0-9a-f-]{36}$/, 'A run ID is the runId of an earlier run.'));

export const orgTargetsSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('organization'),
      /** The management-account or delegated-administrator role discovery assumes. */
      roleArn: roleArnSchema,
      selection: z.optional(selectionSchema),
    }),
    z.strictObject({
      kind: z.literal('accounts'),
      accounts: z
        .array(accountTargetSchema)
        .check(
          z.minLength(1, 'Give at least one account.'),
          z.maxLength(MAX_ACCOUNTS_PER_RUN, `One run verifies at most ${MAX_ACCOUNTS_PER_RUN} accounts.`),
        ),
      partition: z._default(partitionSchema, 'aws'),
    }),
  ],
  { error: 'targets is {kind: "organization", roleArn, selection?} or {kind: "accounts", accounts: [...]}.' },
);

/**
 * POST /api/org/verify. Either `targets` (a new run) or `retryOf` (the accounts of that run that
 * did not verify OK, with that run's settings; `source` again when it used access keys, which are
 * never kept).
 */
export const orgVerifyRequestSchema = z
  .strictObject({
    source: z.optional(credentialSourceSchema),
    targets: z.optional(orgTargetsSchema),
    retryOf: z.optional(runIdSchema),
    externalId: z.optional(externalIdSchema),
    roleName: z.optional(roleNameSchema),
    /** Declared trust settings, passed to each verification (its trust picture). */
    trustedAccountId: z.optional(accountIdSchema),
    iamPrincipal: z.optional(iamPrincipalSchema),
    concurrency: z.optional(concurrencySchema),
  })
  .check(
    z.superRefine((value, ctx) => {
      if ((value.targets === undefined) === (value.retryOf === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['targets'],
          message: 'Give targets (a new run) or retryOf (the failed accounts of an earlier run), not both.',
        });
      }
      if (value.targets && value.externalId === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['externalId'],
          message: 'Enter the External ID the stacks were deployed with.',
        });
      }
    }),
  );
export type OrgVerifyRequest = z.infer<typeof orgVerifyRequestSchema>;
export type OrgVerifyRequestInput = z.input<typeof orgVerifyRequestSchema>;
export const DEFAULT_ORG_ROLE_NAME = DEFAULT_ROLE_NAME;

const plannedAccountSchema = z.object({
  accountId: z.string(),
  alias: z.optional(z.string()),
  roleArn: z.string(),
  parentId: z.optional(z.string()),
});
export type PlannedAccount = z.infer<typeof plannedAccountSchema>;

/** First event: what will be verified. */
export const startEventSchema = z.object({
  type: z.literal('start'),
  runId: z.string(),
  retryOf: z.optional(z.string()),
  total: z.int(),
  concurrency: z.int(),
  /** STS calls per second this caller's token bucket allows. */
  stsRatePerSecond: z.number(),
  discovery: z.optional(
    z.object({ organizationId: z.string(), managementAccountId: z.string(), calls: z.int() }),
  ),
  accounts: z.array(plannedAccountSchema),
});

/** One per account, exactly once, in the order the verifications finish. */
export const accountEventSchema = z.object({
  type: z.literal('account'),
  runId: z.string(),
  /** 1..total: this event's position in the stream. */
  index: z.int(),
  accountId: z.string(),
  alias: z.optional(z.string()),
  roleArn: z.string(),
  ok: z.boolean(),
  connected: z.boolean(),
  code: diagnosisCodeSchema,
  /** Verifications of this account in this run (more than 1 after throttling). */
  attempts: z.int(),
  /** No result within the per-account timeout: `report` is null and nothing was saved. */
  timedOut: z.boolean(),
  /** The result was saved as a connection (the server with its store; the CLI with --save). */
  saved: z.boolean(),
  /** That connection (/connections/:id): one per owner and role ARN, updated by every run. */
  connectionId: z.optional(z.string()),
  report: z.nullable(verifyReportSchema),
});
export type AccountEvent = z.infer<typeof accountEventSchema>;

/** The last event of a run that reached its accounts. */
export const summaryEventSchema = z.object({
  type: z.literal('summary'),
  runId: z.string(),
  total: z.int(),
  /** Accounts with an account event (all of them unless cancelled). */
  completed: z.int(),
  ok: z.int(),
  connected: z.int(),
  byCode: z.record(z.string(), z.int()),
  /** Accounts whose verification was not OK: what retryOf verifies again. */
  failed: z.array(z.string()),
  cancelled: z.boolean(),
  durationMs: z.number(),
});
export type SummaryEvent = z.infer<typeof summaryEventSchema>;

/** The run could not start: discovery failed, or the run to retry is unknown. */
export const failedEventSchema = z.object({
  type: z.literal('failed'),
  runId: z.string(),
  failure: discoveryFailureSchema,
});

export const orgEventSchema = z.discriminatedUnion('type', [
  startEventSchema,
  accountEventSchema,
  summaryEventSchema,
  failedEventSchema,
]);
export type OrgEvent = z.infer<typeof orgEventSchema>;
export type StartEvent = z.infer<typeof startEventSchema>;
