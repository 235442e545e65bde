import * as z from 'zod/mini';
import { callerIdentitySchema, trustSuggestionSchema } from '../../../domain/api-contract.ts';

// The wizard's answers. Everything here is non-secret and survives a reload (sessionStorage);
// the access key, secret and session token live in secrets.ts, in memory only (issue 6).
// Persisted data is parsed with z.catch() so a stale or hand-edited entry degrades to defaults.

const text = z.catch(z.string(), '');
/** Where a trust setting came from: the template's default, step 1's detection, or the user. */
const origin = z.catch(z.enum(['default', 'detected', 'entered']), 'default');
const orNull = <T extends z.ZodMiniType>(schema: T) => z.catch(z.nullable(schema), null);

export const answersSchema = z.object({
  sourceKind: orNull(z.enum(['sdk-default', 'access-keys'])),
  /** Who the source resolved to in step 1 (POST /api/identity), for "Use detected identity". */
  detected: orNull(z.object({ identity: callerIdentitySchema, suggestion: trustSuggestionSchema })),
  template: z.catch(
    z.object({
      region: text,
      stackName: z.catch(z.string(), 'ProwlerScan'),
      reviewed: z.catch(z.boolean(), false),
    }),
    { region: '', stackName: 'ProwlerScan', reviewed: false },
  ),
  trust: z.catch(z.object({ trustedAccountId: text, iamPrincipal: z.catch(z.string(), 'role/prowler*') }), {
    trustedAccountId: '',
    iamPrincipal: 'role/prowler*',
  }),
  trustOrigin: z.catch(z.object({ trustedAccountId: origin, iamPrincipal: origin }), {
    trustedAccountId: 'default',
    iamPrincipal: 'default',
  }),
  role: z.catch(
    z.object({
      roleArn: text,
      accountId: text,
      /** The user typed the account ID: stop deriving it from the role ARN. */
      accountIdEdited: z.catch(z.boolean(), false),
      sessionName: text,
      durationSeconds: orNull(z.int()),
    }),
    { roleArn: '', accountId: '', accountIdEdited: false, sessionName: '', durationSeconds: null },
  ),
  /** The last sandbox deployment, to warn when the trust settings no longer match it. */
  deployed: orNull(
    z.object({
      accountId: z.string(),
      roleArn: z.string(),
      parameters: z.object({ ExternalId: z.string(), AccountId: z.string(), IAMPrincipal: z.string() }),
    }),
  ),
  /**
   * The last report as POST /api/verify answered it (post-verify.ts parsed it in full). Only its
   * shape is checked here: the report's schema is not part of the first screen (decision 041), and
   * the result step parses the stored report in full before showing it (use-stored-report.ts).
   */
  report: orNull(z.looseObject({ requestId: z.string() })),
});

export type Answers = z.infer<typeof answersSchema>;
export type TrustOrigin = Answers['trustOrigin'];

export const EMPTY_ANSWERS: Answers = answersSchema.parse({});
