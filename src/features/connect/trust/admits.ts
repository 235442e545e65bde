import type { CallerIdentity } from '../../../domain/api-contract.ts';
import { accountIdSchema, iamPrincipalSchema, type Partition } from '../../../domain/inputs.ts';
import { trustPolicyFor } from '../../../domain/template/role-template.ts';
import { evaluate } from '../../../domain/trust/evaluate.ts';
import type { Evaluation } from '../../../domain/trust/explanation.ts';

export interface TrustQuestion {
  caller: CallerIdentity;
  trustedAccountId: string;
  iamPrincipal: string;
  externalId: string;
  partition: Partition;
}

/**
 * The template's own trust policy with these settings, evaluated in the browser against the
 * detected caller: would AWS admit it? Null while a setting is not valid yet.
 */
export function evaluateTrust({
  caller,
  trustedAccountId,
  iamPrincipal,
  externalId,
  partition,
}: TrustQuestion): Evaluation | null {
  const account = accountIdSchema.safeParse(trustedAccountId);
  const principal = iamPrincipalSchema.safeParse(iamPrincipal);
  if (!account.success || !principal.success) return null;
  const policy = trustPolicyFor({
    partition,
    trustedAccountId: account.data,
    iamPrincipal: principal.data,
    externalId,
  });
  return evaluate(policy, { principalArn: caller.principalArn, context: { 'sts:ExternalId': externalId } });
}
