import * as z from 'zod/mini';

// The evaluator's answer, as data: what the trust-chain picture draws and what the API carries.
// A schema (not only a type) because the browser parses it out of server responses.

export const conditionExplanationSchema = z.object({
  /** The operator as written, e.g. "StringLike" or "StringEqualsIfExists". */
  operator: z.string(),
  /** The condition key as written in the policy, e.g. "aws:PrincipalArn". */
  key: z.string(),
  policyValues: z.array(z.string()),
  /** The request's value for the key; null when the request does not carry it. */
  requestValue: z.nullable(z.union([z.string(), z.array(z.string())])),
  matched: z.boolean(),
  /** One sentence for people, e.g. "sts:ExternalId is missing from the request". */
  note: z.optional(z.string()),
});
export type ConditionExplanation = z.infer<typeof conditionExplanationSchema>;

export const partExplanationSchema = z.object({
  matched: z.boolean(),
  policyValues: z.array(z.string()),
  requestValue: z.string(),
  /** True for NotPrincipal / NotAction. */
  negated: z.boolean(),
  note: z.optional(z.string()),
});
export type PartExplanation = z.infer<typeof partExplanationSchema>;

export const statementExplanationSchema = z.object({
  index: z.int(),
  sid: z.optional(z.string()),
  effect: z.enum(['Allow', 'Deny']),
  principal: partExplanationSchema,
  action: partExplanationSchema,
  conditions: z.array(conditionExplanationSchema),
  /** Principal, action and every condition matched: the statement applies to the request. */
  applies: z.boolean(),
});
export type StatementExplanation = z.infer<typeof statementExplanationSchema>;

export const evaluationSchema = z.object({
  decision: z.enum(['allow', 'deny']),
  /** explicit-deny: a Deny statement applied; allowed: an Allow applied and no Deny; implicit-deny: nothing applied. */
  reason: z.enum(['allowed', 'explicit-deny', 'implicit-deny']),
  statements: z.array(statementExplanationSchema),
  /** Problems with the policy document itself (not fatal unless decision is deny because of them). */
  policyErrors: z.array(z.string()),
});
export type Evaluation = z.infer<typeof evaluationSchema>;

/** What the evaluator is asked: may this principal perform this action, with these context keys? */
export interface TrustRequest {
  /** The caller's aws:PrincipalArn (IAM ARN, never the sts assumed-role ARN). */
  principalArn: string;
  /** Defaults to sts:AssumeRole. */
  action?: string;
  /** Context keys by name (case-insensitive), e.g. { 'sts:ExternalId': 'abc' }. aws:PrincipalArn is added from principalArn. */
  context?: Record<string, string | string[] | boolean>;
  /**
   * The caller is a role session whose role path is not visible (set automatically when principalArn
   * is an sts assumed-role ARN, which the evaluator converts). Adds the "role path unknown" note.
   */
  pathUnknown?: boolean;
  /** The role's partition, when known: principals from another partition never match. */
  partition?: string;
}
