import { CHECK_IDS, type Check } from '../../../domain/diagnosis-contract.ts';
import type { RunPhase } from './use-verify-run.ts';

// What each check does, shown until the stream delivers the check (`checks`: the running
// attempt's checks so far, or the last report's).
const PENDING_TITLES: Record<Check['id'], string> = {
  'source-identity': 'Source credentials (sts:GetCallerIdentity)',
  'assume-role': 'Assume the role with the External ID (sts:AssumeRole)',
  'external-id-enforced': 'External ID enforced (AssumeRole without it must fail)',
  'permission-audit': 'Permissions: SecurityAudit, ViewOnlyAccess and the additions policy',
};

// "Not started" is a hollow ring, not a "·" that nearly vanished on the dark background; every
// mark is a glyph beside words, never colour alone (WCAG 1.4.1).
const STATUS: Record<
  Check['status'] | 'running' | 'queued' | 'waiting',
  { text: string; mark: string; tone: string }
> = {
  pass: { text: 'Passed', mark: '✓', tone: 'text-green-800 dark:text-green-300' },
  fail: { text: 'Failed', mark: '✗', tone: 'text-red-700 dark:text-red-300' },
  warn: { text: 'Warning', mark: '!', tone: 'text-amber-800 dark:text-amber-300' },
  skipped: { text: 'Skipped', mark: '–', tone: 'text-slate-700 dark:text-slate-300' },
  running: { text: 'Checking', mark: '', tone: 'text-blue-800 dark:text-blue-300' },
  queued: { text: 'Not started', mark: '○', tone: 'text-slate-700 dark:text-slate-300' },
  waiting: { text: 'Waiting', mark: '…', tone: 'text-blue-800 dark:text-blue-300' },
};

export function CheckProgress({
  phase,
  checks,
  wait = false,
}: {
  phase: RunPhase;
  checks: readonly Check[] | null;
  /** "Wait for deployment": the attempts run until the role answers. */
  wait?: boolean;
}) {
  return (
    <ol aria-label="Checks" className="space-y-2">
      {CHECK_IDS.map((id) => {
        const check = checks?.find((c) => c.id === id);
        // While waiting for a new role a refusal is expected, not a failure: no red row, no AWS text.
        const waiting = check?.status === 'fail' && (phase === 'waiting' || (phase === 'running' && wait));
        const status = waiting
          ? STATUS.waiting
          : check
            ? STATUS[check.status]
            : phase === 'running'
              ? STATUS.running
              : STATUS.queued;
        return (
          <li
            key={id}
            className="flex flex-col gap-1 rounded-md bg-white p-3 ring-1 ring-slate-200 sm:flex-row sm:items-start sm:gap-3 dark:bg-slate-900 dark:ring-slate-700"
            data-check={id}
          >
            {/* One fixed-width column for mark and status, so every title starts at the same x. */}
            <span className={`flex w-32 shrink-0 items-center gap-2 text-sm font-semibold ${status.tone}`}>
              <span aria-hidden="true" className="flex size-6 shrink-0 items-center justify-center text-base">
                {status.mark || (
                  <span className="size-4 animate-spin rounded-full border-2 border-current border-r-transparent" />
                )}
              </span>
              {status.text}
            </span>
            <span className="min-w-0 flex-1">
              <span className="font-medium">{check?.title ?? PENDING_TITLES[id]}</span>
              {check?.detail && !waiting ? (
                <span className="block break-words text-sm text-slate-700 dark:text-slate-300">
                  {check.detail}
                </span>
              ) : null}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
