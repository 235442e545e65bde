import { zodResolver } from '@hookform/resolvers/zod';
import { Suspense, useEffect } from 'react';
import { type FieldPath, useForm } from 'react-hook-form';
import type * as z from 'zod/mini';
import { Button } from '../../../components/ui/button.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { Notice } from '../../../components/ui/notice.tsx';
import { SecretInput } from '../../../components/ui/secret-input.tsx';
import { INPUT } from '../../../components/ui/styles.ts';
import { accessKeysSourceSchema } from '../../../domain/inputs.ts';
import { useCheckKeys } from '../api/post-identity.ts';
import type { ConnectSlots } from '../step-props.ts';
import { getSecrets } from '../store/secrets.ts';
import { useServerError, wizardStore } from '../store/wizard-store.ts';
import { IdentitySummary } from './identity-summary.tsx';
import { KEY_FIELD_ERRORS } from './key-field-errors.ts';
import { rememberDetection } from './remember-detection.ts';

type Values = z.input<typeof accessKeysSourceSchema>;

export function AccessKeysForm({ Problem, next }: { Problem: ConnectSlots['Problem']; next: () => void }) {
  const check = useCheckKeys();
  const form = useForm<Values, unknown, z.output<typeof accessKeysSourceSchema>>({
    resolver: zodResolver(accessKeysSourceSchema),
    mode: 'onTouched',
    defaultValues: { kind: 'access-keys', ...getSecrets() },
  });
  const { register, handleSubmit, formState, setError, watch } = form;

  // Memory only: the values follow the user through back/forward but never reach storage.
  useEffect(() => {
    const sub = watch((v) => {
      wizardStore.setSecrets({
        accessKeyId: v.accessKeyId ?? '',
        secretAccessKey: v.secretAccessKey ?? '',
        sessionToken: v.sessionToken ?? '',
      });
    });
    return () => sub.unsubscribe();
  }, [watch]);

  const serverErrors = {
    accessKeyId: useServerError('source.accessKeyId'),
    secretAccessKey: useServerError('source.secretAccessKey'),
    sessionToken: useServerError('source.sessionToken'),
  };
  const errorOf = (name: keyof typeof serverErrors) => formState.errors[name]?.message ?? serverErrors[name];

  const onSubmit = handleSubmit(async (source) => {
    const result = await check.mutateAsync(source).catch((error: unknown) => {
      for (const f of (error as { fields?: { path: string; message: string }[] }).fields ?? []) {
        setError(f.path.replace(/^source\./, '') as FieldPath<Values>, { message: f.message });
      }
      return null;
    });
    if (!result) return;
    rememberDetection(result);
    if (result.ok) return next();
    const onField = KEY_FIELD_ERRORS[result.diagnosis.code];
    if (onField) setError(onField.field, { message: onField.message }, { shouldFocus: true });
  });

  const failed = check.data && !check.data.ok ? check.data : null;
  return (
    <form noValidate onSubmit={onSubmit} className="space-y-4">
      <Notice title="Prefer short-lived keys">
        <p>
          Temporary credentials (ASIA… with a session token, from <code>aws sts get-session-token</code> or
          IAM Identity Center) expire by themselves. The keys stay in this tab's memory for the verification
          only: never stored, never in the address bar.
        </p>
      </Notice>
      <input type="hidden" {...register('kind')} />
      <Field
        label="Access key ID (AWS_ACCESS_KEY_ID)"
        hint="Starts with AKIA (long-term) or ASIA (temporary)."
        error={errorOf('accessKeyId')}
      >
        {(control) => (
          <input
            {...control}
            {...register('accessKeyId')}
            autoComplete="off"
            spellCheck={false}
            className={INPUT}
          />
        )}
      </Field>
      <Field label="Secret access key (AWS_SECRET_ACCESS_KEY)" error={errorOf('secretAccessKey')}>
        {(control) => (
          <SecretInput {...control} {...register('secretAccessKey')} revealLabel="secret access key" />
        )}
      </Field>
      <Field
        label="Session token (AWS_SESSION_TOKEN)"
        hint="Required with ASIA keys; leave empty for AKIA keys."
        error={errorOf('sessionToken')}
      >
        {(control) => <SecretInput {...control} {...register('sessionToken')} revealLabel="session token" />}
      </Field>
      {check.error ? (
        <Notice tone="error" title="Could not check the keys" live>
          <p>{check.error.message}</p>
        </Notice>
      ) : null}
      {check.data?.ok ? <IdentitySummary subject="These keys" identity={check.data.identity} /> : null}
      {failed ? (
        <Suspense fallback={<p className="text-sm">Loading the fix…</p>}>
          <Problem guidance={failed.guidance} facts={failed.diagnosis.facts} awsError={failed.awsError} />
        </Suspense>
      ) : null}
      <div className="flex flex-wrap justify-end gap-3">
        {failed && !KEY_FIELD_ERRORS[failed.diagnosis.code] ? (
          <Button variant="secondary" onClick={next}>
            Continue anyway
          </Button>
        ) : null}
        <Button type="submit" busy={check.isPending}>
          Check keys and continue
        </Button>
      </div>
    </form>
  );
}
