import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import type * as z from 'zod/mini';
import { Button } from '../../../components/ui/button.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { INPUT } from '../../../components/ui/styles.ts';
import { parseRoleArn } from '../../../domain/arn.ts';
import { roleTargetSchema } from '../../../domain/inputs.ts';
import type { StepProps } from '../step-props.ts';
import { useAnswers, useServerError, wizardStore } from '../store/wizard-store.ts';
import type { RoleValues } from './role-values.ts';
import { SandboxTargets } from './sandbox-targets.tsx';
import { SessionOptions } from './session-options.tsx';

export function RoleStep({ config, next, back }: StepProps) {
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
      if (name === 'roleArn' && !edited && derived && derived !== patch.accountId)
        setValue('accountId', derived);
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
          <input
            {...control}
            {...register('roleArn')}
            autoComplete="off"
            spellCheck={false}
            className={INPUT}
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
