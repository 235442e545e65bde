import { type ConnectionService, reverify } from '../connections/service.ts';
import { claimDue, releaseLeases } from '../store/connections.ts';

// Scheduled re-verification of every monitored (SDK-default) connection (issue 13). Each replica
// runs `concurrency` workers; a worker claims one due connection at a time (store/connections.ts
// claimDue: FOR UPDATE SKIP LOCKED on PostgreSQL, plus a lease), verifies it, records the result
// and its next check. Throttling pauses every worker of this replica, doubling up to a cap.
// docs/decisions/030-replicas-share-the-schedule.md

export interface MonitorLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface MonitorOptions {
  svc: ConnectionService;
  concurrency: number;
  /** How long a claimed connection stays with this replica if it dies before recording it. */
  leaseMs: number;
  /** How often an idle replica looks for due connections. */
  pollMs: number;
  log: MonitorLog;
  /** First pause after a THROTTLED answer (doubles while throttling lasts, up to maxBackoffMs). */
  backoffMs?: number;
  maxBackoffMs?: number;
}

export interface PassSummary {
  checked: number;
  byStatus: Record<string, number>;
  transitions: number;
  failed: number;
}

/** The lease and poll period for an interval: a dead replica's rows are retaken well within one interval. */
export function scheduleTimes(intervalMs: number): { leaseMs: number; pollMs: number } {
  return {
    leaseMs: Math.max(1000, Math.min(intervalMs / 2, 10 * 60_000)),
    pollMs: Math.max(200, Math.min(intervalMs / 5, 30_000)),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Monitor {
  private stopped = true;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private pausedUntil = 0;
  private backoff = 0;

  constructor(private readonly opts: MonitorOptions) {}

  /** Checks every connection due now, with bounded concurrency; resolves when none is left. */
  async runPass(): Promise<PassSummary> {
    const summary: PassSummary = { checked: 0, byStatus: {}, transitions: 0, failed: 0 };
    const worker = async () => {
      for (;;) {
        if (this.stopped && this.loop) return;
        const pause = this.pausedUntil - Date.now();
        if (pause > 0) await sleep(pause);
        const now = Date.now();
        const [row] = await claimDue(this.opts.svc.store.db, {
          now,
          limit: 1,
          leaseMs: this.opts.leaseMs,
          runner: this.opts.svc.runner,
          kind: this.opts.svc.store.kind,
        });
        if (!row) return;
        try {
          const before = row.status;
          const done = await reverify(this.opts.svc, row, { trigger: 'monitor' });
          if (!done) continue;
          summary.checked++;
          summary.byStatus[done.row.status] = (summary.byStatus[done.row.status] ?? 0) + 1;
          if (done.row.status !== before) summary.transitions++;
          this.throttled(done.report.diagnosis.code === 'THROTTLED');
        } catch (err) {
          // The lease runs out and another pass retries it; one bad row must not stop the others.
          summary.failed++;
          this.opts.log.error(
            { connection: row.id, errType: (err as Error).name, errMessage: (err as Error).message },
            'monitor check failed',
          );
        }
      }
    };
    await Promise.all(Array.from({ length: this.opts.concurrency }, worker));
    return summary;
  }

  private throttled(yes: boolean): void {
    if (!yes) {
      this.backoff = 0;
      return;
    }
    const base = this.opts.backoffMs ?? 1000;
    this.backoff = Math.min(this.backoff ? this.backoff * 2 : base, this.opts.maxBackoffMs ?? 5 * 60_000);
    this.pausedUntil = Date.now() + this.backoff;
    this.opts.log.warn({ pauseMs: this.backoff }, 'AWS throttled a check: the monitor pauses');
  }

  /** Runs passes until stop(): after each, waits the poll period (with ±25 % jitter). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = (async () => {
      while (!this.stopped) {
        try {
          const s = await this.runPass();
          if (s.checked > 0) this.opts.log.info(s, 'monitor pass finished');
        } catch (err) {
          this.opts.log.error(
            { errType: (err as Error).name, errMessage: (err as Error).message },
            'monitor pass failed',
          );
        }
        if (this.stopped) break;
        const wait = this.opts.pollMs * (0.75 + Math.random() / 2);
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, wait).unref();
        });
      }
    })();
  }

  /** Stops claiming, lets the checks under way finish, and gives back any lease still held. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.wake?.();
    await this.loop;
    this.loop = null;
    await releaseLeases(this.opts.svc.store.db, this.opts.svc.runner);
  }
}
