import type { GlobPiece } from './glob.ts';
import { globUnits, matchUnits } from './glob.ts';

// The condition operators a role trust policy can use, and how one policy value compares with
// one request value. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html

/** A condition value with its policy variables put in (variables.ts). */
export interface PolicyValue {
  text: string;
  pieces: readonly GlobPiece[];
}

type Compare = (policyValue: PolicyValue, requestValue: string) => boolean;

export interface OperatorSpec {
  /** The base comparison; a negated operator is true when NO policy value compares true. */
  compare: Compare;
  negated: boolean;
  /** Null is special: it asks whether the key is present at all. */
  kind: 'string' | 'arn' | 'bool' | 'numeric' | 'null';
}

const COLON = 58;

/** ArnEquals and ArnLike: each of the six colon-separated parts is matched on its own, wildcards allowed in each. */
export function arnLike(pattern: PolicyValue, value: string): boolean {
  const v = splitArn(value);
  if (!v) return false;
  const units = globUnits(pattern.pieces);
  const bounds: number[] = [0];
  for (let i = 0; i < units.length && bounds.length < 6; i++) if (units[i] === COLON) bounds.push(i + 1);
  if (bounds.length < 6) return false;
  bounds.push(units.length + 1);
  return v.every((part, i) => matchUnits(units, part, bounds[i] ?? 0, (bounds[i + 1] ?? 0) - 1));
}

function splitArn(value: string): string[] | null {
  const parts = value.split(':');
  if (parts.length < 6) return null;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

const equals: Compare = (p, r) => p.text === r;
const equalsIgnoreCase: Compare = (p, r) => p.text.toLowerCase() === r.toLowerCase();
const like: Compare = (p, r) => matchUnits(globUnits(p.pieces), r);
const bool: Compare = (p, r) => p.text.toLowerCase() === r.toLowerCase();

function numeric(test: (a: number, b: number) => boolean): Compare {
  return ({ text: p }, r) => {
    const a = Number(r);
    const b = Number(p);
    return r.trim() !== '' && p.trim() !== '' && Number.isFinite(a) && Number.isFinite(b) && test(a, b);
  };
}

const OPERATORS: Record<string, OperatorSpec> = {
  StringEquals: { compare: equals, negated: false, kind: 'string' },
  StringNotEquals: { compare: equals, negated: true, kind: 'string' },
  StringEqualsIgnoreCase: { compare: equalsIgnoreCase, negated: false, kind: 'string' },
  StringNotEqualsIgnoreCase: { compare: equalsIgnoreCase, negated: true, kind: 'string' },
  StringLike: { compare: like, negated: false, kind: 'string' },
  StringNotLike: { compare: like, negated: true, kind: 'string' },
  ArnEquals: { compare: arnLike, negated: false, kind: 'arn' },
  ArnLike: { compare: arnLike, negated: false, kind: 'arn' },
  ArnNotEquals: { compare: arnLike, negated: true, kind: 'arn' },
  ArnNotLike: { compare: arnLike, negated: true, kind: 'arn' },
  Bool: { compare: bool, negated: false, kind: 'bool' },
  NumericEquals: { compare: numeric((a, b) => a === b), negated: false, kind: 'numeric' },
  NumericNotEquals: { compare: numeric((a, b) => a === b), negated: true, kind: 'numeric' },
  NumericLessThan: { compare: numeric((a, b) => a < b), negated: false, kind: 'numeric' },
  NumericLessThanEquals: { compare: numeric((a, b) => a <= b), negated: false, kind: 'numeric' },
  NumericGreaterThan: { compare: numeric((a, b) => a > b), negated: false, kind: 'numeric' },
  NumericGreaterThanEquals: { compare: numeric((a, b) => a >= b), negated: false, kind: 'numeric' },
  Null: { compare: bool, negated: false, kind: 'null' },
};

export interface ParsedOperator {
  written: string;
  base: string;
  spec: OperatorSpec;
  ifExists: boolean;
  set: 'ForAnyValue' | 'ForAllValues' | null;
}

/** Parses "ForAnyValue:StringLikeIfExists" and friends; operator names are case-sensitive in IAM. */
export function parseOperator(written: string): ParsedOperator | null {
  let rest = written;
  let set: ParsedOperator['set'] = null;
  const prefix = /^(ForAnyValue|ForAllValues):/.exec(rest);
  if (prefix) {
    set = prefix[1] as 'ForAnyValue' | 'ForAllValues';
    rest = rest.slice(prefix[0].length);
  }
  let ifExists = false;
  if (rest.endsWith('IfExists') && rest !== 'IfExists') {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const spec = Object.hasOwn(OPERATORS, rest) ? OPERATORS[rest] : undefined;
  if (!spec || (spec.kind === 'null' && (ifExists || set))) return null;
  return { written, base: rest, spec, ifExists, set };
}

export const SUPPORTED_OPERATORS = Object.keys(OPERATORS);
