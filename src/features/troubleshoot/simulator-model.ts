import { principalArnFromCaller } from '../../domain/arn.ts';
import { externalIdSchema } from '../../domain/inputs.ts';
import { evaluate, parsePolicyText } from '../../domain/trust/evaluate.ts';
import type { Evaluation } from '../../domain/trust/explanation.ts';
import { MAX_REQUEST_VALUE_CHARS } from '../../domain/trust/limits.ts';

// The trust-policy simulator's brain, kept out of the component so it is unit-tested against the
// real evaluator. Every problem is a message for a field; nothing here throws (issue 6).

/** ARNs are at most 2,048 characters (IAM API reference); the evaluator takes no longer caller. */
export const MAX_PRINCIPAL_CHARS = MAX_REQUEST_VALUE_CHARS;

export interface SimulationInput {
  policyText: string;
  /** An IAM ARN (user, role, root), a federated-user ARN, or GetCallerIdentity's assumed-role ARN. */
  callerArn: string;
  /** Empty means the request carries no sts:ExternalId. */
  externalId: string;
}

export interface Simulation {
  policyError: string | null;
  callerError: string | null;
  /** A note (not an error): AWS would refuse this External ID before evaluating anything. */
  externalIdNote: string | null;
  result: {
    evaluation: Evaluation;
    callerArn: string;
    principalArn: string;
    pathUnknown: boolean;
  } | null;
}

function checkCaller(raw: string): { principalArn: string; pathUnknown: boolean } | { error: string } {
  const callerArn = raw.trim();
  if (callerArn === '')
    return { error: 'Enter the caller’s ARN, for example arn:aws:iam::123456789012:role/prowler-scan.' };
  if (callerArn.length > MAX_PRINCIPAL_CHARS) return { error: 'An ARN is at most 2,048 characters.' };
  const principal = principalArnFromCaller(callerArn);
  if (!principal) {
    return {
      error:
        'This is not an AWS principal ARN. Use the ARN from aws sts get-caller-identity (arn:aws:sts::123456789012:assumed-role/NAME/SESSION) or an IAM ARN such as arn:aws:iam::123456789012:user/NAME.',
    };
  }
  return principal;
}

export function simulate({ policyText, callerArn, externalId }: SimulationInput): Simulation {
  // The size bounds are the evaluator's own (domain/trust/limits.ts), so the CLI says the same.
  const policy = parsePolicyText(policyText);
  const caller = checkCaller(callerArn);
  const policyError = 'error' in policy ? policy.error : null;
  const callerError = 'error' in caller ? caller.error : null;
  const id = externalId.trim();
  const idCheck = id === '' ? null : externalIdSchema.safeParse(id);
  const externalIdNote =
    idCheck && !idCheck.success
      ? `AWS would reject this External ID before reading the policy: ${idCheck.error.issues[0]?.message ?? 'invalid format.'}`
      : null;
  if ('error' in policy || 'error' in caller)
    return { policyError, callerError, externalIdNote, result: null };
  const evaluation = evaluate(policy.policy, {
    principalArn: caller.principalArn,
    pathUnknown: caller.pathUnknown,
    context: id === '' ? {} : { 'sts:ExternalId': id },
  });
  return {
    policyError,
    callerError,
    externalIdNote,
    result: {
      evaluation,
      callerArn: callerArn.trim(),
      principalArn: caller.principalArn,
      pathUnknown: caller.pathUnknown,
    },
  };
}

/** The text the policy box starts with: a given string as is, anything else pretty-printed. */
export function policyTextFrom(policy: unknown): string {
  if (policy === undefined || policy === null) return '';
  if (typeof policy === 'string') return policy;
  try {
    return JSON.stringify(policy, null, 2);
  } catch {
    return '';
  }
}
