import type {
  ConditionExplanation,
  Evaluation,
  StatementExplanation,
} from '../../domain/trust/explanation.ts';
import { closestDiff, type DiffParts } from './text-diff.ts';

// Turns the evaluator's Evaluation into the rows the trust-chain picture draws:
// caller -> Principal -> Action -> each condition (docs/design.md#the-journey, step 6). Pure, so it is unit-tested
// here and the component only renders.

/** pass/fail for links of an Allow statement; a Deny statement's links only "match" or not. */
export type LinkStatus = 'pass' | 'fail' | 'info';

export interface ChainLink {
  id: string;
  kind: 'caller' | 'principal' | 'action' | 'condition';
  /** e.g. "Caller", "Principal", "StringEquals sts:ExternalId". */
  title: string;
  status: LinkStatus;
  /** Words for the status that do not rely on colour, e.g. "Matches". */
  statusText: string;
  expectedLabel: string;
  /** The policy's values (ORed). Empty for the caller link. */
  expected: string[];
  actualLabel: string;
  /** The request's value; null when the request does not carry the key. */
  actual: string | null;
  /** Words shown instead of a missing actual value. */
  missingText: string;
  /** Where expected and actual differ, for a failing link with something to compare. */
  diff: DiffParts | null;
  note?: string;
}

export interface StatementChain {
  index: number;
  heading: string;
  effect: 'Allow' | 'Deny';
  applies: boolean;
  /** One sentence on what this statement does for the request. */
  verdict: string;
  links: ChainLink[];
}

export interface TrustChainModel {
  decision: Evaluation['decision'];
  summary: string;
  /** The statement that decided, or the Allow that came closest. */
  primary: StatementChain | null;
  others: StatementChain[];
  policyErrors: string[];
}

export interface ChainCaller {
  /** As GetCallerIdentity returns it; may be an sts assumed-role ARN. */
  callerArn?: string | null;
  /** The aws:PrincipalArn the caller presents. */
  principalArn: string;
  /** The caller is a role session: its role path is invisible, so principalArn assumes none. */
  pathUnknown?: boolean;
}

export const PATH_UNKNOWN_NOTE =
  'A role session’s ARN does not show the role’s path, so this assumes the role has no path. If the role was created with a path (role/team/name), the policy must match that path.';

const NOT_IN_REQUEST = '(not in the request)';
/** Negated operators, also behind a set prefix (ForAnyValue:StringNotLike) or with IfExists. */
const NEGATIVE_OPERATOR = /(^|:)(StringNot|ArnNot|NumericNotEquals|DateNotEquals)/i;

/**
 * The evaluator's notes are fragments ("the caller is in account …"): show them as sentences,
 * without touching a leading condition key (sts:ExternalId stays as written).
 */
export function sentence(note: string | undefined): string | undefined {
  if (!note) return undefined;
  const text = /^[a-z]+(?![\w:/])/.test(note) ? note.charAt(0).toUpperCase() + note.slice(1) : note;
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function requestText(value: ConditionExplanation['requestValue']): string | null {
  if (value === null) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

function statusFor(matched: boolean, effect: 'Allow' | 'Deny'): Pick<ChainLink, 'status' | 'statusText'> {
  if (effect === 'Deny') return { status: 'info', statusText: matched ? 'Matches' : 'Does not match' };
  return matched
    ? { status: 'pass', statusText: 'Matches' }
    : { status: 'fail', statusText: 'Does not match' };
}

function diffFor(
  matched: boolean,
  negative: boolean,
  expected: string[],
  actual: string | null,
): DiffParts | null {
  if (matched || negative) return null;
  const parts = closestDiff(expected, actual);
  return parts && !parts.equal ? parts : null;
}

function conditionLink(
  condition: ConditionExplanation,
  position: number,
  effect: 'Allow' | 'Deny',
): ChainLink {
  const actual = requestText(condition.requestValue);
  const negative = NEGATIVE_OPERATOR.test(condition.operator);
  return {
    id: `condition-${position}`,
    kind: 'condition',
    title: `${condition.operator} ${condition.key}`,
    ...statusFor(condition.matched, effect),
    expectedLabel: negative ? 'Policy excludes' : 'Policy expects',
    expected: condition.policyValues,
    actualLabel: 'Request has',
    actual,
    missingText: NOT_IN_REQUEST,
    diff: Array.isArray(condition.requestValue)
      ? null
      : diffFor(condition.matched, negative, condition.policyValues, actual),
    note:
      sentence(condition.note) ?? (actual === null ? `${condition.key} is not in the request.` : undefined),
  };
}

function statementChain(statement: StatementExplanation): StatementChain {
  const { effect, principal, action } = statement;
  const links: ChainLink[] = [
    {
      id: 'principal',
      kind: 'principal',
      title: principal.negated ? 'NotPrincipal' : 'Principal',
      ...statusFor(principal.matched, effect),
      expectedLabel: principal.negated ? 'Policy excludes' : 'Policy trusts',
      expected: principal.policyValues,
      actualLabel: 'Caller is',
      actual: principal.requestValue,
      missingText: NOT_IN_REQUEST,
      diff: diffFor(principal.matched, principal.negated, principal.policyValues, principal.requestValue),
      note: sentence(principal.note),
    },
    {
      id: 'action',
      kind: 'action',
      title: action.negated ? 'NotAction' : 'Action',
      ...statusFor(action.matched, effect),
      expectedLabel: action.negated ? 'Policy excludes' : 'Policy allows',
      expected: action.policyValues,
      actualLabel: 'Request is',
      actual: action.requestValue,
      missingText: NOT_IN_REQUEST,
      diff: null,
      note: sentence(action.note),
    },
    ...statement.conditions.map((c, i) => conditionLink(c, i, effect)),
  ];
  const number = statement.index + 1;
  return {
    index: statement.index,
    heading: `Statement ${number}${statement.sid ? ` “${statement.sid}”` : ''} (${effect})`,
    effect,
    applies: statement.applies,
    verdict: verdictFor(statement),
    links,
  };
}

function verdictFor({ effect, applies }: StatementExplanation): string {
  if (effect === 'Deny')
    return applies ? 'This Deny applies, and a Deny always wins.' : 'This Deny does not apply.';
  return applies
    ? 'Every part matches: this statement admits the caller.'
    : 'Not every part matches: this statement does not admit the caller.';
}

/** How many parts of a statement match: picks the Allow that came closest when nothing applied. */
function score(statement: StatementExplanation): number {
  const parts = [
    statement.principal.matched,
    statement.action.matched,
    ...statement.conditions.map((c) => c.matched),
  ];
  return parts.filter(Boolean).length / parts.length;
}

function primaryStatement(evaluation: Evaluation): StatementExplanation | undefined {
  const { statements, reason } = evaluation;
  if (reason === 'explicit-deny') return statements.find((s) => s.effect === 'Deny' && s.applies);
  if (reason === 'allowed') return statements.find((s) => s.effect === 'Allow' && s.applies);
  let best: StatementExplanation | undefined;
  for (const s of statements) {
    if (s.effect === 'Allow' && (best === undefined || score(s) > score(best))) best = s;
  }
  return best;
}

function summaryFor(evaluation: Evaluation, primary: StatementChain | null): string {
  if (evaluation.decision === 'allow')
    return `Allowed: ${primary?.heading ?? 'an Allow statement'} admits this caller.`;
  if (evaluation.reason === 'explicit-deny')
    return `Denied: ${primary?.heading ?? 'a Deny statement'} applies.`;
  if (evaluation.statements.length === 0 && evaluation.policyErrors.length > 0) {
    return 'Denied: the policy document could not be read.';
  }
  if (!primary) return 'Denied: no Allow statement could admit this caller.';
  return 'Denied: no Allow statement matches every part. The closest one is shown below.';
}

/** The caller link: what GetCallerIdentity said and the aws:PrincipalArn a trust policy sees. */
export function callerLink({ callerArn, principalArn, pathUnknown }: ChainCaller): ChainLink {
  const shown = callerArn && callerArn !== principalArn;
  return {
    id: 'caller',
    kind: 'caller',
    title: 'Caller',
    status: 'info',
    statusText: pathUnknown ? 'Path assumed' : 'Identified',
    expectedLabel: 'Signed in as',
    expected: shown ? [callerArn] : [],
    actualLabel: 'Presents aws:PrincipalArn',
    actual: principalArn === '' ? null : principalArn,
    missingText: '(unknown)',
    diff: null,
    note:
      principalArn === ''
        ? 'AWS did not say who the caller is.'
        : pathUnknown
          ? PATH_UNKNOWN_NOTE
          : undefined,
  };
}

export function trustChainModel(evaluation: Evaluation): TrustChainModel {
  const primaryRaw = primaryStatement(evaluation);
  const primary = primaryRaw ? statementChain(primaryRaw) : null;
  return {
    decision: evaluation.decision,
    summary: summaryFor(evaluation, primary),
    primary,
    others: evaluation.statements.filter((s) => s !== primaryRaw).map(statementChain),
    policyErrors: evaluation.policyErrors,
  };
}
