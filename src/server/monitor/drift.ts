import {
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { parseRoleArn } from '../../domain/arn.ts';
import type { DriftReport } from '../../domain/connection-contract.ts';
import type { VerifyReport } from '../../domain/diagnosis-contract.ts';
import { detectDrift, type ObservedRole } from '../../domain/drift.ts';
import type { VerifyRequest } from '../../domain/verify-request.ts';
import { type CallPolicy, callAws, Limiter } from '../verify/aws-call.ts';
import { iamClient, stsClient } from '../verify/aws-clients.ts';
import { resolveSource } from '../verify/source.ts';
import type { VerifyContext } from '../verify/verify.ts';

// Reads the role's real state with the role's own (assumed) credentials and compares it with the
// template (domain/drift.ts). SecurityAudit grants the role iam:Get* and iam:List* on itself,
// which covers GetRole, ListAttachedRolePolicies, ListRolePolicies, GetRolePolicy and ListRoleTags.
// https://docs.aws.amazon.com/aws-managed-policy/latest/reference/SecurityAudit.html
// It runs only after a verification assumed the role; the credentials live in this call only.

const DRIFT_SESSION_NAME = 'aws-connect-drift';

function decodePolicy(text: string | undefined): unknown {
  if (!text) return null;
  let decoded = text;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    // not URL-encoded
  }
  try {
    return JSON.parse(decoded);
  } catch {
    return decoded;
  }
}

export function driftChecker(ctx: Omit<VerifyContext, 'requestId'>) {
  return async (request: VerifyRequest, report: VerifyReport): Promise<DriftReport | null> => {
    const role = parseRoleArn(request.roleArn);
    if (!role) return null;
    const policy: CallPolicy = {
      timeoutMs: ctx.timeoutMs,
      maxAttempts: ctx.maxAttempts ?? 3,
      baseDelayMs: ctx.baseDelayMs ?? 100,
      limiter: new Limiter(ctx.maxConcurrentCalls ?? 4),
      timings: [],
      endpoint: () => undefined,
    };
    const source = await resolveSource(request.source, ctx.defaultCredentials, ctx.timeoutMs);
    if (!source.ok) return null;
    const options = {
      region: report.request.region,
      endpoints: ctx.endpoints,
      timeoutMs: ctx.timeoutMs,
      agents: ctx.agents,
    };
    const sts = stsClient({ ...options, credentials: source.value });
    const assumed = await callAws('sts:AssumeRole', policy, (abortSignal) =>
      sts.send(
        new AssumeRoleCommand({
          RoleArn: request.roleArn,
          RoleSessionName: DRIFT_SESSION_NAME,
          DurationSeconds: 900,
          ExternalId: request.externalId,
        }),
        { abortSignal },
      ),
    );
    const c = assumed.ok ? assumed.value.Credentials : undefined;
    if (!c?.AccessKeyId || !c.SecretAccessKey) return null;
    const iam = iamClient({
      ...options,
      credentials: {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken ?? '',
      },
    });
    const RoleName = role.name;
    const [got, attached, names, tags] = await Promise.all([
      callAws('iam:GetRole', policy, (s) => iam.send(new GetRoleCommand({ RoleName }), { abortSignal: s })),
      callAws('iam:ListAttachedRolePolicies', policy, (s) =>
        iam.send(new ListAttachedRolePoliciesCommand({ RoleName, MaxItems: 1000 }), { abortSignal: s }),
      ),
      callAws('iam:ListRolePolicies', policy, (s) =>
        iam.send(new ListRolePoliciesCommand({ RoleName, MaxItems: 1000 }), { abortSignal: s }),
      ),
      callAws('iam:ListRoleTags', policy, (s) =>
        iam.send(new ListRoleTagsCommand({ RoleName, MaxItems: 1000 }), { abortSignal: s }),
      ),
    ]);
    let inlinePolicies: ObservedRole['inlinePolicies'] = null;
    if (names.ok) {
      const docs = await Promise.all(
        (names.value.PolicyNames ?? []).map((PolicyName) =>
          callAws('iam:GetRolePolicy', policy, (s) =>
            iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }), { abortSignal: s }),
          ),
        ),
      );
      if (docs.every((d) => d.ok)) {
        inlinePolicies = docs.map((d) => ({
          name: d.ok ? (d.value.PolicyName ?? '') : '',
          document: d.ok ? decodePolicy(d.value.PolicyDocument) : null,
        }));
      }
    }
    const observed: ObservedRole = {
      roleName: RoleName,
      trustPolicy: got.ok ? decodePolicy(got.value.Role?.AssumeRolePolicyDocument) : null,
      managedPolicyArns: attached.ok
        ? (attached.value.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? '').filter(Boolean)
        : null,
      inlinePolicies,
      maxSessionDuration: got.ok ? (got.value.Role?.MaxSessionDuration ?? null) : null,
      tags: tags.ok ? (tags.value.Tags ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' })) : null,
    };
    return detectDrift(
      {
        partition: role.partition,
        region: report.request.region,
        externalId: request.externalId,
        trustedAccountId: request.trustedAccountId,
        iamPrincipal: request.iamPrincipal,
      },
      observed,
      new Date().toISOString(),
    );
  };
}
