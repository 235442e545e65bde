import { cx } from '../../components/ui/styles.ts';
import type { ConnectionStatus } from '../../domain/connection-inputs.ts';

// A status as a word and a shape, never colour alone (WCAG 1.4.1).

const LOOK: Record<ConnectionStatus, { label: string; mark: string; tone: string }> = {
  ok: { label: 'OK', mark: '✓', tone: 'bg-green-100 text-green-950 dark:bg-green-950 dark:text-green-100' },
  warning: {
    label: 'Warning',
    mark: '!',
    tone: 'bg-amber-100 text-amber-950 dark:bg-amber-950 dark:text-amber-100',
  },
  broken: { label: 'Broken', mark: '✕', tone: 'bg-red-100 text-red-950 dark:bg-red-950 dark:text-red-100' },
  unknown: {
    label: 'Unknown',
    mark: '?',
    tone: 'bg-slate-200 text-slate-950 dark:bg-slate-800 dark:text-slate-100',
  },
};

export function StatusBadge({ status }: { status: ConnectionStatus }) {
  const look = LOOK[status];
  return (
    <span
      className={cx(
        'inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold',
        look.tone,
      )}
    >
      <span aria-hidden="true">{look.mark}</span>
      {look.label}
    </span>
  );
}

export const STATUS_LABEL = (status: ConnectionStatus) => LOOK[status].label;
