import { parseArn, principalArnFromCaller } from '../arn.ts';
import { contextFrom, evaluateConditions } from './conditions.ts';
import { describeValue } from './describe.ts';
import type { Evaluation, PartExplanation, StatementExplanation, TrustRequest } from './explanation.ts';
import { globMatch } from './glob.ts';
import { policyTextTooLong, policyTooLarge, requestTooLarge } from './limits.ts';
import { type Caller, matchPrincipal } from './principal.ts';

// Role trust-policy evaluation with an explanation of every part, for the trust-chain picture.
// Explicit Deny wins over Allow; nothing applying means an implicit deny.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html

const DEFAULT_ACTION = 'sts:AssumeRole';
const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const KNOWN_TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses a pasted trust policy; also accepts `aws iam get-role` output and unwraps its AssumeRolePolicyDocument. */
export function parsePolicyText(text: string): { policy: unknown } | { error: string } {
  if (typeof text !== 'string' || text.trim() === '')
    return { error: 'The trust policy is empty: paste a JSON policy document.' };
  const tooLong = policyTextTooLong(text);
  if (tooLong) return { error: tooLong };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { error: `The trust policy is not valid JSON: ${(e as Error).message}` };
  }
  if (isObject(doc) && isObject(doc.Role) && doc.Role.AssumeRolePolicyDocument !== undefined) {
    doc = doc.Role.AssumeRolePolicyDocument;
  } else if (isObject(doc) && doc.AssumeRolePolicyDocument !== undefined) {
    doc = doc.AssumeRolePolicyDocument;
  }
  // Older IAM APIs return the document URL-encoded.
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(decodeURIComponent(doc));
    } catch {
      return { error: 'The AssumeRolePolicyDocument is a string that is not a JSON policy.' };
    }
  }
  if (!isObject(doc)) return { error: 'The trust policy must be a JSON object with a Statement.' };
  const tooLarge = policyTooLarge(doc);
  if (tooLarge) return { error: tooLarge };
  return { policy: doc };
}

function callerOf(request: TrustRequest): Caller {
  const given = typeof request.principalArn === 'string' ? request.principalArn.trim() : '';
  const converted = principalArnFromCaller(given);
  const principalArn = converted?.principalArn ?? given;
  return {
    principalArn,
    arn: parseArn(principalArn),
    pathUnknown: Boolean(request.pathUnknown) || Boolean(converted?.pathUnknown),
    partition: request.partition ?? null,
  };
}

function matchAction(
  statement: Record<string, unknown>,
  action: string,
  errors: string[],
  where: string,
): PartExplanation {
  const negated = statement.NotAction !== undefined && statement.Action === undefined;
  const raw = negated ? statement.NotAction : statement.Action;
  if (raw === undefined) {
    errors.push(`${where}: the statement needs an Action (for a trust policy, "sts:AssumeRole").`);
    return {
      matched: false,
      policyValues: [],
      requestValue: action,
      negated,
      note: 'the statement has no Action',
    };
  }
  const list = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => {
    if (typeof v === 'string') return true;
    errors.push(`${where}: Action ${describeValue(v)} is not a string.`);
    return false;
  });
  // An action is "*" or a service prefix, a colon and an action name; wildcards belong to the name
  // only, so "st*:AssumeRole" names no action and matches nothing. Both parts are case-insensitive.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html#policies-grammar-notes-strings
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
  const invalid = list.filter((p) => p !== '*' && !/^[a-z0-9-]+:[^:]*$/i.test(p));
  const any = list.some((p) => !invalid.includes(p) && globMatch(p, action, true));
  const matched = negated ? !any : any;
  let note: string | undefined;
  if (!matched) note = negated ? `NotAction excludes ${action}` : `the statement does not cover ${action}`;
  if (invalid.length > 0 && !any) {
    const shown = invalid.slice(0, 3).map((p) => JSON.stringify(p.slice(0, 80)));
    note = `${shown.join(', ')} ${invalid.length === 1 ? 'is not an action' : 'are not actions'}: a wildcard may stand only in the action name after the colon (service:Name*), so ${invalid.length === 1 ? 'it matches' : 'they match'} nothing${note ? `; ${note}` : ''}`;
  }
  return { matched, policyValues: list, requestValue: action, negated, ...(note ? { note } : {}) };
}

/**
 * aws:username is the friendly name of an IAM user; role sessions, the root user and federated
 * users have none. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable
 */
function userName(caller: Caller): string | null {
  const arn = caller.arn;
  if (arn?.service !== 'iam' || !arn.resource.startsWith('user/')) return null;
  return arn.resource.slice(arn.resource.lastIndexOf('/') + 1) || null;
}

function evaluateStatement(
  statement: unknown,
  index: number,
  caller: Caller,
  request: TrustRequest,
  variables: boolean,
  errors: string[],
): StatementExplanation | null {
  const where = `Statement ${index + 1}`;
  if (!isObject(statement)) {
    errors.push(`${where} is not an object.`);
    return null;
  }
  const effect = statement.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') {
    errors.push(
      `${where}: Effect must be "Allow" or "Deny" (got ${describeValue(effect)}); the statement is ignored.`,
    );
    return null;
  }
  if (statement.Sid !== undefined && typeof statement.Sid !== 'string') {
    errors.push(`${where}: Sid must be a string (got ${describeValue(statement.Sid)}).`);
  }
  if (statement.Resource !== undefined || statement.NotResource !== undefined) {
    errors.push(
      `${where}: a trust policy has no Resource (the role itself is the resource); IAM rejects it.`,
    );
  }
  const action = request.action ?? DEFAULT_ACTION;
  const principal = matchPrincipal(statement, caller, errors, where);
  const actionPart = matchAction(statement, action, errors, where);
  const username = userName(caller);
  const context = contextFrom({
    'aws:PrincipalArn': caller.principalArn,
    ...(caller.arn ? { 'aws:PrincipalAccount': caller.arn.accountId } : {}),
    ...(username ? { 'aws:username': username } : {}),
    ...(request.context ?? {}),
  });
  const conditions = evaluateConditions(
    statement.Condition,
    context,
    { pathUnknown: caller.pathUnknown, variables },
    errors,
    where,
  );
  const applies = principal.matched && actionPart.matched && conditions.every((c) => c.matched);
  return {
    index,
    ...(typeof statement.Sid === 'string' ? { sid: statement.Sid } : {}),
    effect,
    principal,
    action: actionPart,
    conditions,
    applies,
  };
}

/** Never throws: a malformed document gives decision deny and says why in policyErrors. */
export function evaluate(policy: unknown, request: TrustRequest): Evaluation {
  const errors: string[] = [];
  let doc = policy;
  if (typeof doc === 'string') {
    const parsed = parsePolicyText(doc);
    if ('error' in parsed)
      return { decision: 'deny', reason: 'implicit-deny', statements: [], policyErrors: [parsed.error] };
    doc = parsed.policy;
  }
  if (!isObject(doc)) {
    return {
      decision: 'deny',
      reason: 'implicit-deny',
      statements: [],
      policyErrors: ['The trust policy must be a JSON object with a Statement.'],
    };
  }
  const refused = requestTooLarge(request) ?? policyTooLarge(doc);
  if (refused) return { decision: 'deny', reason: 'implicit-deny', statements: [], policyErrors: [refused] };
  if (doc.Version !== undefined && !(typeof doc.Version === 'string' && VERSIONS.has(doc.Version))) {
    errors.push(`Version ${describeValue(doc.Version)} is not a policy language version; use "2012-10-17".`);
  }
  for (const key of Object.keys(doc)) {
    if (!KNOWN_TOP_LEVEL.has(key)) errors.push(`Unknown top-level element "${key}".`);
  }
  const raw = doc.Statement;
  if (raw === undefined) errors.push('The policy has no Statement, so it allows nothing.');
  const list: unknown[] = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (Array.isArray(raw) && raw.length === 0)
    errors.push('The Statement list is empty, so the policy allows nothing.');
  const caller = callerOf(request);
  // Policy variables exist only in the 2012-10-17 language; before it, "${…}" is plain text.
  const variables = doc.Version === '2012-10-17';
  const statements: StatementExplanation[] = [];
  list.forEach((s, i) => {
    const explained = evaluateStatement(s, i, caller, request, variables, errors);
    if (explained) statements.push(explained);
  });
  const denied = statements.some((s) => s.effect === 'Deny' && s.applies);
  // IAM refuses to save a document with any of these problems, so no role can hold it: it allows nothing.
  const allowed = statements.some((s) => s.effect === 'Allow' && s.applies) && errors.length === 0;
  if (!denied && errors.length > 0 && statements.some((s) => s.effect === 'Allow' && s.applies)) {
    errors.push(
      'An Allow statement matched, but IAM would refuse this document as written, or this evaluator cannot check part of it, so it allows nothing until the problems above are fixed.',
    );
  }
  if (!caller.arn)
    errors.push(
      `The caller "${caller.principalArn.slice(0, 200)}" is not an ARN, so no principal matches it.`,
    );
  const reason = denied ? 'explicit-deny' : allowed ? 'allowed' : 'implicit-deny';
  return { decision: reason === 'allowed' ? 'allow' : 'deny', reason, statements, policyErrors: errors };
}
