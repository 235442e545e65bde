import { useEffect, useId, useRef, useState } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { CodeBlock } from '../../../components/ui/code-block.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { INPUT } from '../../../components/ui/styles.ts';
import { roleEvidenceSchema } from '../../../domain/verify-request.ts';
import type { ApiError } from '../../../lib/api-client.ts';
import { streamVerify } from '../api/post-verify.ts';
import { getSecrets } from '../store/secrets.ts';
import { useAnswers, wizardStore } from '../store/wizard-store.ts';
import { verifyRequestFrom } from '../verify/verify-request.ts';

// The trust doctor's way back in (issue 12, item 3): the user runs the doctor in the role's
// account and pastes its output here; the verification runs again with it, and the headline
// becomes the cause the role's real trust policy shows. The text is validated with the same
// schema as the server's, sent once, and kept nowhere (not in the store, not in storage).

export interface RoleEvidenceBoxProps {
  externalId: string;
  /** The doctor command, when the guidance's steps do not show it already. */
  command?: string | undefined;
  /** The account the doctor must run in. */
  accountId: string;
}

export function RoleEvidenceBox({ externalId, command, accountId }: RoleEvidenceBoxProps) {
  const answers = useAnswers();
  const titleId = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  // Leaving the result step stops a verification still under way (no AWS call not yet sent).
  const inFlight = useRef<AbortController>(null);
  useEffect(() => () => inFlight.current?.abort(), []);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const parsed = roleEvidenceSchema.safeParse(text);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'This is not the doctor’s output.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const request = { ...verifyRequestFrom(answers, getSecrets(), externalId), roleEvidence: text };
      // The streamed answer's report (its progress is not shown here): one verify client in the bundle.
      inFlight.current = new AbortController();
      const report = await streamVerify(request, () => {}, inFlight.current.signal);
      setText('');
      wizardStore.update({ report });
    } catch (err) {
      const api = err as ApiError;
      setError(api.fields?.find((f) => f.path === 'roleEvidence')?.message ?? api.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section
      aria-labelledby={titleId}
      data-troubleshoot="role-evidence"
      className="space-y-3 rounded-lg p-4 ring-1 ring-slate-300 dark:ring-slate-700"
    >
      <h4 id={titleId} className="text-base font-semibold">
        Trust doctor: the role as account {accountId} sees it
      </h4>
      <p className="text-sm">
        The scanner cannot read the role; its account can. Run the doctor there (it only reads), then paste
        what it prints. The output of <code className="font-mono">aws iam get-role --role-name NAME</code>, or
        its NoSuchEntity error, works too.
      </p>
      {command ? (
        <CodeBlock label="The trust doctor (run with the target account’s credentials)" code={command} />
      ) : null}
      <form noValidate onSubmit={submit} className="space-y-2">
        <Field
          label="Trust doctor output"
          hint="Nothing is stored; it is sent once, with this verification."
          error={error}
        >
          {(control) => (
            <textarea
              {...control}
              value={text}
              onChange={(e) => setText(e.target.value)}
              rows={8}
              spellCheck={false}
              autoCapitalize="off"
              autoComplete="off"
              className={`${INPUT} resize-y font-mono text-sm`}
            />
          )}
        </Field>
        <Button type="submit" busy={busy}>
          Verify again with this evidence
        </Button>
      </form>
    </section>
  );
}
