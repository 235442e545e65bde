import { type ReactNode, useId } from 'react';

// Epic-stack's Field: a label, an optional hint, the control, and an error row that is always
// there (min height) so a message appearing never moves the layout. The control receives the ids.

export interface FieldControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string;
}

export interface FieldProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  /** Extra content beside the label, e.g. a reveal toggle. */
  aside?: ReactNode;
  children: (control: FieldControlProps) => ReactNode;
  className?: string;
}

export function Field({ label, hint, error, aside, children, className }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, errorId].filter(Boolean).join(' ');
  return (
    <div className={className}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-3">
        <label htmlFor={id} className="block text-sm font-semibold text-slate-900 dark:text-slate-100">
          {label}
        </label>
        {aside}
      </div>
      {hint ? (
        <p id={hintId} className="mt-0.5 text-sm text-slate-700 dark:text-slate-300">
          {hint}
        </p>
      ) : null}
      <div className="mt-1">
        {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      </div>
      <p id={errorId} className="min-h-5 pt-1 text-sm text-red-700 dark:text-red-300">
        {error ?? ''}
      </p>
    </div>
  );
}
