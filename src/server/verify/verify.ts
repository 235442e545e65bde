import { randomUUID } from 'node:crypto';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { parseRoleArn } from '../../domain/arn.ts';
import { CATALOGUE } from '../../domain/diagnosis/catalogue.ts';
import {
  type DiagnoseInput,
  type Diagnosis,
  diagnose,
  type Outcome,
} from '../../domain/diagnosis/diagnose.ts';
import type { GuidanceEnv } from '../../domain/diagnosis/guidance.ts';
import { guidanceForReport } from '../../domain/diagnosis/report-guidance.ts';
import type { Check, VerifyReport } from '../../domain/diagnosis-contract.ts';
import type { VerifyRequest } from '../../domain/verify-request.ts';
import type { AwsEndpoints } from '../config.ts';
import { type AuditResult, auditRole } from './audit.ts';
import { type CallPolicy, callAws, Limiter } from './aws-call.ts';
import { type AwsAgents, iamClient, regionFor, stsClient } from './aws-clients.ts';
import { buildChecks } from './checks.ts';
import { type VerifyEmit, VerifyProgress } from './progress.ts';
import { scrubSecrets } from './scrub.ts';
import { maskAccessKeyId, resolveSource } from './source.ts';

// The verification (docs/design.md#the-journey, step 5; issues 5 and 15): GetCallerIdentity,
// AssumeRole and the External-ID enforcement probe in parallel (they need only the source), then,
// as soon as AssumeRole answers, the audit with the assumed credentials: the verdict after one
// round trip, the report after two. Every outcome becomes evidence for diagnose(); the report never carries a secret.

export const DEFAULT_SESSION_NAME = 'aws-connect-verify';
export const DEFAULT_DURATION_SECONDS = 3600;
/** AWS calls of one verification in flight at once (issue 8: one user cannot flood STS). */
export const MAX_CONCURRENT_CALLS = 4;

export interface VerifyContext {
  /** The configured region (AWS_REGION); the role's partition may override it. */
  region: string;
  timeoutMs: number;
  endpoints: AwsEndpoints;
  /** The server's (or shell's) default credential chain, for the sdk-default source. */
  defaultCredentials: AwsCredentialIdentityProvider;
  agents: AwsAgents;
  /** Who reads the report's guidance: the wizard of this server, or the CLI. */
  guidance: GuidanceEnv;
  requestId?: string;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxConcurrentCalls?: number;
  /** Aborted: the verification sends nothing more (bulk runs: cancel and the per-account timeout). */
  signal?: AbortSignal;
}

function normalize(request: VerifyRequest, ctx: VerifyContext): VerifyReport['request'] {
  const role = parseRoleArn(request.roleArn);
  if (!role) throw new TypeError('roleArn was not validated');
  const partition = request.partition ?? role.partition;
  return {
    sourceKind: request.source.kind,
    ...(request.source.kind === 'access-keys'
      ? { accessKeyId: maskAccessKeyId(request.source.accessKeyId) }
      : {}),
    roleArn: request.roleArn,
    externalId: request.externalId,
    sessionName: request.sessionName ?? DEFAULT_SESSION_NAME,
    durationSeconds: request.durationSeconds ?? DEFAULT_DURATION_SECONDS,
    ...(request.trustedAccountId ? { trustedAccountId: request.trustedAccountId } : {}),
    ...(request.iamPrincipal ? { iamPrincipal: request.iamPrincipal } : {}),
    ...(request.accountId ? { accountId: request.accountId } : {}),
    ...(request.stackName ? { stackName: request.stackName } : {}),
    region: regionFor({ requested: request.region, partition, configured: ctx.region }),
    partition,
  };
}

/**
 * One verification. With `emit`, its progress too (the streamed answer, the CLI on a terminal):
 * each check as it finishes, the verdict when the first round ends, then the report it returns.
 */
export async function verifyConnection(
  request: VerifyRequest,
  ctx: VerifyContext,
  emit?: VerifyEmit,
): Promise<VerifyReport> {
  const req = normalize(request, ctx);
  const role = parseRoleArn(req.roleArn)!;
  let lastEndpoint: string | undefined;
  const timings: VerifyReport['timings'] = [];
  const policy: CallPolicy = {
    timeoutMs: ctx.timeoutMs,
    maxAttempts: ctx.maxAttempts ?? 3,
    baseDelayMs: ctx.baseDelayMs ?? 100,
    limiter: new Limiter(ctx.maxConcurrentCalls ?? MAX_CONCURRENT_CALLS),
    timings,
    endpoint: () => lastEndpoint,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
  const clientOptions = (credentials: AwsCredentialIdentity) => ({
    region: req.region,
    endpoints: ctx.endpoints,
    timeoutMs: ctx.timeoutMs,
    agents: ctx.agents,
    credentials,
    onEndpoint: (e: string) => {
      lastEndpoint = e;
    },
  });

  const evidence: DiagnoseInput = {
    request: req,
    timeoutMs: ctx.timeoutMs,
    source: { ok: true, value: null },
    caller: null,
    assume: null,
    audit: null,
    enforcement: null,
    roleEvidence: request.roleEvidence ?? null,
    ...(request.source.kind === 'access-keys' ? { accessKeyId: request.source.accessKeyId } : {}),
  };
  const secrets: string[] = [];
  if (request.source.kind === 'access-keys') {
    secrets.push(request.source.secretAccessKey, request.source.sessionToken ?? '');
  }
  let assumedInfo: VerifyReport['assumed'] = null;
  let auditResult: AuditResult | null = null;
  const progress = new VerifyProgress(emit, evidence, secrets, () => ({
    assumed: assumedInfo,
    audit: auditResult,
  }));

  const source = await resolveSource(request.source, ctx.defaultCredentials, ctx.timeoutMs);
  if (!source.ok) {
    evidence.source = source;
  } else {
    const creds = source.value;
    secrets.push(creds.secretAccessKey, creds.sessionToken ?? '');
    const sts = stsClient(clientOptions(creds));
    const getCaller = () =>
      callAws('sts:GetCallerIdentity', policy, (abortSignal) =>
        sts.send(new GetCallerIdentityCommand({}), { abortSignal }),
      );
    const assume = (withExternalId: boolean) =>
      callAws(
        withExternalId ? 'sts:AssumeRole' : 'sts:AssumeRole (without External ID)',
        policy,
        (abortSignal) =>
          sts.send(
            new AssumeRoleCommand({
              RoleArn: req.roleArn,
              RoleSessionName: req.sessionName,
              // The probe asks for the shortest session AWS allows: it is only evidence.
              DurationSeconds: withExternalId ? req.durationSeconds : 900,
              ...(withExternalId ? { ExternalId: req.externalId } : {}),
            }),
            { abortSignal },
          ),
      );

    // Above 1 h a role session cannot chain (certain before calling): ask who we are first.
    const chainingRisk = req.durationSeconds > 3600;
    const callerOutcome = chainingRisk ? await getCaller() : null;
    const callerIsRoleSession =
      callerOutcome?.ok === true && /:assumed-role\//.test(callerOutcome.value.Arn ?? '');
    const skipAssume = callerOutcome !== null && (!callerOutcome.ok || callerIsRoleSession);
    // First round: everything that needs only the source, the External-ID probe included (an
    // AssumeRole without it); only the audit waits for the assumed credentials.
    const callerP = (callerOutcome ? Promise.resolve(callerOutcome) : getCaller()).then((caller) => {
      evidence.caller = caller.ok
        ? {
            ok: true,
            value: {
              arn: caller.value.Arn ?? '',
              account: caller.value.Account ?? '',
              userId: caller.value.UserId ?? '',
            },
          }
        : caller;
      progress.check('source-identity');
    });
    const assumeP = skipAssume
      ? null
      : assume(true).then((assumed) => {
          if (!assumed.ok) {
            evidence.assume = assumed;
            progress.check('assume-role');
            return null;
          }
          evidence.assume = { ok: true, value: { arn: assumed.value.AssumedRoleUser?.Arn ?? '' } };
          const c = assumed.value.Credentials;
          const assumedCreds: AwsCredentialIdentity = {
            accessKeyId: c?.AccessKeyId ?? '',
            secretAccessKey: c?.SecretAccessKey ?? '',
            sessionToken: c?.SessionToken ?? '',
          };
          secrets.push(assumedCreds.secretAccessKey, assumedCreds.sessionToken ?? '');
          assumedInfo = {
            arn: assumed.value.AssumedRoleUser?.Arn ?? '',
            assumedRoleId: assumed.value.AssumedRoleUser?.AssumedRoleId ?? '',
            expiration: c?.Expiration ? new Date(c.Expiration).toISOString() : '',
            accessKeyId: maskAccessKeyId(assumedCreds.accessKeyId),
          };
          progress.check('assume-role');
          return assumedCreds;
        });
    const probeP = skipAssume ? null : assume(false);
    // The probe's answer means something only for a role that was assumed (otherwise the
    // enforcement check says "not checked", as before the probe moved to the first round).
    const enforcementP =
      assumeP &&
      probeP &&
      Promise.all([assumeP, probeP]).then(([assumedCreds, probe]) => {
        if (assumedCreds) evidence.enforcement = probeOutcome(probe);
        progress.check('external-id-enforced');
      });
    const auditP = assumeP?.then(async (assumedCreds) => {
      if (!assumedCreds) return;
      const iam = iamClient(clientOptions(assumedCreds));
      const audit = await auditRole(iam, role.name, role.partition, policy);
      if (audit.ok) {
        auditResult = audit.value;
        evidence.audit = {
          ok: true,
          value: { missing: audit.value.missing, maxSessionDuration: audit.value.audit.maxSessionDuration },
        };
      } else {
        evidence.audit = audit;
      }
      progress.check('permission-audit');
    });
    // The verdict needs GetCallerIdentity and AssumeRole only; the probe's answer is a check of its own.
    await Promise.all([callerP, assumeP]);
    if (evidence.assume?.ok) progress.connected();
    await Promise.all([enforcementP, auditP]);
  }
  if (lastEndpoint) evidence.endpoint = lastEndpoint;

  const diagnosis = diagnose(evidence);
  const report = toReport(req, evidence, diagnosis, {
    assumed: assumedInfo,
    audit: auditResult,
    timings,
    requestId: ctx.requestId ?? randomUUID(),
  });
  report.guidance = guidanceForReport(report, ctx.guidance);
  report.findingsGuidance = report.findings
    .filter((code) => code !== report.diagnosis.code)
    .map((code) => guidanceForReport(report, ctx.guidance, code));
  const scrubbed = scrubSecrets(report, secrets);
  progress.finish(scrubbed);
  return scrubbed;
}

/** AccessDenied without the External ID is the answer we want; success is the warning. */
function probeOutcome(probe: Outcome<unknown>): DiagnoseInput['enforcement'] {
  if (probe.ok) return { ok: true, value: { enforced: false } };
  if (probe.failure.error.accessDenied) return { ok: true, value: { enforced: true } };
  return probe;
}

function toReport(
  req: VerifyReport['request'],
  evidence: DiagnoseInput,
  diagnosis: Diagnosis,
  extra: {
    assumed: VerifyReport['assumed'];
    audit: AuditResult | null;
    timings: VerifyReport['timings'];
    requestId: string;
  },
): VerifyReport {
  const callerArn = evidence.caller?.ok ? evidence.caller.value.arn : null;
  const checks: Check[] = buildChecks(evidence, diagnosis, extra.assumed, extra.audit);
  return {
    ok: diagnosis.code === 'OK',
    connected: evidence.assume?.ok === true,
    diagnosis: {
      code: diagnosis.code,
      severity: diagnosis.severity,
      confidence: diagnosis.confidence,
      candidates: diagnosis.candidates,
      facts: diagnosis.facts,
      traits: {
        worthWaiting: CATALOGUE[diagnosis.code].worthWaiting,
        fixedByRedeploy: CATALOGUE[diagnosis.code].fixedByRedeploy,
        trustSide: CATALOGUE[diagnosis.code].trustSide,
      },
    },
    // Rendered once the report exists (verifyConnection): the builder reads the report.
    guidance: {
      code: diagnosis.code,
      severity: diagnosis.severity,
      confidence: diagnosis.confidence,
      title: '',
      what: '',
      why: [],
      steps: [],
      shows: [],
    },
    findingsGuidance: [],
    findings: diagnosis.findings,
    checks,
    caller:
      callerArn && evidence.caller?.ok && diagnosis.caller
        ? {
            arn: callerArn,
            account: evidence.caller.value.account,
            userId: evidence.caller.value.userId ?? '',
            principalArn: diagnosis.caller.principalArn,
            pathUnknown: diagnosis.caller.pathUnknown,
          }
        : null,
    assumed: extra.assumed,
    audit: extra.audit?.audit ?? null,
    trust: diagnosis.trust,
    request: req,
    timings: extra.timings,
    awsError: diagnosis.awsError,
    requestId: extra.requestId,
    finishedAt: new Date().toISOString(),
  };
}
