import { evaluateConditions, type RequestContext } from '../domain/trust/conditions.ts';
import { globMatch } from '../domain/trust/glob.ts';
import type { Statement } from './scenario.ts';

// Identity policies and SCPs as the sandbox needs them: does a statement cover this action on this
// resource, in this request's context? Trust policies are NOT decided here; they go to the domain
// evaluator (src/domain/trust/evaluate.ts), whose condition operators these statements share. A
// statement with a Condition applies only when every condition holds in the request context; with
// no context given, or a condition the operators cannot read, it does not apply.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html

export type PolicyDecision = 'allow' | 'explicit-deny' | 'implicit-deny';

// The domain's wildcard matcher: no RegExp is built from a policy's text, so a crafted pattern cannot
// make the sandbox backtrack (docs/decisions/016-trust-evaluator-semantics-and-bounds.md).
const wildcard = globMatch;

function list(value: string | string[] | undefined): string[] | undefined {
  return value === undefined ? undefined : Array.isArray(value) ? value : [value];
}

function part(
  positive: string[] | undefined,
  negative: string[] | undefined,
  value: string,
  ignoreCase: boolean,
) {
  if (positive) return positive.some((p) => wildcard(p, value, ignoreCase));
  if (negative) return !negative.some((p) => wildcard(p, value, ignoreCase));
  return false;
}

function conditionsHold(block: unknown, context: RequestContext | undefined): boolean {
  if (!context) return false;
  const errors: string[] = [];
  const results = evaluateConditions(block, context, { pathUnknown: false }, errors, 'Condition');
  return errors.length === 0 && results.every((r) => r.matched);
}

export function statementApplies(
  s: Statement,
  action: string,
  resource: string,
  context?: RequestContext,
): boolean {
  if (s.Condition && Object.keys(s.Condition).length > 0 && !conditionsHold(s.Condition, context))
    return false;
  // Action names are case-insensitive; resources (ARNs) are not.
  const actionOk = part(list(s.Action), list(s.NotAction), action, true);
  const resourceOk =
    s.Resource === undefined && s.NotResource === undefined
      ? true
      : part(list(s.Resource), list(s.NotResource), resource, false);
  return actionOk && resourceOk;
}

/** Explicit deny wins, then any allow, else implicit deny. */
export function decide(
  statements: readonly Statement[],
  action: string,
  resource: string,
  context?: RequestContext,
): PolicyDecision {
  let allowed = false;
  for (const s of statements) {
    if (!statementApplies(s, action, resource, context)) continue;
    if (s.Effect === 'Deny') return 'explicit-deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}
