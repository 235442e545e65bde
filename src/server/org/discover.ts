import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import {
  type Account,
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { parseRoleArn } from '../../domain/arn.ts';
import type { Classified } from '../../domain/diagnosis/classify.ts';
import type {
  DiscoveredAccount,
  DiscoverRequest,
  Discovery,
  DiscoveryFailure,
  OrganizationalUnit,
} from '../../domain/org-contract.ts';
import { type CallPolicy, callAws, Limiter } from '../verify/aws-call.ts';
import { regionFor, stsClient } from '../verify/aws-clients.ts';
import { scrubSecrets } from '../verify/scrub.ts';
import { resolveSource } from '../verify/source.ts';
import { type VerifyContext, verifyConnection } from '../verify/verify.ts';

// Discovery (issue 14): assume the management-account or delegated-administrator role with the
// server's source credentials and the External ID, as a verification does, then read the
// organization with that session: DescribeOrganization, ListRoots, and for every parent
// ListOrganizationalUnitsForParent and ListAccountsForParent, page by page. Only ACTIVE accounts
// can be assumed into; the others are listed apart.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccountsForParent.html
// The role needs organizations:Describe*/List*, which SecurityAudit grants.

export const DISCOVERY_SESSION_NAME = 'aws-connect-discovery';
/** Organizations answers at most 20 items a page for these calls. */
const PAGE_SIZE = 20;
/** Organizations calls in flight at once: it throttles low (TooManyRequestsException). */
const ORGANIZATIONS_CONCURRENCY = 4;

export type DiscoveryResult = { ok: true; discovery: Discovery } | { ok: false; failure: DiscoveryFailure };

function organizationsClient(ctx: VerifyContext, region: string, credentials: AwsCredentialIdentity) {
  // Its own small pool: Organizations is one global endpoint, and destroying this client at the
  // end must not close the pools the verifications share.
  const handler = new NodeHttpHandler({
    connectionTimeout: ctx.timeoutMs,
    requestTimeout: ctx.timeoutMs,
    throwOnRequestTimeout: true,
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets: ORGANIZATIONS_CONCURRENCY }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: ORGANIZATIONS_CONCURRENCY }),
  });
  return new OrganizationsClient({
    region,
    credentials,
    maxAttempts: 1,
    requestHandler: handler,
    ...(ctx.endpoints.organizations ? { endpoint: ctx.endpoints.organizations } : {}),
  });
}

function organizationsFailure(call: string, error: Classified, attempts: number): DiscoveryFailure {
  const { awsError } = error;
  const base = { awsError, report: null };
  if (awsError.code === 'AWSOrganizationsNotInUseException') {
    return {
      ...base,
      code: 'NOT_IN_ORGANIZATION',
      message: `Organizations answered ${call} with AWSOrganizationsNotInUseException: the role's account is not in an organization. Assume a role in the management account, or give the accounts as a CSV.`,
    };
  }
  if (awsError.code === 'AccessDeniedException' || awsError.code === 'AccessDenied') {
    return {
      ...base,
      code: 'ORGANIZATIONS_ACCESS_DENIED',
      message: `Organizations refused ${call}. Either the role's account is neither the management account nor a delegated administrator, or the role's policies do not allow ${call}; AWS does not say which.`,
    };
  }
  if (error.throttled) {
    return {
      ...base,
      code: 'THROTTLED',
      message: `Organizations kept answering ${call} with ${awsError.code} (${attempts} attempts).`,
    };
  }
  if (error.code === 'STS_UNREACHABLE' || error.code === 'STS_TIMEOUT') {
    return {
      ...base,
      code: 'UNREACHABLE',
      message: `Organizations did not answer ${call}: ${awsError.message}`,
    };
  }
  return {
    ...base,
    code: 'UNKNOWN',
    message: `Organizations answered ${call} with ${awsError.code}: ${awsError.message}`,
  };
}

class DiscoveryError extends Error {
  constructor(readonly failure: DiscoveryFailure) {
    super(failure.message);
  }
}

/** Assumes the role, then reads the whole organization. Never throws for an AWS answer. */
export async function discoverOrganization(
  request: DiscoverRequest,
  ctx: VerifyContext,
): Promise<DiscoveryResult> {
  const role = parseRoleArn(request.roleArn);
  if (!role) throw new TypeError('roleArn was not validated');
  const region = regionFor({ partition: role.partition, configured: ctx.region });
  const secrets: string[] =
    request.source.kind === 'access-keys'
      ? [request.source.secretAccessKey, request.source.sessionToken ?? '']
      : [];
  const policy: CallPolicy = {
    timeoutMs: ctx.timeoutMs,
    maxAttempts: Math.max(ctx.maxAttempts ?? 3, 5),
    baseDelayMs: ctx.baseDelayMs ?? 100,
    limiter: new Limiter(ORGANIZATIONS_CONCURRENCY),
    timings: [],
    endpoint: () => undefined,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };

  // The role could not be assumed: the verification of that same role says why, with its guidance.
  const explain = async (): Promise<DiscoveryResult> => {
    const report = await verifyConnection(
      {
        source: request.source,
        roleArn: request.roleArn,
        externalId: request.externalId,
        sessionName: DISCOVERY_SESSION_NAME,
        ...(request.trustedAccountId ? { trustedAccountId: request.trustedAccountId } : {}),
        ...(request.iamPrincipal ? { iamPrincipal: request.iamPrincipal } : {}),
      },
      ctx,
    );
    return {
      ok: false,
      failure: {
        code: 'ROLE_NOT_ASSUMED',
        message: `The role ${request.roleArn} could not be assumed (${report.diagnosis.code}): discovery needs a session in the management account or a delegated administrator.`,
        awsError: report.awsError,
        report,
      },
    };
  };

  const source = await resolveSource(request.source, ctx.defaultCredentials, ctx.timeoutMs);
  if (!source.ok) return explain();
  secrets.push(source.value.secretAccessKey, source.value.sessionToken ?? '');
  const sts = stsClient({
    region,
    endpoints: ctx.endpoints,
    timeoutMs: ctx.timeoutMs,
    agents: ctx.agents,
    credentials: source.value,
  });
  const assumed = await callAws('sts:AssumeRole', policy, (abortSignal) =>
    sts.send(
      new AssumeRoleCommand({
        RoleArn: request.roleArn,
        RoleSessionName: DISCOVERY_SESSION_NAME,
        ExternalId: request.externalId,
        DurationSeconds: 900,
      }),
      { abortSignal },
    ),
  );
  if (!assumed.ok) return explain();
  const c = assumed.value.Credentials;
  const credentials = {
    accessKeyId: c?.AccessKeyId ?? '',
    secretAccessKey: c?.SecretAccessKey ?? '',
    sessionToken: c?.SessionToken ?? '',
  };
  secrets.push(credentials.secretAccessKey, credentials.sessionToken);

  const client = organizationsClient(ctx, region, credentials);
  let calls = 0;
  const call = async <T>(name: string, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> => {
    calls++;
    const outcome = await callAws(`organizations:${name}`, policy, send);
    if (!outcome.ok)
      throw new DiscoveryError(
        organizationsFailure(`organizations:${name}`, outcome.failure.error, outcome.failure.attempts),
      );
    return outcome.value;
  };
  const pages = async <T>(
    name: string,
    page: (
      token: string | undefined,
      abortSignal: AbortSignal,
    ) => Promise<{ items: T[]; next: string | undefined }>,
  ): Promise<T[]> => {
    const out: T[] = [];
    let token: string | undefined;
    do {
      const { items, next } = await call(name, (signal) => page(token, signal));
      out.push(...items);
      token = next;
    } while (token);
    return out;
  };

  try {
    const { Organization: org } = await call('DescribeOrganization', (abortSignal) =>
      client.send(new DescribeOrganizationCommand({}), { abortSignal }),
    );
    const roots = await pages('ListRoots', async (NextToken, abortSignal) => {
      const r = await client.send(new ListRootsCommand({ NextToken, MaxResults: PAGE_SIZE }), {
        abortSignal,
      });
      return { items: r.Roots ?? [], next: r.NextToken };
    });
    const units: OrganizationalUnit[] = roots.map((r) => ({
      id: r.Id ?? '',
      name: r.Name ?? 'Root',
      kind: 'root',
      parentId: null,
    }));
    const accounts: DiscoveredAccount[] = [];
    const inactiveAccounts: DiscoveredAccount[] = [];
    // Level by level; within a level every parent at once (the limiter bounds the calls).
    let level = units.map((u) => u.id);
    const seen = new Set(level);
    while (level.length > 0) {
      const found = await Promise.all(
        level.map(async (parentId) => {
          const [ous, members] = await Promise.all([
            pages('ListOrganizationalUnitsForParent', async (NextToken, abortSignal) => {
              const r = await client.send(
                new ListOrganizationalUnitsForParentCommand({
                  ParentId: parentId,
                  NextToken,
                  MaxResults: PAGE_SIZE,
                }),
                { abortSignal },
              );
              return { items: r.OrganizationalUnits ?? [], next: r.NextToken };
            }),
            pages('ListAccountsForParent', async (NextToken, abortSignal) => {
              const r = await client.send(
                new ListAccountsForParentCommand({ ParentId: parentId, NextToken, MaxResults: PAGE_SIZE }),
                { abortSignal },
              );
              return { items: r.Accounts ?? [], next: r.NextToken };
            }),
          ]);
          return { parentId, ous, members };
        }),
      );
      const next: string[] = [];
      for (const { parentId, ous, members } of found) {
        for (const a of members) {
          const account = toAccount(a, parentId);
          (account.state === 'ACTIVE' ? accounts : inactiveAccounts).push(account);
        }
        for (const ou of ous) {
          const id = ou.Id ?? '';
          if (!id || seen.has(id)) continue;
          seen.add(id);
          units.push({ id, name: ou.Name ?? id, kind: 'ou', parentId });
          next.push(id);
        }
      }
      level = next;
    }
    const discovery: Discovery = {
      organization: {
        id: org?.Id ?? '',
        managementAccountId: org?.MasterAccountId ?? '',
        featureSet: org?.FeatureSet ?? '',
      },
      callerAccountId: role.accountId,
      delegatedAdministrator: role.accountId !== org?.MasterAccountId,
      units,
      accounts,
      inactiveAccounts,
      calls,
    };
    return { ok: true, discovery: scrubSecrets(discovery, secrets) };
  } catch (e) {
    if (e instanceof DiscoveryError) return { ok: false, failure: scrubSecrets(e.failure, secrets) };
    throw e;
  } finally {
    client.destroy();
  }
}

function toAccount(a: Account, parentId: string): DiscoveredAccount {
  // State replaces the deprecated Status (Organizations API, 2025); older endpoints send Status only.
  return { accountId: a.Id ?? '', name: a.Name ?? '', state: a.State ?? a.Status ?? 'UNKNOWN', parentId };
}
