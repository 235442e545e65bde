import * as z from 'zod/mini';
import { parseRoleArn, principalArnFromCaller, suggestTrustSettings } from '../arn.ts';
import { externalIdSchema, regionSchema, roleArnSchema, stackNameSchema } from '../inputs.ts';
import { ADDITIONS_POLICY_NAME, MANAGED_POLICY_NAMES, managedPolicyArns } from '../template/role-template.ts';
import type { DiagnosisCode } from './codes.ts';
import type { TrustPicture } from './diagnose.ts';
import { declared, type Fact, FactList, inferred } from './evidence.ts';
import { evidenceFacts, templateDrift } from './facts.ts';
import type { RoleEvidence } from './role-evidence.ts';
import { trustVerdict } from './trust-verdict.ts';

// `aws-connect doctor`, decided: the role the target account's credentials read, its real trust
// policy evaluated for the scanner's ARN and External ID with the domain evaluator. Every cause
// here is confirmed: it comes from the role's real state, not from what anyone typed.

export const doctorInputSchema = z.strictObject({
  roleArn: roleArnSchema,
  /** The scanner's identity: an IAM user or role ARN, or GetCallerIdentity's assumed-role ARN. */
  scannerArn: z.string({ error: 'Enter the scanner’s ARN.' }).check(
    z.trim(),
    z.refine((v) => (principalArnFromCaller(v)?.kind ?? 'unknown') !== 'unknown', {
      message:
        'The scanner ARN is an IAM user or role ARN (arn:aws:iam::123456789012:user/prowler-app), or the assumed-role ARN aws sts get-caller-identity prints.',
    }),
  ),
  externalId: externalIdSchema,
  stackName: z.optional(stackNameSchema),
  region: z.optional(regionSchema),
});
export type DoctorInput = z.infer<typeof doctorInputSchema>;

export interface DoctorVerdict {
  /** OK, or the first cause; every one is confirmed. */
  code: DiagnosisCode;
  /** The scanner would be admitted with the External ID. */
  admitted: boolean;
  /** Without the External ID the role refuses it; null when there is no role to ask. */
  enforced: boolean | null;
  /** Every cause found, the first one first. */
  causes: DiagnosisCode[];
  because: string;
  facts: Fact[];
  trust: TrustPicture | null;
}

/** The template's managed policies and additions the role lacks; null when the evidence does not list them. */
function missingPolicies(e: Extract<RoleEvidence, { found: true }>, partition: string): string[] | null {
  if (!e.attachedPolicyArns || !e.inlinePolicyNames) return null;
  const attached = new Set(e.attachedPolicyArns);
  const arns = managedPolicyArns(partition);
  const missing: string[] = MANAGED_POLICY_NAMES.filter((_, i) => !attached.has(arns[i] ?? ''));
  if (!e.inlinePolicyNames.includes(ADDITIONS_POLICY_NAME)) missing.push(ADDITIONS_POLICY_NAME);
  return missing;
}

export function doctorVerdict(evidence: RoleEvidence, input: DoctorInput): DoctorVerdict {
  const role = parseRoleArn(input.roleArn);
  const partition = role?.partition ?? 'aws';
  const caller = principalArnFromCaller(input.scannerArn);
  const facts = new FactList()
    .add(declared('roleArn', input.roleArn, '--role-arn'))
    .add(declared('callerArn', input.scannerArn, '--scanner-arn'))
    .add(declared('externalId', input.externalId, '--external-id'));
  if (role)
    facts
      .add(declared('roleAccountId', role.accountId, '--role-arn'))
      .add(declared('rolePartition', partition, '--role-arn'));
  if (input.stackName) facts.add(declared('stackName', input.stackName, '--stack-name'));
  if (input.region) facts.add(declared('region', input.region, '--region'));
  if (caller) facts.add(inferred('principalArn', caller.principalArn, ['callerArn']));
  const suggestion = suggestTrustSettings(input.scannerArn);
  if (suggestion) {
    facts.add(inferred('suggestedTrustedAccountId', suggestion.trustedAccountId, ['callerArn']));
    facts.add(inferred('suggestedIamPrincipal', suggestion.iamPrincipal, ['callerArn']));
  }
  for (const f of evidenceFacts(evidence)) facts.add(f);
  const verdict = (
    code: DiagnosisCode,
    because: string,
    extra: Partial<Pick<DoctorVerdict, 'admitted' | 'enforced' | 'causes' | 'trust'>> = {},
  ): DoctorVerdict => ({
    code,
    admitted: false,
    enforced: null,
    causes: code === 'OK' ? [] : [code],
    because,
    facts: facts.toArray(),
    trust: null,
    ...extra,
  });

  if (!evidence.found)
    return verdict(
      'ROLE_NOT_FOUND',
      `There is no role ${evidence.name ?? role?.name ?? ''} in this account.`,
    );
  if (evidence.arn !== input.roleArn) {
    return verdict(
      'ROLE_NOT_FOUND',
      `The role ${evidence.name} is ${evidence.arn}: the ARN given names no role.`,
    );
  }
  const drift = templateDrift(evidence, partition);
  if (drift) facts.add(drift);
  if (!caller) return verdict('UNKNOWN', 'The scanner ARN is not a principal ARN.');
  const v = trustVerdict(evidence.trustPolicy, caller, input.externalId, partition);
  facts.add(inferred('trustVerdict', v.because, ['roleTrustedPrincipals', 'callerArn', 'externalId']));
  const trust: TrustPicture = {
    policy: evidence.trustPolicy,
    evaluation: v.evaluation,
    basis: 'role-evidence',
  };
  const base = { admitted: v.admitted, enforced: v.enforced, trust };
  if (!v.admitted) return verdict(v.causes[0] ?? 'UNKNOWN', v.because, { ...base, causes: v.causes });
  const missing = missingPolicies(evidence, partition);
  if (missing?.length) {
    facts.add(
      inferred('missingPolicies', missing.join(', '), ['roleAttachedPolicies', 'roleInlinePolicies']),
    );
  }
  const causes: DiagnosisCode[] = [
    ...(v.enforced ? [] : (['EXTERNAL_ID_NOT_ENFORCED'] as const)),
    ...(missing?.length ? (['PERMISSIONS_INCOMPLETE'] as const) : []),
  ];
  if (causes[0]) return verdict(causes[0], v.because, { ...base, causes });
  return verdict('OK', v.because, base);
}
