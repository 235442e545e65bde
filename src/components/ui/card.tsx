import type { HTMLAttributes } from 'react';
import { cx } from './styles.ts';

export function Card({ className, ...rest }: HTMLAttributes<HTMLDivElement>) {
  return (
    <div
      className={cx(
        'rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-300 sm:p-6 dark:bg-slate-900 dark:ring-slate-700',
        className,
      )}
      {...rest}
    />
  );
}
