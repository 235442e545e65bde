import { zodResolver } from '@hookform/resolvers/zod';
import { type KeyboardEvent, useEffect } from 'react';
import { useForm } from 'react-hook-form';
import type * as z from 'zod/mini';
import { Button } from '../../../components/ui/button.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { INPUT } from '../../../components/ui/styles.ts';
import { parseRoleArn } from '../../../domain/arn.ts';
import { roleTargetSchema } from '../../../domain/inputs.ts';
import { prefetchSandboxScenario } from '../api/sandbox-scenario.ts';
import { useKeepDrawing } from '../keep-drawing.ts';
import type { FirstScreenData, StepProps } from '../step-props.ts';
import { useAnswers, useServerError, wizardStore } from '../store/wizard-store.ts';
import type { RoleValues } from './role-values.ts';
import { SandboxTargets } from './sandbox-targets.tsx';
import { SessionOptions } from './session-options.tsx';

/** The sandbox's accounts, which the demo box lists. */
export const firstScreenData: FirstScreenData = prefetchSandboxScenario;

export function RoleStep({ config, next, back, survivesReload }: StepProps) {
  useKeepDrawing('role', survivesReload);
  const { role } = useAnswers();
  const { register, handleSubmit, watch, formState, setValue } = useForm<
    RoleValues,
    unknown,
    z.output<typeof roleTargetSchema>
  >({
    resolver: zodResolver(roleTargetSchema),
    mode: 'onTouched',
    defaultValues: {
      roleArn: role.roleArn,
      accountId: role.accountId,
      sessionName: role.sessionName,
      durationSeconds: role.durationSeconds ?? undefined,
    },
  });

  useEffect(() => {
    const sub = watch((v, { name }) => {
      const patch = {
        roleArn: v.roleArn ?? '',
        accountId: v.accountId ?? '',
        sessionName: v.sessionName ?? '',
        durationSeconds:
          typeof v.durationSeconds === 'number' && Number.isFinite(v.durationSeconds)
            ? v.durationSeconds
            : null,
      };
      // The account follows the ARN until the user types one of their own.
      const edited =
        name === 'accountId' ? patch.accountId !== '' : wizardStore.getState().answers.role.accountIdEdited;
      const derived = parseRoleArn(patch.roleArn.trim())?.accountId;
      // The account filled in is an answer like any other: a reload shows it again.
      if (name === 'roleArn' && !edited && derived && derived !== patch.accountId) {
        setValue('accountId', derived);
        patch.accountId = derived;
      }
      wizardStore.update({ role: { ...patch, accountIdEdited: edited } });
      if (name) wizardStore.clearServerError(name);
    });
    return () => sub.unsubscribe();
  }, [watch, setValue]);

  const server = {
    roleArn: useServerError('roleArn'),
    accountId: useServerError('accountId'),
    sessionName: useServerError('sessionName'),
    durationSeconds: useServerError('durationSeconds'),
  };
  const errorOf = (name: keyof typeof server) => formState.errors[name]?.message ?? server[name];
  const duration = watch('durationSeconds');
  const onSubmit = handleSubmit(() => next());
  const submitOnEnter = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    event.currentTarget.form?.requestSubmit();
  };

  return (
    <form noValidate onSubmit={onSubmit} className="space-y-4">
      {config.sandbox ? (
        <SandboxTargets
          onPick={(arn) => setValue('roleArn', arn, { shouldValidate: true, shouldDirty: true })}
        />
      ) : null}
      <Field
        label="Role ARN"
        hint="The stack output RoleArn, like arn:aws:iam::123456789012:role/ProwlerScan."
        error={errorOf('roleArn')}
      >
        {(control) => (
          // A text area that grows with its content: a role ARN is 40 characters or more, wider than
          // a phone's input, and a cut-off ARN cannot be checked by eye. Enter still submits.
          <textarea
            {...control}
            data-kept
            {...register('roleArn')}
            // Two rows where field-sizing is not supported; it sizes to the content where it is.
            rows={2}
            enterKeyHint="next"
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            onKeyDown={submitOnEnter}
            className={`${INPUT} field-sizing-content min-h-10 resize-none`}
          />
        )}
      </Field>
      <Field
        label="Account you are connecting"
        hint="Taken from the role ARN; change it only if you mean another account (the check then flags the mismatch)."
        error={errorOf('accountId')}
      >
        {(control) => (
          <input
            {...control}
            data-kept
            {...register('accountId')}
            inputMode="numeric"
            autoComplete="off"
            className={INPUT}
          />
        )}
      </Field>
      <SessionOptions register={register} errorOf={errorOf} duration={duration} />
      <div className="flex flex-wrap justify-between gap-3">
        <Button variant="secondary" onClick={back}>
          Back
        </Button>
        <Button type="submit">Continue to verify</Button>
      </div>
    </form>
  );
}
