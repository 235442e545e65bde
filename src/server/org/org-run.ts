import { randomUUID } from 'node:crypto';
import { parseRoleArn } from '../../domain/arn.ts';
import type { CredentialSource } from '../../domain/inputs.ts';
import {
  DEFAULT_ORG_ROLE_NAME,
  type OrgEvent,
  type OrgVerifyRequest,
  type PlannedAccount,
  type SummaryEvent,
} from '../../domain/org-contract.ts';
import type { AccountTarget, Selection } from '../../domain/org-inputs.ts';
import { selectAccounts, unknownSelectionIds } from '../../domain/org-tree.ts';
import type { VerifyRequest } from '../../domain/verify-request.ts';
import type { OrgSettings } from '../config.ts';
import { ApiError } from '../errors.ts';
import { confusedDeputyGuard } from '../routes/verify.ts';
import { type VerifyContext, verifyConnection } from '../verify/verify.ts';
import { runBulk } from './bulk.ts';
import { discoverOrganization } from './discover.ts';
import type { ResultStore } from './result-store.ts';
import type { RunRegistry, RunSettings } from './runs.ts';
import type { BucketRegistry } from './token-bucket.ts';

// One organization run, as POST /api/org/verify and `aws-connect org verify` make it: plan it
// (validate what needs no AWS: a retryOf that exists, the External ID the server accepts), then
// discover if asked, announce the accounts, verify them in bulk, and summarise. Every step is an
// event in org-contract.ts.

export const BULK_SESSION_NAME = 'aws-connect-org-verify';

export interface OrgRunDeps {
  verify: Omit<VerifyContext, 'requestId' | 'signal'>;
  settings: OrgSettings;
  buckets: BucketRegistry;
  runs: RunRegistry;
  /** Saves each verified account as a connection; null keeps nothing (the CLI without --save). */
  store: ResultStore | null;
  /** The External ID issued to the caller (the installation's, or the hosted session's): with the sdk-default source only it is accepted. The CLI has none. */
  issuedExternalId?: string;
  /** Verifications of an account still THROTTLED (3), and the backoff base between them (1 s). */
  throttle?: { maxAttempts?: number; backoffMs?: number };
}

export interface RunPlan {
  runId: string;
  /** Hosted flavour: the browser session that started the run, owner of its connections; else null. */
  owner: string | null;
  retryOf?: string;
  source: CredentialSource;
  settings: RunSettings;
  concurrency: number;
  targets:
    | { kind: 'organization'; roleArn: string; selection: Selection }
    | { kind: 'accounts'; accounts: PlannedAccount[] };
}

export function roleArnFor(
  settings: Pick<RunSettings, 'partition' | 'roleName'>,
  target: AccountTarget,
): string {
  return `arn:${settings.partition}:iam::${target.accountId}:role/${target.roleName ?? settings.roleName}`;
}

function planned(settings: RunSettings, targets: readonly AccountTarget[]): PlannedAccount[] {
  return targets.map((t) => ({
    accountId: t.accountId,
    ...(t.alias ? { alias: t.alias } : {}),
    roleArn: roleArnFor(settings, t),
    ...(t.parentId ? { parentId: t.parentId } : {}),
  }));
}

const sdkDefault: CredentialSource = { kind: 'sdk-default' };

/** Everything that can be refused before any AWS call; throws ApiError (400, 404). */
export function planRun(request: OrgVerifyRequest, deps: OrgRunDeps, owner: string | null = null): RunPlan {
  const runId = randomUUID();
  const concurrency = request.concurrency ?? deps.settings.concurrency;
  if (request.retryOf) {
    const run = deps.runs.get(request.retryOf);
    // Another session's run is no run of this one: its retry would save into this session.
    if (!run || run.owner !== owner)
      throw new ApiError(404, 'RUN_NOT_FOUND', 'No such run here: runs are kept for a day, 50 at most.');
    if (run.settings.sourceKind === 'access-keys' && request.source?.kind !== 'access-keys') {
      throw new ApiError(400, 'INVALID_INPUT', 'Some fields need attention.', [
        { path: 'source', message: 'That run used access keys, which are never kept: send them again.' },
      ]);
    }
    const source = request.source ?? sdkDefault;
    const settings: RunSettings = {
      ...run.settings,
      sourceKind: source.kind,
      ...(source.kind === 'access-keys' ? { accessKeyId: source.accessKeyId } : {}),
    };
    return {
      runId,
      owner,
      retryOf: run.runId,
      source,
      settings,
      concurrency,
      targets: { kind: 'accounts', accounts: deps.runs.notOk(run) },
    };
  }
  const targets = request.targets;
  const externalId = request.externalId;
  if (!targets || !externalId) throw new TypeError('the request was not validated');
  const source = request.source ?? sdkDefault;
  if (deps.issuedExternalId) confusedDeputyGuard({ source, externalId }, deps.issuedExternalId);
  const partition =
    targets.kind === 'organization' ? (parseRoleArn(targets.roleArn)?.partition ?? 'aws') : targets.partition;
  const settings: RunSettings = {
    sourceKind: source.kind,
    ...(source.kind === 'access-keys' ? { accessKeyId: source.accessKeyId } : {}),
    externalId,
    roleName: request.roleName ?? DEFAULT_ORG_ROLE_NAME,
    partition,
    ...(request.trustedAccountId ? { trustedAccountId: request.trustedAccountId } : {}),
    ...(request.iamPrincipal ? { iamPrincipal: request.iamPrincipal } : {}),
  };
  return {
    runId,
    owner,
    source,
    settings,
    concurrency,
    targets:
      targets.kind === 'organization'
        ? { kind: 'organization', roleArn: targets.roleArn, selection: targets.selection ?? {} }
        : { kind: 'accounts', accounts: planned(settings, targets.accounts) },
  };
}

const trustOf = (s: RunSettings) => ({
  ...(s.trustedAccountId ? { trustedAccountId: s.trustedAccountId } : {}),
  ...(s.iamPrincipal ? { iamPrincipal: s.iamPrincipal } : {}),
});

/**
 * Runs the plan, emitting start, one account event per account, then summary; or one failed
 * event when discovery fails. Resolves with the summary (null after a failed event).
 */
export async function executeRun(
  plan: RunPlan,
  deps: OrgRunDeps,
  emit: (event: OrgEvent) => void,
  signal: AbortSignal,
  ready?: () => Promise<void>,
): Promise<SummaryEvent | null> {
  const { runId, source, settings } = plan;
  let accounts: PlannedAccount[];
  let discovered: { organizationId: string; managementAccountId: string; calls: number } | undefined;
  if (plan.targets.kind === 'organization') {
    const result = await discoverOrganization(
      { source, roleArn: plan.targets.roleArn, externalId: settings.externalId, ...trustOf(settings) },
      { ...deps.verify, signal },
    );
    if (signal.aborted) return null;
    if (!result.ok) {
      emit({ type: 'failed', runId, failure: result.failure });
      return null;
    }
    const unknown = unknownSelectionIds(result.discovery, plan.targets.selection);
    if (unknown.length > 0) {
      emit({
        type: 'failed',
        runId,
        failure: {
          code: 'SELECTION_NOT_FOUND',
          message: `Not in organization ${result.discovery.organization.id}: ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ` and ${unknown.length - 10} more` : ''}.`,
          awsError: null,
          report: null,
        },
      });
      return null;
    }
    accounts = planned(settings, selectAccounts(result.discovery, plan.targets.selection));
    discovered = {
      organizationId: result.discovery.organization.id,
      managementAccountId: result.discovery.organization.managementAccountId,
      calls: result.discovery.calls,
    };
  } else {
    accounts = plan.targets.accounts;
  }

  const run = deps.runs.add({ runId, owner: plan.owner, settings, accounts });
  const bucket = deps.buckets.for(
    source.kind === 'access-keys' ? `access-key:${source.accessKeyId}` : 'sdk-default',
  );
  emit({
    type: 'start',
    runId,
    ...(plan.retryOf ? { retryOf: plan.retryOf } : {}),
    total: accounts.length,
    concurrency: plan.concurrency,
    stsRatePerSecond: bucket.ratePerSecond,
    ...(discovered ? { discovery: discovered } : {}),
    accounts,
  });
  const request = (account: PlannedAccount): VerifyRequest => ({
    source,
    roleArn: account.roleArn,
    externalId: settings.externalId,
    accountId: account.accountId,
    sessionName: BULK_SESSION_NAME,
    ...trustOf(settings),
  });
  const summary = await runBulk(
    accounts,
    {
      runId,
      concurrency: plan.concurrency,
      accountTimeoutMs: deps.settings.accountTimeoutMs,
      maxAttempts: deps.throttle?.maxAttempts ?? 3,
      throttleBackoffMs: deps.throttle?.backoffMs ?? 1000,
      bucket,
      store: deps.store,
      saving: {
        // The keys stay in memory for this run only: what is saved knows the source's kind.
        request: (account) => ({ ...request(account), source: { kind: source.kind } }),
        owner: plan.owner,
      },
      signal,
      verify: (account, accountSignal) =>
        verifyConnection(request(account), {
          ...deps.verify,
          signal: accountSignal,
          requestId: `${runId}/${account.accountId}`,
        }),
      ...(ready ? { ready } : {}),
    },
    (event) => {
      if (event.ok) run.ok.add(event.accountId);
      emit(event);
    },
  );
  emit(summary);
  return summary;
}
