import type { AwsErrorInfo, VerifyReport } from '../api-contract.ts';
import {
  type CallerPrincipal,
  parseArn,
  parseRoleArn,
  principalArnFromCaller,
  suggestTrustSettings,
} from '../arn.ts';
import { TEMPLATE_MAX_SESSION_SECONDS } from '../inputs.ts';
import { DEFAULT_IAM_PRINCIPAL, trustPolicyFor } from '../template/role-template.ts';
import { evaluate } from '../trust/evaluate.ts';
import type { Evaluation } from '../trust/explanation.ts';
import type { Classified } from './classify.ts';
import { type DiagnosisCode, type Severity, severityOf } from './codes.ts';

// One diagnosis from all the evidence of a verification, most specific first (issue 5, "Diagnosis").
// Pure: the verify service gathers the evidence, this decides. Table-tested in diagnose.test.ts.

export interface CallFailure {
  error: Classified;
  /** Attempts made, retries for throttling included. */
  attempts: number;
  endpoint?: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: CallFailure };

export interface DiagnoseInput {
  request: VerifyReport['request'];
  timeoutMs: number;
  /** Resolving the source's credentials (the default chain); ok for access keys. */
  source: Outcome<null>;
  /** sts:GetCallerIdentity on the source; null when not called. */
  caller: Outcome<{ arn: string; account: string; userId?: string }> | null;
  /** sts:AssumeRole with the External ID; null when not called. */
  assume: Outcome<null> | null;
  /** The permission audit with the assumed credentials; null when not run. */
  audit: Outcome<{ missing: string[]; maxSessionDuration: number | null }> | null;
  /** sts:AssumeRole without the External ID; value true when AWS refused it (enforced). */
  enforcement: Outcome<{ enforced: boolean }> | null;
  /** The endpoint the STS calls went to, for STS_UNREACHABLE/STS_TIMEOUT guidance. */
  endpoint?: string;
}

export interface Diagnosis {
  code: DiagnosisCode;
  severity: Severity;
  evidence: Record<string, string>;
  findings: DiagnosisCode[];
  trust: { policy: unknown; evaluation: Evaluation } | null;
  awsError: AwsErrorInfo | null;
  caller: CallerPrincipal | null;
}

/** How the trust settings being checked against were chosen: given, or assumed (template default / caller's account). */
function expectedTrust(req: DiagnoseInput['request'], callerAccount: string | undefined) {
  const trustedAccountId = req.trustedAccountId ?? callerAccount;
  const iamPrincipal = req.iamPrincipal ?? DEFAULT_IAM_PRINCIPAL;
  return { trustedAccountId, iamPrincipal, assumed: !req.trustedAccountId || !req.iamPrincipal };
}

function evaluateTrust(
  req: DiagnoseInput['request'],
  callerArn: string,
  rolePartition: string,
): {
  policy: unknown;
  evaluation: Evaluation;
  trustedAccountId: string;
  iamPrincipal: string;
  assumed: boolean;
} | null {
  const caller = principalArnFromCaller(callerArn);
  const callerAccount = caller ? parseArn(caller.principalArn)?.accountId : undefined;
  const { trustedAccountId, iamPrincipal, assumed } = expectedTrust(req, callerAccount);
  if (!caller || !trustedAccountId) return null;
  const policy = trustPolicyFor({
    partition: rolePartition,
    trustedAccountId,
    iamPrincipal,
    externalId: req.externalId,
  });
  const evaluation = evaluate(policy, {
    principalArn: caller.principalArn,
    pathUnknown: caller.pathUnknown,
    partition: rolePartition,
    context: { 'sts:ExternalId': req.externalId },
  });
  return { policy, evaluation, trustedAccountId, iamPrincipal, assumed };
}

/** Which part of the expected trust policy turned the caller away. */
function trustFailure(
  evaluation: Evaluation,
  callerAccount: string | undefined,
  trustedAccountId: string,
): DiagnosisCode {
  if (evaluation.decision === 'allow') return 'EXTERNAL_ID_MISMATCH';
  const allows = evaluation.statements.filter((s) => s.effect === 'Allow');
  const principalAdmitted = allows.some((s) => s.principal.matched);
  if (!principalAdmitted || (callerAccount !== undefined && callerAccount !== trustedAccountId)) {
    return 'TRUST_ACCOUNT_MISMATCH';
  }
  return 'TRUST_PRINCIPAL_MISMATCH';
}

function failureEvidence(evidence: Record<string, string>, f: CallFailure) {
  evidence.rawCode = f.error.awsError.code;
  evidence.rawMessage = f.error.awsError.message;
  evidence.attempts = String(f.attempts);
  if (f.endpoint) evidence.endpoint = f.endpoint;
}

export function diagnose(input: DiagnoseInput): Diagnosis {
  const req = input.request;
  const role = parseRoleArn(req.roleArn);
  const rolePartition = role?.partition ?? req.partition;
  const evidence: Record<string, string> = {
    roleArn: req.roleArn,
    roleAccountId: role?.accountId ?? '',
    rolePartition,
    partition: req.partition,
    externalId: req.externalId,
    durationSeconds: String(req.durationSeconds),
    timeoutMs: String(input.timeoutMs),
  };
  if (input.endpoint) evidence.endpoint = input.endpoint;
  if (req.accountId) evidence.accountId = req.accountId;
  if (req.trustedAccountId) evidence.trustedAccountId = req.trustedAccountId;
  if (req.iamPrincipal) evidence.iamPrincipal = req.iamPrincipal;

  // Who called: GetCallerIdentity, else the ARN AWS names in an AccessDenied message.
  const assumeFailure = input.assume && !input.assume.ok ? input.assume.failure : null;
  const callerArn =
    input.caller?.ok === true
      ? input.caller.value.arn
      : (assumeFailure?.error.accessDenied?.callerArn ?? undefined);
  const caller = callerArn ? principalArnFromCaller(callerArn) : null;
  const callerParsed = callerArn ? parseArn(callerArn) : null;
  if (callerArn) evidence.callerArn = callerArn;
  if (callerParsed) {
    evidence.callerAccountId = callerParsed.accountId;
    evidence.callerPartition = callerParsed.partition;
  }
  if (caller) evidence.principalArn = caller.principalArn;
  const suggestion = callerArn ? suggestTrustSettings(callerArn) : null;
  if (suggestion) {
    evidence.suggestedTrustedAccountId = suggestion.trustedAccountId;
    evidence.suggestedIamPrincipal = suggestion.iamPrincipal;
  }

  // Without given trust settings the picture assumes the template defaults; once the role was
  // assumed that guess explains nothing, so it is left out.
  const evaluated = callerArn ? evaluateTrust(req, callerArn, rolePartition) : null;
  const trust = evaluated && !(evaluated.assumed && input.assume?.ok) ? evaluated : null;
  if (trust) {
    evidence.trustedAccountId = trust.trustedAccountId;
    evidence.iamPrincipal = trust.iamPrincipal;
    evidence.expectedPrincipalArn = `arn:${rolePartition}:iam::${trust.trustedAccountId}:${trust.iamPrincipal}`;
    if (trust.assumed) evidence.trustSettingsAssumed = 'true';
  }

  const findings: DiagnosisCode[] = [];
  const done = (code: DiagnosisCode, failure: CallFailure | null = null): Diagnosis => {
    if (failure) failureEvidence(evidence, failure);
    if (!findings.includes(code) && code !== 'OK') findings.unshift(code);
    return {
      code,
      severity: severityOf(code),
      evidence,
      findings,
      trust: trust ? { policy: trust.policy, evaluation: trust.evaluation } : null,
      awsError: failure?.error.awsError ?? null,
      caller,
    };
  };

  // 1. The source itself: no credentials, bad key/secret, expired token, skew, network.
  if (!input.source.ok) return done(input.source.failure.error.code, input.source.failure);
  if (input.caller && !input.caller.ok) return done(input.caller.failure.error.code, input.caller.failure);

  // 2. Certain before calling AssumeRole: a role session cannot chain into a session longer than 1 h.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining
  const chainingCap = caller?.kind === 'role' && req.durationSeconds > TEMPLATE_MAX_SESSION_SECONDS;
  if (chainingCap && (input.assume === null || assumeFailure)) {
    evidence.maxSessionDuration = String(TEMPLATE_MAX_SESSION_SECONDS);
    evidence.roleChaining = 'true';
    return done('DURATION_EXCEEDS_MAX', assumeFailure);
  }

  if (assumeFailure) {
    const { error } = assumeFailure;
    if (error.code === 'DURATION_EXCEEDS_MAX')
      evidence.maxSessionDuration = String(TEMPLATE_MAX_SESSION_SECONDS);
    if (!error.accessDenied) return done(error.code, assumeFailure);
    // 3. AccessDenied, most specific first.
    if (error.accessDenied.variant === 'identity-policy') return done('CALLER_NOT_PERMITTED', assumeFailure);
    if (error.accessDenied.variant === 'explicit-deny') {
      evidence.policyType = error.accessDenied.policyType ?? 'policy';
      return done('EXPLICIT_DENY', assumeFailure);
    }
    if (req.accountId && role && req.accountId !== role.accountId)
      return done('ROLE_ACCOUNT_MISMATCH', assumeFailure);
    if (callerParsed && callerParsed.partition !== rolePartition)
      return done('PARTITION_MISMATCH', assumeFailure);
    if (!trust) return done('UNKNOWN', assumeFailure);
    return done(
      trustFailure(trust.evaluation, callerParsed?.accountId, trust.trustedAccountId),
      assumeFailure,
    );
  }

  if (!input.assume) return done('UNKNOWN');

  // 4. Assumed. The user connects the wrong account if the role lives elsewhere.
  if (req.accountId && role && req.accountId !== role.accountId) return done('ROLE_ACCOUNT_MISMATCH');

  const warnings: DiagnosisCode[] = [];
  if (input.enforcement?.ok && !input.enforcement.value.enforced) warnings.push('EXTERNAL_ID_NOT_ENFORCED');
  if (input.audit?.ok) {
    if (input.audit.value.maxSessionDuration !== null) {
      evidence.maxSessionDuration = String(input.audit.value.maxSessionDuration);
    }
    if (input.audit.value.missing.length > 0) {
      evidence.missingPolicies = input.audit.value.missing.join(', ');
      warnings.push('PERMISSIONS_INCOMPLETE');
    }
  }
  findings.push(...warnings);
  // The confused deputy is a security hole; missing permissions only narrow the scan.
  if (warnings[0]) return done(warnings[0]);
  // An audit that could not complete is not "OK" (docs/design.md#diagnosis-codes: OK = assumed, audit complete).
  if (input.audit && !input.audit.ok) return done(input.audit.failure.error.code, input.audit.failure);
  if (!input.audit) return done('UNKNOWN');
  return done('OK');
}
