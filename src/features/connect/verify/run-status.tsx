import { useEffect, useState } from 'react';
import { Notice } from '../../../components/ui/notice.tsx';
import { LINK } from '../../../components/ui/styles.ts';
import type { StepId } from '../step-props.ts';
import { wizardStore } from '../store/wizard-store.ts';
import { WAIT_MAX_ATTEMPTS } from './backoff.ts';
import { fieldOwner } from './field-steps.ts';
import type { RunState } from './use-verify-run.ts';

function useSecondsUntil(at: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [at]);
  return at === null ? 0 : Math.max(0, Math.ceil((at - now) / 1_000));
}

export function RunStatus({ state, goTo }: { state: RunState; goTo: (id: StepId) => void }) {
  const seconds = useSecondsUntil(state.nextAt);
  const { error } = state;

  useEffect(() => {
    if (error?.fields.length) wizardStore.setServerErrors(error.fields);
  }, [error]);

  if (state.phase === 'failed' && error) {
    return (
      <Notice
        tone="error"
        title={error.fields.length ? 'The server refused some answers' : 'The verification did not run'}
        live
        transient
      >
        <p>{error.message}</p>
        {error.fields.length ? (
          <ul className="ml-5 list-disc">
            {error.fields.map((field) => {
              const owner = fieldOwner(field.path);
              return (
                <li key={field.path}>
                  <a
                    href={`?step=${owner.step}`}
                    className={LINK}
                    onClick={(e) => {
                      e.preventDefault();
                      goTo(owner.step);
                    }}
                  >
                    {owner.label}
                  </a>
                  : {field.message}
                </li>
              );
            })}
          </ul>
        ) : null}
      </Notice>
    );
  }
  let text = '';
  if (state.phase === 'running')
    text = state.wait
      ? `Waiting for the new role, attempt ${state.attempt} of ${WAIT_MAX_ATTEMPTS}…`
      : 'Verifying…';
  // The first round's answer, before the audit's (issue 15). While waiting for a new role a
  // refusal is not yet a cause: no verdict until the last try.
  const { verdict } = state;
  if (state.phase === 'running' && verdict && (verdict.connected || !state.wait)) {
    text = verdict.connected
      ? `Connected: AWS assumed ${verdict.assumed?.arn}. Checking the role's permissions…`
      : 'Not connected: the role was not assumed. The result says why.';
  }
  if (state.phase === 'waiting' && state.report) {
    text = `Waiting for the new role, attempt ${state.attempt} of ${WAIT_MAX_ATTEMPTS}: AWS does not accept it yet (a new or changed role takes a few seconds). Next try in ${seconds} s.`;
  }
  if (state.phase === 'cancelled') text = 'Cancelled. Nothing more is sent until you verify again.';
  return (
    <p
      role="status"
      className="min-h-6 text-sm font-medium"
      data-testid="verify-status"
      // A run's progress or outcome: a reload starts the step with none.
      data-transient={Boolean(text) || undefined}
    >
      {text}
    </p>
  );
}
