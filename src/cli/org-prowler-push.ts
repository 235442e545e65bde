import type { Writable } from 'node:stream';
import {
  type BulkPushAccount,
  type BulkPushSummary,
  PROWLER_BULK_DEFAULT_CONCURRENCY,
} from '../domain/org-prowler-push.ts';
import type { ProwlerSettings } from '../server/config.ts';
import { pushRun, pushTargetsOf } from '../server/org/prowler-push-run.ts';
import type { RunRecord } from '../server/org/runs.ts';
import { ProwlerClient } from '../server/prowler/client.ts';

// `aws-connect org verify --push-to-prowler`: after the run, its connected accounts into Prowler
// App through the same bulk push as POST /api/org/runs/:runId/prowler-push (docs/decisions/049).
// On a terminal a summary; piped, each push event as one JSON line {"prowler": event}, apart from
// the run's own events; --json, each account's Prowler result in its entry.

export interface PushedRun {
  summary: Omit<BulkPushSummary, 'type'>;
  byAccount: Map<string, BulkPushAccount>;
}

/** An account's Prowler result in the --json summary; null: not pushed (it did not connect). */
export function prowlerEntry(event: BulkPushAccount | undefined) {
  if (!event) return null;
  const { push } = event;
  if (!push.pushed) {
    const { stage, kind, message, status, retryable } = push.failure;
    return { pushed: false, failure: { stage, kind, message, status, retryable } };
  }
  const d = push.prowler.diagnosis;
  return {
    pushed: true,
    providerId: push.providerId,
    connected: push.prowler.connected,
    error: push.prowler.error,
    diagnosis: d ? { code: d.code, confidence: d.confidence, fix: d.fix } : null,
    agreement: event.comparison?.agreement ?? 'none',
  };
}

function summaryText(s: PushedRun['summary'], baseUrl: string): string {
  const lines = [
    `Prowler App (${baseUrl}): ${s.pushed} of ${s.total} connected accounts pushed${s.cancelled ? ' (cancelled)' : ''}, ${s.prowlerConnected} connected by Prowler's own test.`,
  ];
  if (s.prowlerFailed.length) {
    lines.push(`Prowler's test failed (${s.prowlerFailed.length}):`);
    for (const f of s.prowlerFailed) lines.push(`  ${f.accountId}  ${f.code}`);
  }
  if (s.pushFailed.length) {
    lines.push(`Prowler's API did not take the push (${s.pushFailed.length}):`);
    for (const f of s.pushFailed)
      lines.push(`  ${f.accountId}  ${f.kind}${f.retryable ? ' (run again to retry)' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function pushConnected(
  run: RunRecord,
  settings: ProwlerSettings,
  mode: 'json' | 'tty' | 'lines',
  io: { stdout: Writable },
  signal: AbortSignal,
): Promise<PushedRun> {
  const client = new ProwlerClient(settings);
  const { targets, skipped } = pushTargetsOf(run);
  const byAccount = new Map<string, BulkPushAccount>();
  if (mode === 'tty') {
    io.stdout.write(
      `\nPushing ${targets.length} connected accounts to Prowler App, ${PROWLER_BULK_DEFAULT_CONCURRENCY} at once (${skipped} not connected: not pushed).\n`,
    );
  }
  const { type: _, ...summary } = await pushRun(
    targets,
    skipped,
    {
      runId: run.runId,
      externalId: run.settings.externalId,
      concurrency: PROWLER_BULK_DEFAULT_CONCURRENCY,
      push: { client },
      signal,
    },
    (event) => {
      if (event.type === 'account') byAccount.set(event.accountId, event);
      if (mode === 'lines' && !signal.aborted) io.stdout.write(`${JSON.stringify({ prowler: event })}\n`);
    },
  );
  if (mode === 'tty') io.stdout.write(summaryText(summary, client.baseUrl));
  return { summary, byAccount };
}
