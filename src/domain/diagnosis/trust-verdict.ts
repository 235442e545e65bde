import { parseArn } from '../arn.ts';
import { evaluate } from '../trust/evaluate.ts';
import type { Evaluation, StatementExplanation, TrustRequest } from '../trust/explanation.ts';
import { globMatch } from '../trust/glob.ts';
import type { DiagnosisCode } from './codes.ts';

// The confirmed cause from a role's REAL trust policy (issue 12, item 3): the domain evaluator run
// on the policy the target account holds, for the caller AWS named and the External ID sent. Used
// by the verification (with role evidence) and by `aws-connect doctor`.

export interface TrustCaller {
  /** The caller's aws:PrincipalArn (never the sts assumed-role ARN). */
  principalArn: string;
  pathUnknown: boolean;
}

export interface TrustVerdict {
  /** The policy admits the caller with the External ID. */
  admitted: boolean;
  /** Without the External ID the policy refuses the caller (the confused-deputy guard holds). */
  enforced: boolean;
  /**
   * Why the caller is refused, most fundamental first (account, then principal, then External ID);
   * ['EXTERNAL_ID_NOT_ENFORCED'] when admitted without the guard, [] when admitted with it.
   */
  causes: DiagnosisCode[];
  evaluation: Evaluation;
  /** One sentence for people: what the policy does for this caller. */
  because: string;
  /** What the policy trusts, read from it: accounts, principal patterns and External IDs. */
  trustedAccounts: string[];
  principalPatterns: string[];
  externalIds: string[];
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const strings = (v: unknown): string[] => asList(v).filter((x): x is string => typeof x === 'string');

function conditionValues(statement: Record<string, unknown>, key: string): string[] {
  const block = statement.Condition;
  if (typeof block !== 'object' || block === null) return [];
  const out: string[] = [];
  for (const inner of Object.values(block as Record<string, unknown>)) {
    if (typeof inner !== 'object' || inner === null) continue;
    for (const [k, v] of Object.entries(inner as Record<string, unknown>))
      if (k.toLowerCase() === key) out.push(...strings(v));
  }
  return out;
}

function allowStatements(policy: unknown): Record<string, unknown>[] {
  const doc = policy as { Statement?: unknown } | null;
  return asList(doc?.Statement).filter(
    (s): s is Record<string, unknown> =>
      typeof s === 'object' && s !== null && (s as { Effect?: unknown }).Effect === 'Allow',
  );
}

/** Accounts, aws:PrincipalArn patterns and External IDs the policy's Allow statements name. */
export function trustedParts(policy: unknown) {
  const accounts = new Set<string>();
  const patterns = new Set<string>();
  const externalIds = new Set<string>();
  for (const s of allowStatements(policy)) {
    const principal = s.Principal;
    const aws = principal === '*' ? ['*'] : strings((principal as { AWS?: unknown } | undefined)?.AWS ?? []);
    for (const p of aws) {
      if (p === '*') accounts.add('*');
      else if (/^\d{12}$/.test(p)) accounts.add(p);
      else {
        const arn = parseArn(p);
        if (arn) accounts.add(arn.accountId);
      }
    }
    for (const v of conditionValues(s, 'aws:principalarn')) patterns.add(v);
    for (const v of conditionValues(s, 'sts:externalid')) externalIds.add(v);
  }
  return { accounts: [...accounts], patterns: [...patterns], externalIds: [...externalIds] };
}

const PRINCIPAL_KEYS = new Set(['aws:principalarn', 'aws:principalaccount', 'aws:userid', 'aws:username']);

/** Does the account part of an aws:PrincipalArn pattern (arn:p:iam::<account>:...) admit the caller's account? */
function patternAccountAdmits(pattern: string, callerAccount: string | undefined): boolean {
  const account = /^arn:[^:]*:[^:]*::([^:]*):/.exec(pattern)?.[1];
  if (account === undefined || callerAccount === undefined) return true;
  return globMatch(account, callerAccount);
}

/** The causes one Allow statement refuses the caller for. */
function causesOf(s: StatementExplanation, callerAccount: string | undefined): DiagnosisCode[] {
  const causes: DiagnosisCode[] = [];
  if (!s.principal.matched) {
    const accountNamed = s.principal.policyValues.some(
      (v) => v === '*' || v === callerAccount || parseArn(v)?.accountId === callerAccount,
    );
    causes.push(accountNamed ? 'TRUST_PRINCIPAL_MISMATCH' : 'TRUST_ACCOUNT_MISMATCH');
  }
  for (const c of s.conditions) {
    if (c.matched) continue;
    const key = c.key.toLowerCase();
    if (key === 'sts:externalid') causes.push('EXTERNAL_ID_MISMATCH');
    else if (key === 'aws:principalaccount') causes.push('TRUST_ACCOUNT_MISMATCH');
    else if (
      key === 'aws:principalarn' &&
      !c.policyValues.some((v) => patternAccountAdmits(v, callerAccount))
    )
      // arn:aws:iam::121212121212:user/x refuses the caller for its account before its principal.
      causes.push('TRUST_ACCOUNT_MISMATCH');
    else if (PRINCIPAL_KEYS.has(key)) causes.push('TRUST_PRINCIPAL_MISMATCH');
    else causes.push('UNKNOWN');
  }
  if (!s.action.matched) causes.push('UNKNOWN');
  return [...new Set(causes)];
}

const ORDER: DiagnosisCode[] = [
  'TRUST_ACCOUNT_MISMATCH',
  'TRUST_PRINCIPAL_MISMATCH',
  'EXTERNAL_ID_MISMATCH',
  'UNKNOWN',
];

/** The Allow statement that comes closest to admitting the caller: fewest causes, principal first. */
function closest(evaluation: Evaluation, callerAccount: string | undefined): DiagnosisCode[] {
  let best: DiagnosisCode[] | null = null;
  for (const s of evaluation.statements) {
    if (s.effect !== 'Allow') continue;
    const causes = causesOf(s, callerAccount).sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
    const rank = (c: DiagnosisCode[]) => c.length * 10 + (c[0] ? ORDER.indexOf(c[0]) : 0);
    if (best === null || rank(causes) < rank(best)) best = causes;
  }
  return best ?? ['TRUST_ACCOUNT_MISMATCH'];
}

const SENTENCES: Partial<Record<DiagnosisCode, (v: TrustVerdict, caller: TrustCaller) => string>> = {
  TRUST_ACCOUNT_MISMATCH: (v, c) =>
    `The role trusts ${v.trustedAccounts.length ? `account ${v.trustedAccounts.join(', ')}` : 'no AWS account'}, not the caller’s account ${parseArn(c.principalArn)?.accountId ?? '?'}.`,
  TRUST_PRINCIPAL_MISMATCH: (v, c) =>
    `The role trusts the caller’s account, but ${v.principalPatterns.length ? `admits only aws:PrincipalArn ${v.principalPatterns.join(', ')}` : 'not this principal'}; the caller is ${c.principalArn}.`,
  EXTERNAL_ID_MISMATCH: (v) =>
    `The role requires the External ID ${v.externalIds.join(' or ') || '(another one)'}, not the one sent.`,
  EXPLICIT_DENY: () => 'A Deny statement of the trust policy applies to the caller.',
  EXTERNAL_ID_NOT_ENFORCED: () =>
    'The role admits the caller, also without the External ID: the trust policy has no sts:ExternalId condition that applies.',
  OK: () => 'The role admits the caller with the External ID, and refuses it without.',
  UNKNOWN: () =>
    'The role refuses the caller for a condition this product does not diagnose; the trust chain shows which.',
};

export function trustVerdict(
  policy: unknown,
  caller: TrustCaller,
  externalId: string,
  rolePartition?: string,
): TrustVerdict {
  const request = (withExternalId: boolean): TrustRequest => ({
    principalArn: caller.principalArn,
    pathUnknown: caller.pathUnknown,
    ...(rolePartition ? { partition: rolePartition } : {}),
    context: withExternalId ? { 'sts:ExternalId': externalId } : {},
  });
  const evaluation = evaluate(policy, request(true));
  const without = evaluate(policy, request(false));
  const callerAccount = parseArn(caller.principalArn)?.accountId;
  const admitted = evaluation.decision === 'allow';
  const enforced = without.decision === 'deny';
  const causes: DiagnosisCode[] = admitted
    ? enforced
      ? []
      : ['EXTERNAL_ID_NOT_ENFORCED']
    : evaluation.reason === 'explicit-deny'
      ? ['EXPLICIT_DENY']
      : evaluation.policyErrors.length > 0 &&
          evaluation.statements.some((s) => s.effect === 'Allow' && s.applies)
        ? ['UNKNOWN']
        : closest(evaluation, callerAccount);
  const parts = trustedParts(policy);
  const verdict: TrustVerdict = {
    admitted,
    enforced,
    causes,
    evaluation,
    because: '',
    trustedAccounts: parts.accounts,
    principalPatterns: parts.patterns,
    externalIds: parts.externalIds,
  };
  verdict.because = (SENTENCES[causes[0] ?? 'OK'] ?? SENTENCES.UNKNOWN!)(verdict, caller);
  return verdict;
}
