import * as z from 'zod/mini';
import { accountIdSchema } from './inputs.ts';
import { ROLE_NAME_RE } from './template/role-template.ts';

// Inputs of the organization features (issue 14): OU and root IDs, account selections, the StackSet
// settings. Patterns from the Organizations API reference (ParentId, OrganizationalUnitId):
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccountsForParent.html

export const OU_ID_RE = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
export const ROOT_ID_RE = /^r-[0-9a-z]{4,32}$/;

/** A deployment target or selection: an OU (ou-…) or the organization's root (r-…). */
export const parentIdSchema = z
  .string({ error: 'Enter an OU ID like ou-ab12-cd34ef56, or the root ID like r-ab12.' })
  .check(
    z.trim(),
    z.refine((v) => OU_ID_RE.test(v) || ROOT_ID_RE.test(v), {
      message:
        'An OU ID looks like ou-ab12-cd34ef56 (ou-, 4 to 32 lower-case letters or digits, -, 8 to 32 more); the root ID like r-ab12.',
    }),
  );

export const roleNameSchema = z
  .string({ error: 'Enter the role name, like ProwlerScan.' })
  .check(
    z.trim(),
    z.regex(ROLE_NAME_RE, 'A role name is 1 to 64 characters of letters, digits and + = , . @ - _.'),
  );

/** An account alias as the CSV carries it: free text, shown, never interpreted. */
export const accountAliasSchema = z
  .string()
  .check(
    z.trim(),
    z.maxLength(128, 'An alias is at most 128 characters.'),
    z.regex(/^[^\p{Cc}]*$/u, 'An alias has no control characters.'),
  );

export const CALL_AS = ['SELF', 'DELEGATED_ADMIN'] as const;
export const callAsSchema = z.enum(CALL_AS, {
  error: 'CallAs is SELF (the management account) or DELEGATED_ADMIN (a delegated administrator).',
});
export type CallAs = z.infer<typeof callAsSchema>;

/** One account to verify: from discovery or a CSV row. */
export const accountTargetSchema = z.strictObject({
  accountId: accountIdSchema,
  alias: z.optional(accountAliasSchema),
  /** Overrides the run's role name for this account (CSV role_name). */
  roleName: z.optional(roleNameSchema),
  /** The OU the account sits in (discovery only). */
  parentId: z.optional(parentIdSchema),
});
export type AccountTarget = z.infer<typeof accountTargetSchema>;

/** How many accounts one run may verify: a large organization, with room (AWS's default quota is 10). */
export const MAX_ACCOUNTS_PER_RUN = 10_000;
export const MAX_CONCURRENCY = 64;
export const DEFAULT_CONCURRENCY = 8;

export const concurrencySchema = z
  .number({ error: `The concurrency is a whole number from 1 to ${MAX_CONCURRENCY}.` })
  .check(
    z.int(`The concurrency is a whole number from 1 to ${MAX_CONCURRENCY}.`),
    z.minimum(1, `The concurrency is a whole number from 1 to ${MAX_CONCURRENCY}.`),
    z.maximum(MAX_CONCURRENCY, `The concurrency is at most ${MAX_CONCURRENCY}.`),
  );

/** Include and exclude rules applied to a discovered tree (discover.ts selectAccounts). */
export const selectionSchema = z.strictObject({
  /** Only accounts under these OUs (at any depth); empty or absent: every OU. */
  includeOus: z.optional(z.array(parentIdSchema).check(z.maxLength(1000))),
  excludeOus: z.optional(z.array(parentIdSchema).check(z.maxLength(1000))),
  /** Only these accounts (after the OU rules); absent: all. */
  includeAccounts: z.optional(z.array(accountIdSchema).check(z.maxLength(MAX_ACCOUNTS_PER_RUN))),
  excludeAccounts: z.optional(z.array(accountIdSchema).check(z.maxLength(MAX_ACCOUNTS_PER_RUN))),
});
export type Selection = z.infer<typeof selectionSchema>;
