import { shellQuote } from '../shell-quote.ts';
import { DEFAULT_IAM_PRINCIPAL } from '../template/role-template.ts';
import { CATALOGUE } from './catalogue.ts';
import type { DiagnosisCode } from './codes.ts';
import type { Candidate } from './guidance-schema.ts';

// The causes a bare cross-account AccessDenied on sts:AssumeRole may have (issue 12, item 2). AWS
// does not say which part of the trust policy refused the caller, nor whether the role exists, so
// each trust-side code is a candidate until something AWS answered rules it out; declared settings
// rule nothing out (what was deployed may differ from what was typed). They rank instead: a
// declared setting that contradicts the caller GetCallerIdentity named goes first.

export { type Candidate, type Confidence, candidateSchema, confidenceSchema } from './guidance-schema.ts';

export interface CandidateInput {
  roleName: string;
  roleAccountId: string;
  /** The caller AWS named (GetCallerIdentity, or the AccessDenied message); null when unknown. */
  caller: { principalArn: string; pathUnknown: boolean; accountId: string } | null;
  /** The trust settings entered; undefined when not entered. */
  trustedAccountId?: string | undefined;
  iamPrincipal?: string | undefined;
  /** The account the user says they connect. */
  accountId?: string | undefined;
  externalId: string;
  /** The declared settings, evaluated: do they admit the caller? (null: could not be evaluated) */
  declaredAdmitsAccount: boolean | null;
  declaredAdmitsPrincipal: boolean | null;
  /** Codes something AWS answered rules out. */
  ruledOut?: ReadonlySet<DiagnosisCode>;
}

/** The trust-side codes, in the order they rank when nothing observed favours one. */
export const TRUST_SIDE_ORDER: readonly DiagnosisCode[] = [
  'EXTERNAL_ID_MISMATCH',
  'ROLE_NOT_FOUND',
  'TRUST_PRINCIPAL_MISMATCH',
  'TRUST_ACCOUNT_MISMATCH',
];

const q = shellQuote;
const getRole = (name: string, query: string, output: 'text' | 'json') =>
  `aws iam get-role --role-name ${q(name)} --query ${q(query)} --output ${output}`;

function candidate(
  code: DiagnosisCode,
  input: CandidateInput,
  contradicted: boolean,
): Omit<Candidate, 'title'> {
  const { roleName, caller } = input;
  const callerAccount = caller?.accountId ?? 'the caller’s account';
  const principal = caller?.principalArn ?? 'the caller';
  switch (code) {
    case 'ROLE_ACCOUNT_MISMATCH':
      return {
        code,
        why: `You are connecting account ${input.accountId ?? '?'}, but the role ARN is in account ${input.roleAccountId}: the ARN may be another account’s.`,
        check: {
          text: `Compare the account in the role ARN with the account the stack was deployed in; in that account, ${getRole(roleName, 'Role.Arn', 'text')} prints the ARN to use.`,
        },
      };
    case 'TRUST_ACCOUNT_MISMATCH':
      return {
        code,
        why: contradicted
          ? `You entered AccountId ${input.trustedAccountId}, but GetCallerIdentity says the caller is in ${callerAccount}: a stack deployed with your settings refuses it.`
          : `The stack may trust another account than ${callerAccount}, where the caller is: what was deployed can differ from what you entered.`,
        check: {
          text: `The Principal must name account ${callerAccount} (arn:…:iam::${callerAccount}:root) or the caller itself.`,
          command: getRole(roleName, 'Role.AssumeRolePolicyDocument.Statement[].Principal', 'json'),
          runIn: 'target-account',
        },
      };
    case 'TRUST_PRINCIPAL_MISMATCH': {
      const entered = input.iamPrincipal ?? DEFAULT_IAM_PRINCIPAL;
      const path = caller?.pathUnknown
        ? ' The caller is a role session, whose ARN hides the role’s path: a pattern with the wrong path refuses it too.'
        : '';
      return {
        code,
        why:
          (contradicted
            ? input.iamPrincipal
              ? `You entered IAMPrincipal ${entered}, which does not admit the caller ${principal} that GetCallerIdentity named: a stack deployed with your settings refuses it.`
              : `You did not enter IAMPrincipal; the template’s default ${entered} does not admit the caller ${principal}.`
            : `The stack’s IAMPrincipal may not admit the caller ${principal}: what was deployed can differ from what you entered.`) +
          path,
        check: {
          text: `The aws:PrincipalArn condition must match ${principal}.`,
          command: getRole(roleName, 'Role.AssumeRolePolicyDocument.Statement[].Condition', 'json'),
          runIn: 'target-account',
        },
      };
    }
    case 'EXTERNAL_ID_MISMATCH':
      return {
        code,
        why:
          input.declaredAdmitsAccount && input.declaredAdmitsPrincipal
            ? 'Your trust settings admit the caller, so the External ID is the likeliest difference: a stack deployed from another installation, or from an older download, has another one.'
            : 'The stack may also have been deployed with another External ID than the one sent.',
        check: {
          text: `The sts:ExternalId condition must be exactly ${input.externalId}.`,
          command: getRole(
            roleName,
            'Role.AssumeRolePolicyDocument.Statement[].Condition.StringEquals',
            'json',
          ),
          runIn: 'target-account',
        },
      };
    case 'ROLE_NOT_FOUND':
      return {
        code,
        why: `Across accounts AWS answers a role that does not exist with the same AccessDenied: a wrong role name or path, a stack not deployed yet, failed or deleted in account ${input.roleAccountId}.`,
        check: {
          text: 'NoSuchEntity means there is no such role; an ARN other than the one you entered means its path differs.',
          command: getRole(roleName, 'Role.Arn', 'text'),
          runIn: 'target-account',
        },
      };
    default:
      return { code, why: '', check: { text: '' } };
  }
}

/** Every trust-side code not ruled out, ranked: contradicted declarations first, then the usual order. */
export function rankCandidates(input: CandidateInput): Candidate[] {
  const ruledOut = input.ruledOut ?? new Set<DiagnosisCode>();
  const first: DiagnosisCode[] = [];
  const roleAccountContradicted = input.accountId !== undefined && input.accountId !== input.roleAccountId;
  if (roleAccountContradicted) first.push('ROLE_ACCOUNT_MISMATCH');
  if (input.declaredAdmitsAccount === false) first.push('TRUST_ACCOUNT_MISMATCH');
  if (input.declaredAdmitsPrincipal === false) first.push('TRUST_PRINCIPAL_MISMATCH');
  const order = [...first, ...TRUST_SIDE_ORDER.filter((c) => !first.includes(c))];
  return order
    .filter((code) => !ruledOut.has(code))
    .map((code) => ({ title: CATALOGUE[code].label, ...candidate(code, input, first.includes(code)) }));
}
