import type { UseFormRegister } from 'react-hook-form';
import { Field } from '../../../components/ui/field.tsx';
import { Notice } from '../../../components/ui/notice.tsx';
import { INPUT } from '../../../components/ui/styles.ts';
import { TEMPLATE_MAX_SESSION_SECONDS } from '../../../domain/inputs.ts';
import type { RoleValues } from './role-values.ts';

const toNumber = (v: unknown) => (v === '' || v === null || v === undefined ? undefined : Number(v));

export interface SessionOptionsProps {
  register: UseFormRegister<RoleValues>;
  errorOf: (name: 'sessionName' | 'durationSeconds') => string | undefined;
  duration: RoleValues['durationSeconds'];
}

/** Optional session name and duration, with their limits and the template's one-hour maximum. */
export function SessionOptions({ register, errorOf, duration }: SessionOptionsProps) {
  return (
    <fieldset className="rounded-md border border-slate-300 p-3 dark:border-slate-600">
      <legend className="px-1 text-sm font-semibold">Optional</legend>
      <div className="grid gap-x-4 sm:grid-cols-2">
        <Field
          label="Session name"
          hint="2–64 characters; shows in CloudTrail. Default: a generated one."
          error={errorOf('sessionName')}
        >
          {(control) => (
            <input
              {...control}
              data-kept
              {...register('sessionName')}
              autoComplete="off"
              spellCheck={false}
              className={INPUT}
            />
          )}
        </Field>
        <Field
          label="Session duration (seconds)"
          hint="900 to 43200; default 3600."
          error={errorOf('durationSeconds')}
        >
          {(control) => (
            <input
              {...control}
              data-kept
              {...register('durationSeconds', { setValueAs: toNumber })}
              type="number"
              inputMode="numeric"
              min={900}
              max={43200}
              step={1}
              className={INPUT}
            />
          )}
        </Field>
      </div>
      {typeof duration === 'number' && duration > TEMPLATE_MAX_SESSION_SECONDS ? (
        <Notice tone="warning" title="Longer than the template allows">
          <p>
            The template sets MaxSessionDuration to {TEMPLATE_MAX_SESSION_SECONDS} seconds, and a session
            started from another role session is capped at one hour. AWS refuses longer requests unless you
            raise the role’s maximum.
          </p>
        </Notice>
      ) : null}
    </fieldset>
  );
}
