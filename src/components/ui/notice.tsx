import type { ReactNode } from 'react';
import { cx } from './styles.ts';

const TONES = {
  info: 'border-blue-700 bg-blue-50 text-slate-900 dark:border-blue-300 dark:bg-slate-900 dark:text-slate-100',
  warning:
    'border-amber-700 bg-amber-50 text-slate-900 dark:border-amber-300 dark:bg-slate-900 dark:text-slate-100',
  success:
    'border-green-700 bg-green-50 text-slate-900 dark:border-green-300 dark:bg-slate-900 dark:text-slate-100',
  error: 'border-red-700 bg-red-50 text-slate-900 dark:border-red-300 dark:bg-slate-900 dark:text-slate-100',
} as const;

export interface NoticeProps {
  tone?: keyof typeof TONES;
  title?: ReactNode;
  children?: ReactNode;
  /** role="status" for messages that appear after an action, so screen readers hear them. */
  live?: boolean;
  /** The outcome of an action, which a reload does not bring back (TRANSIENT_ATTRIBUTE, src/domain/drawn-step.ts). */
  transient?: boolean;
  className?: string;
}

export function Notice({
  tone = 'info',
  title,
  children,
  live = false,
  transient = false,
  className,
}: NoticeProps) {
  return (
    <div
      role={live ? 'status' : undefined}
      data-transient={transient || undefined}
      className={cx('rounded-md border-l-4 p-3 text-sm', TONES[tone], className)}
    >
      {title ? <p className="font-semibold">{title}</p> : null}
      {children ? <div className={title ? 'mt-1 space-y-1' : 'space-y-1'}>{children}</div> : null}
    </div>
  );
}
