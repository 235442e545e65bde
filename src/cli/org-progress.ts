import type { AccountEvent, StartEvent, SummaryEvent } from '../domain/org-contract.ts';

// What `aws-connect org verify` shows on a terminal: one progress line, redrawn in place, then a
// summary. (Not a terminal: the events themselves, one JSON line each; --json: one summary object.)

export interface Progress {
  total: number;
  done: number;
  ok: number;
  connected: number;
  startedAt: number;
}

export function newProgress(start: StartEvent, now: number): Progress {
  return { total: start.total, done: 0, ok: 0, connected: 0, startedAt: now };
}

export function advance(p: Progress, e: AccountEvent): void {
  p.done++;
  if (e.ok) p.ok++;
  if (e.connected) p.connected++;
}

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** `[########------------]  120/1003  OK 100  not OK 20  14.2/s  ETA 1m02s`, at most `width` wide. */
export function progressLine(p: Progress, now: number, width = 80): string {
  const elapsed = now - p.startedAt;
  const rate = elapsed > 0 ? (p.done * 1000) / elapsed : 0;
  const eta = rate > 0 && p.done < p.total ? `  ETA ${duration(((p.total - p.done) / rate) * 1000)}` : '';
  const counts = `${p.done}/${p.total}  OK ${p.ok}  not OK ${p.done - p.ok}  ${rate.toFixed(1)}/s${eta}`;
  const barWidth = Math.max(10, Math.min(30, width - counts.length - 4));
  const filled = p.total === 0 ? barWidth : Math.round((p.done / p.total) * barWidth);
  return `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]  ${counts}`.slice(0, width);
}

/** The summary a person reads: counts by outcome, then every account that is not OK. */
export function summaryText(
  summary: SummaryEvent,
  accounts: readonly AccountEvent[],
  title: (e: AccountEvent) => string,
): string {
  const lines = [
    `${summary.completed} of ${summary.total} accounts verified${summary.cancelled ? ' (cancelled)' : ''} in ${duration(summary.durationMs)}: ${summary.ok} OK, ${summary.connected} connected.`,
    '',
    'By outcome:',
    ...Object.entries(summary.byCode)
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .map(([code, n]) => `  ${String(n).padStart(6)}  ${code}`),
  ];
  const notOk = accounts
    .filter((e) => !e.ok)
    .sort((a, b) => a.code.localeCompare(b.code) || a.accountId.localeCompare(b.accountId));
  if (notOk.length > 0) {
    lines.push('', `Not OK (${notOk.length}):`);
    for (const e of notOk)
      lines.push(`  ${e.accountId}  ${e.code.padEnd(26)} ${title(e)}${e.alias ? `  (${e.alias})` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
