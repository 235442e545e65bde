import { useState } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { Notice } from '../../../components/ui/notice.tsx';
import { INPUT } from '../../../components/ui/styles.ts';
import type { ConfigResponse } from '../../../domain/api-contract.ts';
import { aliasSchema } from '../../../domain/connection-inputs.ts';
import { useSaveConnection } from '../api/save-connection.ts';
import { getSecrets } from '../store/secrets.ts';
import { useAnswers } from '../store/wizard-store.ts';
import { verifyRequestFrom } from '../verify/verify-request.ts';

// Keep this connection (issue 13): re-verified on a schedule when it uses the server's identity,
// shown on the Connections page. Access keys are never kept, and the text says what that means.

export function SaveConnection({ config }: { config: ConfigResponse }) {
  const answers = useAnswers();
  const save = useSaveConnection();
  const [alias, setAlias] = useState('');
  const [aliasError, setAliasError] = useState<string | undefined>();
  const keys = answers.sourceKind === 'access-keys';

  const submit = () => {
    const checked = alias.trim() === '' ? null : aliasSchema.safeParse(alias);
    if (checked && !checked.success) {
      setAliasError(checked.error.issues[0]?.message);
      return;
    }
    setAliasError(undefined);
    const request = verifyRequestFrom(answers, getSecrets(), config.externalId);
    save.mutate(
      { ...request, ...(checked?.success ? { alias: checked.data } : {}) },
      { onSuccess: (saved) => window.location.assign(`/connections/${saved.id}`) },
    );
  };
  const serverError = save.error?.fields.find((f) => f.path === 'alias')?.message;

  return (
    <section
      aria-labelledby="save-title"
      className="space-y-2 rounded-lg p-4 ring-1 ring-slate-300 dark:ring-slate-700"
    >
      <h3 id="save-title" className="text-base font-semibold">
        Keep this connection
      </h3>
      <p className="text-sm">
        {keys
          ? 'The access keys are not kept: the saved connection is checked again only when you verify it with the keys.'
          : `${config.productName} verifies it again on a schedule, compares the role with the template and records each change of status.`}
      </p>
      <Field
        label="Name (optional)"
        hint="For the Connections page, e.g. prod-eu."
        error={aliasError ?? serverError}
      >
        {(control) => (
          <input
            {...control}
            className={INPUT}
            value={alias}
            maxLength={64}
            onChange={(e) => setAlias(e.target.value)}
          />
        )}
      </Field>
      <Button busy={save.isPending} onClick={submit}>
        Save connection
      </Button>
      {save.isError && !serverError ? (
        <Notice tone="error" title="Not saved" live>
          <p>{save.error.message}</p>
          {save.error.fields.map((f) => (
            <p key={f.path}>
              {f.path}: {f.message}
            </p>
          ))}
        </Notice>
      ) : null}
    </section>
  );
}
