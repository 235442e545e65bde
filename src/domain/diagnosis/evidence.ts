import * as z from 'zod/mini';

// The evidence of a diagnosis, each fact tagged with where it came from (issue 12, item 1):
// - observed: AWS answered it, to a named call, in a named field; seen by the scanner's own
//   calls, or by the target account's side (the trust doctor's output, pasted back);
// - declared: the user entered it (trust settings, role ARN, stack name) or the operator
//   configured it;
// - inferred: the product concludes it, from the facts named in `from`.
// Built once on the server, carried in the report, rendered by report-guidance.ts for the web
// app, the CLI and the exports. A value is always text: the report never carries a secret.

export const FACT_KEYS = [
  // The caller, as AWS named it.
  'callerArn',
  'callerAccountId',
  'callerPartition',
  'principalArn',
  // What the user entered (or the operator configured).
  'roleArn',
  'roleName',
  'roleAccountId',
  'rolePartition',
  'accountId',
  'trustedAccountId',
  'iamPrincipal',
  'externalId',
  'durationSeconds',
  'region',
  'stackName',
  'accessKeyId',
  'timeoutMs',
  // What the product concludes.
  'expectedPrincipalArn',
  'suggestedTrustedAccountId',
  'suggestedIamPrincipal',
  'trustSettingsAssumed',
  'accountContradiction',
  'principalContradiction',
  'roleAccountContradiction',
  'roleChaining',
  'trustVerdict',
  'templateDrift',
  // What AWS answered to the scanner's calls.
  'assumedRoleArn',
  'maxSessionDuration',
  'missingPolicies',
  'externalIdEnforced',
  'policyType',
  'rawCode',
  'rawMessage',
  'endpoint',
  'attempts',
  // The role's real state, from the target account (role evidence).
  'roleFound',
  'evidenceRoleArn',
  'roleTrustPolicy',
  'roleTrustedPrincipals',
  'roleExternalIds',
  'rolePrincipalArnPatterns',
  'roleMaxSessionDuration',
  'roleTags',
  'roleAttachedPolicies',
  'roleInlinePolicies',
  'stackStatus',
  'stackParameters',
  'stackOutputs',
  'stackDriftStatus',
] as const;
export const factKeySchema = z.enum(FACT_KEYS);
export type FactKey = z.infer<typeof factKeySchema>;

/** Who made the call that AWS answered: the scanner's side, or the target account's (the doctor). */
export const SEEN_BY = ['scanner', 'target-account'] as const;

const observedSchema = z.object({
  source: z.literal('observed'),
  key: factKeySchema,
  value: z.string(),
  /** The AWS call that answered, e.g. "sts:GetCallerIdentity". */
  call: z.string(),
  /** The field of the answer, e.g. "Arn" or "Role.AssumeRolePolicyDocument". */
  field: z.string(),
  seenBy: z.enum(SEEN_BY),
});
const declaredSchema = z.object({
  source: z.literal('declared'),
  key: factKeySchema,
  value: z.string(),
  /** Where it was entered, e.g. "Trust settings: AccountId" or "AWS_CONNECT_AWS_TIMEOUT_MS". */
  input: z.string(),
});
const inferredSchema = z.object({
  source: z.literal('inferred'),
  key: factKeySchema,
  value: z.string(),
  /** The facts this conclusion is drawn from. */
  from: z.array(factKeySchema),
});

export const factSchema = z.discriminatedUnion('source', [observedSchema, declaredSchema, inferredSchema]);
export type Fact = z.infer<typeof factSchema>;
export type ObservedFact = z.infer<typeof observedSchema>;
export type DeclaredFact = z.infer<typeof declaredSchema>;
export type InferredFact = z.infer<typeof inferredSchema>;
export type FactSource = Fact['source'];

export const observed = (
  key: FactKey,
  value: string,
  call: string,
  field: string,
  seenBy: ObservedFact['seenBy'] = 'scanner',
): ObservedFact => ({ source: 'observed', key, value, call, field, seenBy });
export const declared = (key: FactKey, value: string, input: string): DeclaredFact => ({
  source: 'declared',
  key,
  value,
  input,
});
export const inferred = (key: FactKey, value: string, from: FactKey[]): InferredFact => ({
  source: 'inferred',
  key,
  value,
  from,
});

/** What AWS answered outranks what was entered, which outranks what we infer. */
const PRECEDENCE: Record<FactSource, number> = { observed: 0, declared: 1, inferred: 2 };

/** The value of a key: the best-sourced fact wins; empty values count as absent. */
export function factValue(facts: readonly Fact[], key: FactKey): string | undefined {
  let best: Fact | undefined;
  for (const f of facts) {
    if (f.key !== key || f.value === '') continue;
    if (!best || PRECEDENCE[f.source] < PRECEDENCE[best.source]) best = f;
  }
  return best?.value;
}

/** A list of facts where a later fact of the same key and source replaces the earlier one. */
export class FactList {
  private readonly items: Fact[] = [];
  add(fact: Fact | null | undefined): this {
    if (!fact || fact.value === '') return this;
    const i = this.items.findIndex((f) => f.key === fact.key && f.source === fact.source);
    if (i >= 0) this.items[i] = fact;
    else this.items.push(fact);
    return this;
  }
  has(key: FactKey): boolean {
    return this.items.some((f) => f.key === key);
  }
  value(key: FactKey): string | undefined {
    return factValue(this.items, key);
  }
  toArray(): Fact[] {
    return [...this.items];
  }
}
