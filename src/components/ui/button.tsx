import type { ButtonHTMLAttributes } from 'react';
import { cx, FOCUS_RING } from './styles.ts';

const VARIANTS = {
  primary:
    'bg-blue-700 text-white hover:bg-blue-800 disabled:bg-slate-400 disabled:text-slate-900 dark:bg-blue-300 dark:text-slate-950 dark:hover:bg-blue-200 dark:disabled:bg-slate-600 dark:disabled:text-slate-100',
  secondary:
    'border border-slate-500 bg-white text-slate-900 hover:bg-slate-100 disabled:text-slate-500 dark:border-slate-400 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800 dark:disabled:text-slate-400',
  ghost: 'text-blue-800 underline-offset-2 hover:underline dark:text-blue-300',
} as const;

export type ButtonVariant = keyof typeof VARIANTS;

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  /** Shows a busy state and keeps the button focusable but inert (aria-disabled). */
  busy?: boolean;
}

export function Button({
  variant = 'primary',
  busy = false,
  className,
  type = 'button',
  children,
  onClick,
  ...rest
}: ButtonProps) {
  return (
    <button
      type={type}
      aria-busy={busy || undefined}
      aria-disabled={busy || undefined}
      onClick={busy ? (e) => e.preventDefault() : onClick}
      className={cx(
        'inline-flex min-h-10 items-center justify-center gap-2 rounded-md px-4 py-2 text-sm font-semibold disabled:cursor-not-allowed aria-busy:cursor-progress',
        VARIANTS[variant],
        FOCUS_RING,
        className,
      )}
      {...rest}
    >
      {busy ? (
        <span
          aria-hidden="true"
          className="size-4 animate-spin rounded-full border-2 border-current border-r-transparent"
        />
      ) : null}
      {children}
    </button>
  );
}
