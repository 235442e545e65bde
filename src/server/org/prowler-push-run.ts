import type { BulkPushAccount, BulkPushEvent, BulkPushSummary } from '../../domain/org-prowler-push.ts';
import type { OurVerdict } from '../../domain/prowler-api.ts';
import { prowlerAliasSchema } from '../../domain/prowler-push-request.ts';
import { compareVerdicts } from '../../domain/prowler-verdict.ts';
import { type PushOptions, pushToProwler } from '../prowler/push.ts';
import type { RunRecord } from './runs.ts';

// An organization run's connected accounts into Prowler App (issue 16): each through the one
// pushToProwler, at most `concurrency` at once, one event per account in finishing order, then a
// summary by outcome. The accounts that did not connect are not pushed (docs/decisions/049). A
// cancelled push starts no further account; those under way finish their calls (a push is
// idempotent, so pushing the run again completes it).

export interface BulkPushTarget {
  accountId: string;
  alias?: string;
  roleArn: string;
  ours: OurVerdict | null;
}

/** What a run's record says to push: its connected accounts, in the run's order. */
export function pushTargetsOf(run: RunRecord): { targets: BulkPushTarget[]; skipped: number } {
  const targets: BulkPushTarget[] = [];
  for (const account of run.accounts) {
    const verdict = run.connected.get(account.accountId);
    if (!verdict) continue;
    targets.push({
      accountId: account.accountId,
      ...(account.alias ? { alias: account.alias } : {}),
      roleArn: account.roleArn,
      ours: {
        code: verdict.code,
        connected: true,
        sourceKind: run.settings.sourceKind,
        ...(verdict.callerArn ? { callerArn: verdict.callerArn } : {}),
        roleArn: account.roleArn,
        externalId: run.settings.externalId,
        ...(verdict.finishedAt ? { finishedAt: verdict.finishedAt } : {}),
      },
    });
  }
  return { targets, skipped: run.accounts.length - targets.length };
}

export interface BulkPushOptions {
  runId: string;
  externalId: string;
  concurrency: number;
  push: PushOptions;
  signal: AbortSignal;
  /** Resolves when the reader can take more events (stream backpressure). */
  ready?: () => Promise<void>;
}

export async function pushRun(
  targets: readonly BulkPushTarget[],
  skipped: number,
  opts: BulkPushOptions,
  emit: (event: BulkPushEvent) => void,
): Promise<BulkPushSummary> {
  const { runId } = opts;
  const concurrency = Math.max(1, Math.min(opts.concurrency, targets.length || 1));
  emit({ type: 'start', runId, total: targets.length, skipped, concurrency });
  const summary: BulkPushSummary = {
    type: 'summary',
    runId,
    total: targets.length,
    completed: 0,
    pushed: 0,
    prowlerConnected: 0,
    prowlerFailed: [],
    pushFailed: [],
    cancelled: false,
  };
  let next = 0;
  const one = async (target: BulkPushTarget): Promise<BulkPushAccount> => {
    // Organizations' account names may be 1-50 characters; Prowler's alias is 3-100: a name it
    // would refuse is left out rather than failing the push.
    const alias =
      target.alias && prowlerAliasSchema.safeParse(target.alias).success ? target.alias : undefined;
    const push = await pushToProwler(
      {
        roleArn: target.roleArn,
        externalId: opts.externalId,
        accountId: target.accountId,
        ...(alias ? { alias } : {}),
      },
      opts.push,
    );
    return {
      type: 'account',
      runId,
      index: 0,
      accountId: target.accountId,
      ...(target.alias ? { alias: target.alias } : {}),
      roleArn: target.roleArn,
      push,
      comparison: push.pushed
        ? compareVerdicts(target.ours, push.prowler, {
            roleArn: target.roleArn,
            externalId: opts.externalId,
            accountId: push.providerUid,
          })
        : null,
    };
  };
  const worker = async () => {
    while (!opts.signal.aborted && next < targets.length) {
      const target = targets[next++] as BulkPushTarget;
      const event = await one(target);
      summary.completed++;
      event.index = summary.completed;
      if (event.push.pushed) {
        summary.pushed++;
        if (event.push.prowler.connected) summary.prowlerConnected++;
        else
          summary.prowlerFailed.push({
            accountId: target.accountId,
            code: event.push.prowler.diagnosis?.code ?? 'UNKNOWN',
          });
      } else {
        summary.pushFailed.push({
          accountId: target.accountId,
          kind: event.push.failure.kind,
          retryable: event.push.failure.retryable,
        });
      }
      emit(event);
      await opts.ready?.();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  summary.cancelled = opts.signal.aborted && summary.completed < targets.length;
  emit(summary);
  return summary;
}
