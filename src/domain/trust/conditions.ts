import { parseArn } from '../arn.ts';
import { describeValue } from './describe.ts';
import type { ConditionExplanation } from './explanation.ts';
import { globMatch, globUnits, matchUnits } from './glob.ts';
import { type ParsedOperator, type PolicyValue, parseOperator, SUPPORTED_OPERATORS } from './operators.ts';
import { resolveVariables } from './variables.ts';

// A statement's Condition block: operators are ANDed, keys within an operator are ANDed, the
// values of one key are ORed. Key names are case-insensitive, values are not (unless the operator says so).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html

/** Request context keyed by lower-cased key name. */
export type RequestContext = Map<string, { key: string; values: string[] }>;

export interface ConditionFacts {
  /** The caller is a role session whose role path is not visible (assumed-role ARN). */
  pathUnknown: boolean;
  /**
   * The policy's Version is 2012-10-17, so `${…}` in string and ARN values are policy variables;
   * in older documents (or without a Version) they are plain text.
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
   */
  variables?: boolean;
}

function scalarText(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
    ? String(v)
    : describeValue(v);
}

export function contextFrom(entries: Record<string, string | string[] | boolean>): RequestContext {
  const context: RequestContext = new Map();
  for (const [key, raw] of Object.entries(entries)) {
    const values = (Array.isArray(raw) ? raw : [raw]).map(scalarText);
    context.set(key.toLowerCase(), { key, values });
  }
  return context;
}

function policyValuesOf(raw: unknown, where: string, errors: string[]): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((v) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    errors.push(
      `${where}: ${describeValue(v)} is not a string${isIntrinsic(v) ? ' (an unresolved CloudFormation function: render the template with its parameters first)' : ''}.`,
    );
    return describeValue(v);
  });
}

function isIntrinsic(v: unknown): boolean {
  return (
    typeof v === 'object' && v !== null && Object.keys(v).some((k) => k === 'Ref' || k.startsWith('Fn::'))
  );
}

export function evaluateConditions(
  block: unknown,
  context: RequestContext,
  facts: ConditionFacts,
  errors: string[],
  where: string,
): ConditionExplanation[] {
  if (block === undefined) return [];
  if (typeof block !== 'object' || block === null || Array.isArray(block)) {
    errors.push(`${where}: Condition must be an object of operators.`);
    return [{ operator: '(invalid)', key: '', policyValues: [], requestValue: null, matched: false }];
  }
  const out: ConditionExplanation[] = [];
  for (const [written, keys] of Object.entries(block)) {
    const op = parseOperator(written);
    if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) {
      errors.push(`${where}: Condition operator ${written} must map keys to values.`);
      out.push({ operator: written, key: '', policyValues: [], requestValue: null, matched: false });
      continue;
    }
    for (const [key, raw] of Object.entries(keys)) {
      const policyValues = policyValuesOf(raw, `${where} ${written} ${key}`, errors);
      const found = context.get(key.toLowerCase());
      if (!op) {
        errors.push(
          `${where}: unsupported condition operator "${written}" (supported: ${SUPPORTED_OPERATORS.join(', ')}, with IfExists or ForAnyValue:/ForAllValues:).`,
        );
        out.push({
          operator: written,
          key,
          policyValues,
          requestValue: found ? show(found.values) : null,
          matched: false,
          note: `"${written}" is not a condition operator this evaluator knows, so it is treated as not matching.`,
        });
        continue;
      }
      out.push(evaluateOne(op, key, policyValues, found?.values ?? null, facts, context));
    }
  }
  return out;
}

function show(values: string[]): string | string[] {
  return values.length === 1 ? (values[0] ?? '') : values;
}

function evaluateOne(
  op: ParsedOperator,
  key: string,
  policyValues: string[],
  request: string[] | null,
  facts: ConditionFacts,
  context: RequestContext,
): ConditionExplanation {
  const base = { operator: op.written, key, policyValues, requestValue: request ? show(request) : null };
  if (op.spec.kind === 'null') {
    // Null: "true" asks for the key to be absent, "false" for it to be present.
    const matched = policyValues.some((v) => (v.toLowerCase() === 'true') === (request === null));
    return {
      ...base,
      matched,
      ...(matched
        ? {}
        : {
            note:
              request === null ? `${key} is missing from the request` : `${key} is present in the request`,
          }),
    };
  }
  if (request === null || (op.set && request.length === 0)) {
    // ForAnyValue asks for at least one request value, so none is false, IfExists or not.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
    if (op.set === 'ForAnyValue')
      return {
        ...base,
        matched: false,
        note: `${key} has no values in the request, and ForAnyValue needs at least one${op.ifExists ? ' (IfExists does not change that)' : ''}`,
      };
    if (op.ifExists)
      return {
        ...base,
        matched: true,
        note: `${key} is not in the request, so ${op.written} does not apply`,
      };
    if (op.set === 'ForAllValues')
      return { ...base, matched: true, note: `${key} has no values, so ForAllValues is true` };
    if (op.spec.negated && !op.set)
      return { ...base, matched: true, note: `${key} is not in the request, so a negated operator is true` };
    return { ...base, matched: false, note: `${key} is missing from the request` };
  }
  // Only string and ARN operators read policy variables.
  const variables = facts.variables === true && (op.spec.kind === 'string' || op.spec.kind === 'arn');
  const resolved: PolicyValue[] = [];
  const substituted: string[] = [];
  for (const p of policyValues) {
    const r = resolveVariables(p, variables ? context : null);
    if (!r.ok)
      return {
        ...base,
        matched: false,
        note: `the policy variable ${r.variable} cannot be resolved: ${r.reason}, so the condition fails`,
      };
    resolved.push(r);
    substituted.push(...r.substituted);
  }
  const anyPolicyMatches = (r: string) => resolved.some((p) => op.spec.compare(p, r));
  const valueOk = (r: string) => (op.spec.negated ? !anyPolicyMatches(r) : anyPolicyMatches(r));
  const put = substituted.length ? `policy variables: ${substituted.join(', ')}` : '';
  let matched: boolean;
  if (op.set === 'ForAllValues') matched = request.every(valueOk);
  else if (op.set === 'ForAnyValue') matched = request.some(valueOk);
  else if (op.spec.negated) matched = request.every(valueOk);
  else matched = request.some(valueOk);
  if (matched) return { ...base, matched, ...(put ? { note: put } : {}) };
  const note = mismatchNote(op, key, resolved, request, facts);
  return { ...base, matched, note: put ? `${note} (${put})` : note };
}

/** Would some role path make `role/<name>` match this pattern? (The pattern names a path and its last part fits the name.) */
function aPathCouldMatch(pattern: string, resource: string): boolean {
  const name = /^role\/([^/]+)$/.exec(resource)?.[1];
  const pol = parseArn(pattern);
  if (!name || !pol?.resource.startsWith('role/')) return false;
  const parts = pol.resource.split('/');
  return parts.length > 2 && globMatch(parts[parts.length - 1] ?? '', name);
}

function mismatchNote(
  op: ParsedOperator,
  key: string,
  resolved: PolicyValue[],
  request: string[],
  facts: ConditionFacts,
): string {
  if (op.spec.negated) return `${key} matches a value the policy excludes`;
  const r = request[0] ?? '';
  const policyValues = resolved.map((p) => p.text);
  if (op.spec.kind !== 'bool' && op.spec.kind !== 'numeric' && !op.base.includes('IgnoreCase')) {
    const like = op.base.includes('Like') || op.spec.kind === 'arn';
    const lower = r.toLowerCase();
    const sameButCase = (p: PolicyValue) =>
      like ? matchUnits(globUnits(p.pieces, true), lower) : p.text.toLowerCase() === lower;
    if (resolved.some(sameButCase)) {
      return `${key} differs only in letter case, and ${op.base} is case-sensitive`;
    }
    if (policyValues.some((p) => p.trim() === r.trim()))
      return `${key} differs only in leading or trailing spaces`;
  }
  if (key.toLowerCase() === 'aws:principalarn') {
    const req = parseArn(r);
    const pol = policyValues.map(parseArn).find((p) => p !== null);
    if (req && pol) {
      if (pol.partition !== req.partition && !pol.partition.includes('*')) {
        return `the caller is in partition ${req.partition}, the policy expects ${pol.partition}: roles cannot be trusted across partitions`;
      }
      if (pol.accountId !== req.accountId && !/[*?]/.test(pol.accountId)) {
        return `the caller is in account ${req.accountId}, the policy expects ${pol.accountId}`;
      }
    }
    if (facts.pathUnknown && req && policyValues.some((p) => aPathCouldMatch(p, req.resource))) {
      return "role path unknown: the caller is an assumed-role session, whose ARN hides the role path; the policy expects a path, so check the role's real path (aws iam get-role --query Role.Path)";
    }
    return `the caller's ARN does not match ${policyValues.length === 1 ? 'the pattern' : 'any of the patterns'}`;
  }
  if (key.toLowerCase() === 'sts:externalid')
    return 'the External ID in the request differs from the one the role requires';
  return `no policy value matches the request value`;
}
