import type { VerifyReport } from '../../domain/diagnosis-contract.ts';
import type { AccountEvent, PlannedAccount, SummaryEvent } from '../../domain/org-contract.ts';
import type { AccountResult, ResultStore } from './result-store.ts';
import type { TokenBucket } from './token-bucket.ts';

// Bulk verification (issue 14): every planned account verified by the one verify service, at most
// `concurrency` at once, each after taking its STS calls from the caller's token bucket, each
// within a per-account timeout, throttled ones verified again after a backoff. One event per
// account, exactly once, in the order they finish; then the summary. A cancelled run starts no
// further verification and sends nothing more for those in flight (the signal reaches every call).

/**
 * STS calls one verification makes with the caller's credentials: GetCallerIdentity, AssumeRole,
 * and AssumeRole without the External ID (the enforcement probe, sent with AssumeRole in the first
 * round, so a role that was not assumed costs as much). The IAM
 * audit reads run with the assumed session, so they count against each member account's own
 * IAM rate, not the caller's.
 */
export const STS_CALLS_PER_VERIFICATION = 3;

export interface BulkOptions {
  runId: string;
  concurrency: number;
  accountTimeoutMs: number;
  /** Verifications of one account while the result is THROTTLED (the verify service retries each call too). */
  maxAttempts: number;
  /** Backoff base between those, in ms (full jitter, doubling). */
  throttleBackoffMs: number;
  bucket: TokenBucket;
  /** Where each verified account is saved; null keeps nothing (the CLI without --save). */
  store: ResultStore | null;
  /** What the store keeps with each result: the account's request without keys, and the run's owner. */
  saving: { request: (account: PlannedAccount) => AccountResult['request']; owner: string | null };
  signal: AbortSignal;
  verify: (account: PlannedAccount, signal: AbortSignal) => Promise<VerifyReport>;
  /** Resolves when the reader can take more events (stream backpressure). */
  ready?: () => Promise<void>;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

interface Outcome {
  report: VerifyReport | null;
  attempts: number;
  timedOut: boolean;
  /** The last verification's duration. */
  durationMs: number;
}

/** One account, to the end: null when the run was cancelled before it finished. */
async function verifyAccount(account: PlannedAccount, opts: BulkOptions): Promise<Outcome | null> {
  let attempts = 0;
  for (;;) {
    if (!(await opts.bucket.take(STS_CALLS_PER_VERIFICATION, opts.signal))) return null;
    attempts++;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), opts.accountTimeoutMs);
    const started = performance.now();
    const report = await opts
      .verify(account, AbortSignal.any([opts.signal, deadline.signal]))
      .finally(() => clearTimeout(timer));
    const durationMs = performance.now() - started;
    if (opts.signal.aborted) return null;
    // What a verification cut short by its deadline reports is not what AWS said: not kept.
    if (deadline.signal.aborted) return { report: null, attempts, timedOut: true, durationMs };
    if (report.diagnosis.code !== 'THROTTLED' || attempts >= opts.maxAttempts)
      return { report, attempts, timedOut: false, durationMs };
    const backoff = Math.random() * opts.throttleBackoffMs * 2 ** (attempts - 1);
    opts.bucket.pause(backoff);
    await sleep(backoff, opts.signal);
  }
}

export async function runBulk(
  accounts: readonly PlannedAccount[],
  opts: BulkOptions,
  emit: (event: AccountEvent) => void,
): Promise<SummaryEvent> {
  const started = performance.now();
  const byCode: Record<string, number> = {};
  const failed: string[] = [];
  let next = 0;
  let completed = 0;
  let ok = 0;
  let connected = 0;

  const worker = async () => {
    while (!opts.signal.aborted && next < accounts.length) {
      await opts.ready?.();
      if (opts.signal.aborted) return;
      const account = accounts[next++] as PlannedAccount;
      const outcome = await verifyAccount(account, opts);
      if (!outcome) return;
      const { report, attempts, timedOut, durationMs } = outcome;
      const connectionId =
        report && opts.store
          ? await opts.store
              .saveResult({
                account,
                request: opts.saving.request(account),
                report,
                durationMs,
                owner: opts.saving.owner,
              })
              .then(
                (r) => r.connectionId,
                () => null,
              )
          : null;
      const code = report?.diagnosis.code ?? 'STS_TIMEOUT';
      byCode[code] = (byCode[code] ?? 0) + 1;
      if (report?.ok) ok++;
      else failed.push(account.accountId);
      if (report?.connected) connected++;
      emit({
        type: 'account',
        runId: opts.runId,
        index: ++completed,
        accountId: account.accountId,
        ...(account.alias ? { alias: account.alias } : {}),
        roleArn: account.roleArn,
        ok: report?.ok ?? false,
        connected: report?.connected ?? false,
        code,
        attempts,
        timedOut,
        saved: connectionId !== null,
        ...(connectionId ? { connectionId } : {}),
        report,
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, accounts.length) }, worker));
  return {
    type: 'summary',
    runId: opts.runId,
    total: accounts.length,
    completed,
    ok,
    connected,
    byCode,
    failed,
    cancelled: opts.signal.aborted,
    durationMs: Math.round(performance.now() - started),
  };
}
