import { z } from 'zod';
import {
  callerIdentitySchema,
  trustSuggestionSchema,
  verifyReportSchema,
} from '../../../domain/api-contract.ts';

// The wizard's answers. Everything here is non-secret and survives a reload (sessionStorage);
// the access key, secret and session token live in secrets.ts, in memory only (issue 6).
// Persisted data is parsed with .catch() so a stale or hand-edited entry degrades to defaults.

const text = z.string().catch('');

export const answersSchema = z.object({
  sourceKind: z.enum(['sdk-default', 'access-keys']).nullable().catch(null),
  /** Who the source resolved to in step 1 (POST /api/identity), for "Use detected identity". */
  detected: z
    .object({ identity: callerIdentitySchema, suggestion: trustSuggestionSchema })
    .nullable()
    .catch(null),
  template: z
    .object({
      region: text,
      stackName: z.string().catch('ProwlerScan'),
      reviewed: z.boolean().catch(false),
    })
    .catch({ region: '', stackName: 'ProwlerScan', reviewed: false }),
  trust: z
    .object({ trustedAccountId: text, iamPrincipal: z.string().catch('role/prowler*') })
    .catch({ trustedAccountId: '', iamPrincipal: 'role/prowler*' }),
  role: z
    .object({
      roleArn: text,
      accountId: text,
      /** The user typed the account ID: stop deriving it from the role ARN. */
      accountIdEdited: z.boolean().catch(false),
      sessionName: text,
      durationSeconds: z.number().int().nullable().catch(null),
    })
    .catch({ roleArn: '', accountId: '', accountIdEdited: false, sessionName: '', durationSeconds: null }),
  /** The last sandbox deployment, to warn when the trust settings no longer match it. */
  deployed: z
    .object({
      accountId: z.string(),
      roleArn: z.string(),
      parameters: z.object({ ExternalId: z.string(), AccountId: z.string(), IAMPrincipal: z.string() }),
    })
    .nullable()
    .catch(null),
  report: verifyReportSchema.nullable().catch(null),
});

export type Answers = z.infer<typeof answersSchema>;

export const EMPTY_ANSWERS: Answers = answersSchema.parse({});
