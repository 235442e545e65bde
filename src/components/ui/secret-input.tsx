import { type InputHTMLAttributes, type Ref, useState } from 'react';
import { cx, FOCUS_RING, INPUT } from './styles.ts';

export interface SecretInputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> {
  /** What the toggle reveals, for its accessible name: "Show <label>". */
  revealLabel: string;
  ref?: Ref<HTMLInputElement>;
}

/**
 * A masked input with a reveal toggle. Password managers and autofill are kept away: these are
 * AWS keys for one verification, not the user's login.
 */
export function SecretInput({ revealLabel, className, ref, ...rest }: SecretInputProps) {
  const [shown, setShown] = useState(false);
  return (
    <div className="flex gap-2">
      <input
        ref={ref}
        type={shown ? 'text' : 'password'}
        autoComplete="off"
        autoCapitalize="off"
        autoCorrect="off"
        spellCheck={false}
        data-1p-ignore
        data-lpignore="true"
        className={cx(INPUT, className)}
        {...rest}
      />
      <button
        type="button"
        aria-pressed={shown}
        aria-label={`Show ${revealLabel}`}
        onClick={() => setShown((v) => !v)}
        className={cx(
          'min-h-10 shrink-0 rounded-md border border-slate-500 bg-white px-3 text-sm font-medium text-slate-900 hover:bg-slate-100 dark:border-slate-400 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700',
          FOCUS_RING,
        )}
      >
        {shown ? 'Hide' : 'Show'}
      </button>
    </div>
  );
}
