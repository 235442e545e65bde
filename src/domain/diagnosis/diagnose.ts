import type { AwsErrorInfo } from '../api-contract.ts';
import {
  type CallerPrincipal,
  parseArn,
  parseRoleArn,
  principalArnFromCaller,
  suggestTrustSettings,
} from '../arn.ts';
import type { VerifyReport } from '../diagnosis-contract.ts';
import { TEMPLATE_MAX_SESSION_SECONDS } from '../inputs.ts';
import { DEFAULT_IAM_PRINCIPAL, trustPolicyFor } from '../template/role-template.ts';
import { evaluate } from '../trust/evaluate.ts';
import type { Evaluation } from '../trust/explanation.ts';
import { type Candidate, type Confidence, rankCandidates } from './candidates.ts';
import { severityOf } from './catalogue.ts';
import type { DiagnosisCode, Severity } from './codes.ts';
import { type Fact, type FactList, inferred, observed } from './evidence.ts';
import { declaredFacts, enteredKeyFacts, evidenceFacts, failureFacts, templateDrift } from './facts.ts';
import type { CallFailure, Outcome } from './outcome.ts';
import type { RoleEvidence } from './role-evidence.ts';
import { trustVerdict } from './trust-verdict.ts';

// One diagnosis from everything a verification saw, most specific first. Pure: the verify service
// gathers the outcomes, this decides, and tags every fact with where it came from (issue 12).
// A cause AWS did not state is `suspected` and comes with ranked candidates; the role's real
// trust policy (role evidence from the target account) makes it `confirmed`.

export type { CallFailure, Outcome } from './outcome.ts';

export interface DiagnoseInput {
  request: VerifyReport['request'];
  timeoutMs: number;
  /** Resolving the source's credentials (the default chain); ok for access keys. */
  source: Outcome<null>;
  /** sts:GetCallerIdentity on the source; null when not called. */
  caller: Outcome<{ arn: string; account: string; userId?: string }> | null;
  /** sts:AssumeRole with the External ID (the session's ARN); null when not called. */
  assume: Outcome<{ arn: string }> | null;
  /** The permission audit with the assumed credentials; null when not run. */
  audit: Outcome<{ missing: string[]; maxSessionDuration: number | null }> | null;
  /** sts:AssumeRole without the External ID; value true when AWS refused it (enforced). */
  enforcement: Outcome<{ enforced: boolean }> | null;
  /** The endpoint the STS calls went to, for STS_UNREACHABLE/STS_TIMEOUT guidance. */
  endpoint?: string;
  /** What the target account's side showed of the role (the trust doctor's output), if given. */
  roleEvidence?: RoleEvidence | null;
  /** The access key ID as entered (not a secret: the secret access key is), for SOURCE_SECRET_INVALID's fix. */
  accessKeyId?: string;
}

export interface TrustPicture {
  policy: unknown;
  evaluation: Evaluation;
  /** declared: the policy the entered settings produce; role-evidence: the role's real policy. */
  basis: 'declared' | 'role-evidence';
}

export interface Diagnosis {
  code: DiagnosisCode;
  severity: Severity;
  confidence: Confidence;
  candidates: Candidate[];
  facts: Fact[];
  findings: DiagnosisCode[];
  trust: TrustPicture | null;
  awsError: AwsErrorInfo | null;
  caller: CallerPrincipal | null;
}

type Request = DiagnoseInput['request'];

/** The settings checked against: entered, or assumed (the template default, the caller's account). */
function expectedTrust(req: Request, callerAccount: string | undefined) {
  return {
    trustedAccountId: req.trustedAccountId ?? callerAccount,
    iamPrincipal: req.iamPrincipal ?? DEFAULT_IAM_PRINCIPAL,
    assumed: !req.trustedAccountId || !req.iamPrincipal,
  };
}

function declaredPicture(req: Request, caller: CallerPrincipal, rolePartition: string) {
  const callerAccount = parseArn(caller.principalArn)?.accountId;
  const { trustedAccountId, iamPrincipal, assumed } = expectedTrust(req, callerAccount);
  if (!trustedAccountId) return null;
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

/** Does the IAMPrincipal entered (or the template default) admit the caller, within its own account? */
function principalAdmits(req: Request, caller: CallerPrincipal, account: string, partition: string): boolean {
  const policy = trustPolicyFor({
    partition,
    trustedAccountId: account,
    iamPrincipal: req.iamPrincipal ?? DEFAULT_IAM_PRINCIPAL,
    externalId: req.externalId,
  });
  const e = evaluate(policy, {
    principalArn: caller.principalArn,
    pathUnknown: caller.pathUnknown,
    context: { 'sts:ExternalId': req.externalId },
  });
  return e.statements.some((s) =>
    s.conditions.every((c) => c.key.toLowerCase() !== 'aws:principalarn' || c.matched),
  );
}

export function diagnose(input: DiagnoseInput): Diagnosis {
  const req = input.request;
  const role = parseRoleArn(req.roleArn);
  const rolePartition = role?.partition ?? req.partition;
  const facts = declaredFacts(req, input.timeoutMs);
  if (input.endpoint) facts.add(observed('endpoint', input.endpoint, 'sts', 'endpoint called'));

  // Who called: GetCallerIdentity, else the ARN AWS names in an AccessDenied message.
  const assumeFailure = input.assume && !input.assume.ok ? input.assume.failure : null;
  const fromIdentity = input.caller?.ok === true;
  const callerArn = fromIdentity
    ? (input.caller as { value: { arn: string } }).value.arn
    : assumeFailure?.error.accessDenied?.callerArn;
  const caller = callerArn ? principalArnFromCaller(callerArn) : null;
  const callerParsed = callerArn ? parseArn(callerArn) : null;
  const [call, field] = fromIdentity ? ['sts:GetCallerIdentity', 'Arn'] : ['sts:AssumeRole', 'error message'];
  if (callerArn) facts.add(observed('callerArn', callerArn, call, field));
  if (callerParsed) {
    facts.add(observed('callerAccountId', callerParsed.accountId, call, fromIdentity ? 'Account' : field));
    facts.add(observed('callerPartition', callerParsed.partition, call, field));
  }
  if (caller) facts.add(inferred('principalArn', caller.principalArn, ['callerArn']));
  const suggestion = callerArn ? suggestTrustSettings(callerArn) : null;
  if (suggestion) {
    facts.add(inferred('suggestedTrustedAccountId', suggestion.trustedAccountId, ['callerArn']));
    facts.add(inferred('suggestedIamPrincipal', suggestion.iamPrincipal, ['callerArn']));
  }

  // The picture of the entered settings; once the role was assumed, a guess explains nothing.
  const declaredTrust = caller ? declaredPicture(req, caller, rolePartition) : null;
  let trust: TrustPicture | null =
    declaredTrust && !(declaredTrust.assumed && input.assume?.ok)
      ? { policy: declaredTrust.policy, evaluation: declaredTrust.evaluation, basis: 'declared' }
      : null;
  if (declaredTrust && trust) {
    facts.add(
      inferred(
        'expectedPrincipalArn',
        `arn:${rolePartition}:iam::${declaredTrust.trustedAccountId}:${declaredTrust.iamPrincipal}`,
        ['trustedAccountId', 'iamPrincipal'],
      ),
    );
    if (declaredTrust.assumed) {
      facts.add(
        inferred(
          'trustSettingsAssumed',
          `Not entered: AccountId ${declaredTrust.trustedAccountId} (the caller’s account) and IAMPrincipal ${declaredTrust.iamPrincipal} (the template’s default) were assumed.`,
          ['callerAccountId'],
        ),
      );
    }
  }

  const evidence = input.roleEvidence ?? null;
  if (evidence) for (const f of evidenceFacts(evidence)) facts.add(f);

  let findings: DiagnosisCode[] = [];
  const done = (
    code: DiagnosisCode,
    opts: { failure?: CallFailure | null; confidence?: Confidence; candidates?: Candidate[] } = {},
  ): Diagnosis => {
    const failure = opts.failure ?? null;
    if (failure) for (const f of failureFacts(failure)) facts.add(f);
    findings = [code, ...findings.filter((f) => f !== code && f !== 'OK')].filter((f) => f !== 'OK');
    return {
      code,
      severity: severityOf(code),
      confidence: opts.confidence ?? 'confirmed',
      candidates: opts.candidates ?? [],
      facts: facts.toArray(),
      findings,
      trust,
      awsError: failure?.error.awsError ?? null,
      caller,
    };
  };

  // 1. The source itself: no credentials, bad key/secret, expired token, skew, network.
  if (!input.source.ok) return done(input.source.failure.error.code, { failure: input.source.failure });
  if (input.caller && !input.caller.ok) {
    const { code } = input.caller.failure.error;
    for (const f of enteredKeyFacts(code, input.accessKeyId)) facts.add(f);
    return done(code, { failure: input.caller.failure });
  }

  // 2. Certain before calling AssumeRole: a role session cannot chain into a session longer than 1 h.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining
  const chainingCap = caller?.kind === 'role' && req.durationSeconds > TEMPLATE_MAX_SESSION_SECONDS;
  if (chainingCap && (input.assume === null || assumeFailure)) {
    facts.add(
      inferred(
        'roleChaining',
        `The caller is a role session: AWS caps the session it assumes at ${TEMPLATE_MAX_SESSION_SECONDS} seconds.`,
        ['callerArn', 'durationSeconds'],
      ),
    );
    facts.add(inferred('maxSessionDuration', String(TEMPLATE_MAX_SESSION_SECONDS), ['callerArn']));
    return done('DURATION_EXCEEDS_MAX', { failure: assumeFailure });
  }

  const roleAccountContradicted =
    req.accountId !== undefined && role !== null && req.accountId !== role.accountId;
  if (roleAccountContradicted) {
    facts.add(
      inferred(
        'roleAccountContradiction',
        `You are connecting account ${req.accountId}, but the role ARN is in account ${role?.accountId}.`,
        ['accountId', 'roleArn'],
      ),
    );
  }

  if (assumeFailure) {
    const { error } = assumeFailure;
    if (error.code === 'DURATION_EXCEEDS_MAX' && !facts.has('roleMaxSessionDuration'))
      facts.add(inferred('maxSessionDuration', String(TEMPLATE_MAX_SESSION_SECONDS), ['roleArn']));
    // classify.ts decided every AccessDenied AWS explains (identity policy, explicit deny); only
    // the bare one, which AWS does not explain, is decided here.
    if (error.accessDenied?.variant !== 'not-authorized') {
      if (error.accessDenied?.variant === 'explicit-deny')
        facts.add(
          observed(
            'policyType',
            error.accessDenied.policyType ?? 'policy',
            'sts:AssumeRole',
            'error message',
          ),
        );
      return done(error.code, { failure: assumeFailure });
    }
    if (callerParsed && callerParsed.partition !== rolePartition)
      return done('PARTITION_MISMATCH', { failure: assumeFailure });
    if (evidence) {
      const verdict = evidenceVerdict(evidence, req, caller, rolePartition, facts);
      if (verdict.trust) trust = verdict.trust;
      findings = verdict.findings;
      return done(verdict.code, {
        failure: assumeFailure,
        confidence: verdict.confidence,
      });
    }
    const candidates = candidatesFor(req, role, caller, callerParsed?.accountId, facts);
    return done(candidates[0]?.code ?? 'UNKNOWN', {
      failure: assumeFailure,
      confidence: 'suspected',
      candidates,
    });
  }

  if (!input.assume) return done('UNKNOWN');

  // 3. Assumed.
  if (!input.assume.ok) return done('UNKNOWN');
  facts.add(observed('assumedRoleArn', input.assume.value.arn, 'sts:AssumeRole', 'AssumedRoleUser.Arn'));
  if (evidence?.found && caller) {
    const v = trustVerdict(evidence.trustPolicy, caller, req.externalId, rolePartition);
    trust = { policy: evidence.trustPolicy, evaluation: v.evaluation, basis: 'role-evidence' };
    facts.add(inferred('trustVerdict', v.because, ['roleTrustedPrincipals', 'callerArn', 'externalId']));
    facts.add(templateDrift(evidence, rolePartition));
  }
  // The user connects the wrong account if the role lives elsewhere.
  if (roleAccountContradicted) return done('ROLE_ACCOUNT_MISMATCH');

  const warnings: DiagnosisCode[] = [];
  if (input.enforcement?.ok) {
    const enforced = input.enforcement.value.enforced;
    facts.add(
      observed(
        'externalIdEnforced',
        enforced
          ? 'Refused: the role requires the External ID.'
          : 'Allowed: the role does not require the External ID.',
        'sts:AssumeRole (without External ID)',
        'result',
      ),
    );
    if (!enforced) warnings.push('EXTERNAL_ID_NOT_ENFORCED');
  }
  if (input.audit?.ok) {
    if (input.audit.value.maxSessionDuration !== null) {
      facts.add(
        observed(
          'maxSessionDuration',
          String(input.audit.value.maxSessionDuration),
          'iam:GetRole',
          'Role.MaxSessionDuration',
        ),
      );
    }
    if (input.audit.value.missing.length > 0) {
      facts.add(
        observed(
          'missingPolicies',
          input.audit.value.missing.join(', '),
          'iam:ListAttachedRolePolicies, iam:GetRolePolicy',
          'AttachedPolicies, PolicyDocument',
        ),
      );
      warnings.push('PERMISSIONS_INCOMPLETE');
    }
  }
  findings = warnings;
  // The confused deputy is a security hole; missing permissions only narrow the scan.
  if (warnings[0]) return done(warnings[0]);
  // An audit that could not complete is not "OK" (docs/design.md#diagnosis-codes: OK = assumed, audit complete).
  if (input.audit && !input.audit.ok)
    return done(input.audit.failure.error.code, { failure: input.audit.failure });
  if (!input.audit) return done('UNKNOWN');
  return done('OK');
}

function candidatesFor(
  req: Request,
  role: ReturnType<typeof parseRoleArn>,
  caller: CallerPrincipal | null,
  callerAccount: string | undefined,
  facts: FactList,
): Candidate[] {
  const partition = role?.partition ?? req.partition;
  const admitsAccount =
    req.trustedAccountId !== undefined && callerAccount !== undefined
      ? req.trustedAccountId === callerAccount
      : null;
  const admitsPrincipal =
    caller && callerAccount ? principalAdmits(req, caller, callerAccount, partition) : null;
  if (admitsAccount === false) {
    facts.add(
      inferred(
        'accountContradiction',
        `You entered AccountId ${req.trustedAccountId}, but AWS says the caller is in ${callerAccount}: a role deployed with your settings refuses it.`,
        ['trustedAccountId', 'callerAccountId'],
      ),
    );
  }
  if (admitsPrincipal === false && caller) {
    const entered = req.iamPrincipal ?? `${DEFAULT_IAM_PRINCIPAL} (the template’s default)`;
    facts.add(
      inferred(
        'principalContradiction',
        `IAMPrincipal ${entered} does not admit the caller AWS named, ${caller.principalArn}: a role deployed with it refuses it.`,
        ['iamPrincipal', 'principalArn'],
      ),
    );
  }
  return rankCandidates({
    roleName: role?.name ?? 'ProwlerScan',
    roleAccountId: role?.accountId ?? '?',
    caller: caller && callerAccount ? { ...caller, accountId: callerAccount } : null,
    trustedAccountId: req.trustedAccountId,
    iamPrincipal: req.iamPrincipal,
    accountId: req.accountId,
    externalId: req.externalId,
    declaredAdmitsAccount: admitsAccount,
    declaredAdmitsPrincipal: admitsPrincipal,
  });
}

/** The confirmed cause from the role's real state, for a bare AccessDenied. */
function evidenceVerdict(
  evidence: RoleEvidence,
  req: Request,
  caller: CallerPrincipal | null,
  rolePartition: string,
  facts: FactList,
): { code: DiagnosisCode; confidence: Confidence; findings: DiagnosisCode[]; trust: TrustPicture | null } {
  if (!evidence.found) return { code: 'ROLE_NOT_FOUND', confidence: 'confirmed', findings: [], trust: null };
  if (evidence.arn !== req.roleArn) {
    facts.add(
      inferred(
        'trustVerdict',
        `The role ${evidence.name} exists as ${evidence.arn}: the ARN entered (${req.roleArn}) names no role.`,
        ['evidenceRoleArn', 'roleArn'],
      ),
    );
    return { code: 'ROLE_NOT_FOUND', confidence: 'confirmed', findings: [], trust: null };
  }
  const drift = templateDrift(evidence, rolePartition);
  if (drift) facts.add(drift);
  if (!caller) return { code: 'UNKNOWN', confidence: 'suspected', findings: [], trust: null };
  const v = trustVerdict(evidence.trustPolicy, caller, req.externalId, rolePartition);
  const trust: TrustPicture = {
    policy: evidence.trustPolicy,
    evaluation: v.evaluation,
    basis: 'role-evidence',
  };
  if (v.admitted) {
    facts.add(
      inferred(
        'trustVerdict',
        'The role’s trust policy admits the caller with this External ID, yet AWS refused. If the role changed in the last minute, IAM may still apply the old policy: verify again.',
        ['roleTrustedPrincipals', 'callerArn', 'externalId'],
      ),
    );
    return { code: 'UNKNOWN', confidence: 'suspected', findings: [], trust };
  }
  facts.add(inferred('trustVerdict', v.because, ['roleTrustedPrincipals', 'callerArn', 'externalId']));
  if (v.causes[0] === 'EXPLICIT_DENY')
    facts.add(inferred('policyType', 'role trust policy', ['roleTrustedPrincipals']));
  const code = v.causes[0] ?? 'UNKNOWN';
  return { code, confidence: 'confirmed', findings: v.causes, trust };
}
