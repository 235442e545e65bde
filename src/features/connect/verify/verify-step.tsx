import { useCallback, useEffect, useId, useState } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Card } from '../../../components/ui/card.tsx';
import type { VerifyReport } from '../../../domain/diagnosis-contract.ts';
import { useKeepDrawing } from '../keep-drawing.ts';
import type { StepProps } from '../step-props.ts';
import { getSecrets } from '../store/secrets.ts';
import { useAnswers, useWizard, wizardStore } from '../store/wizard-store.ts';
import { WAIT_MAX_ATTEMPTS, waitBudgetMs } from './backoff.ts';
import { CheckProgress } from './check-progress.tsx';
import { RunStatus } from './run-status.tsx';
import { useVerifyRun } from './use-verify-run.ts';
import { verifyRequestFrom } from './verify-request.ts';
import { VerifySummary } from './verify-summary.tsx';

export function VerifyStep({ config, goTo, back, survivesReload }: StepProps) {
  useKeepDrawing('verify', survivesReload);
  const answers = useAnswers();
  const autoVerify = useWizard((s) => s.autoVerify);
  const [wait, setWait] = useState(false);
  const waitId = useId();
  const onDone = useCallback(
    (report: VerifyReport) => {
      wizardStore.update({ report });
      goTo('result');
    },
    [goTo],
  );
  const { state, start, cancel } = useVerifyRun(onDone);
  const busy = state.phase === 'running' || state.phase === 'waiting';
  const run = useCallback(
    (waitMode: boolean) => {
      const { answers: now } = wizardStore.getState();
      wizardStore.setServerErrors([]);
      void start(verifyRequestFrom(now, getSecrets(), config.externalId), waitMode);
    },
    [start, config.externalId],
  );

  // "Redeploy and verify again" on the result step lands here and starts at once.
  useEffect(() => {
    if (!autoVerify) return;
    wizardStore.setAutoVerify(null);
    setWait(autoVerify === 'wait');
    run(autoVerify === 'wait');
  }, [autoVerify, run]);

  return (
    <div className="space-y-6">
      <Card>
        <VerifySummary answers={answers} config={config} goTo={goTo} />
      </Card>
      <div className="flex items-start gap-3">
        <input
          id={waitId}
          type="checkbox"
          checked={wait}
          disabled={busy}
          onChange={(e) => setWait(e.target.checked)}
          aria-describedby={`${waitId}-hint`}
          className="mt-1 size-4 accent-blue-700 dark:accent-blue-300"
        />
        <div>
          <label htmlFor={waitId} className="font-semibold">
            Wait for deployment
          </label>
          <p id={`${waitId}-hint`} className="text-sm text-slate-700 dark:text-slate-300">
            Still creating the stack? Keep checking, with growing pauses, until the role answers (
            {WAIT_MAX_ATTEMPTS} tries over about {Math.round(waitBudgetMs() / 60_000)} minutes).
          </p>
        </div>
      </div>
      <CheckProgress
        phase={state.phase}
        checks={state.phase === 'running' ? state.checks : (state.report?.checks ?? null)}
        wait={state.wait}
      />
      <RunStatus state={state} goTo={goTo} />
      <div className="flex flex-wrap justify-between gap-3">
        <Button variant="secondary" onClick={back}>
          Back
        </Button>
        <div className="flex flex-wrap gap-3">
          {busy ? (
            <Button variant="secondary" onClick={cancel}>
              Cancel
            </Button>
          ) : null}
          <Button busy={busy} onClick={() => run(wait)}>
            {busy
              ? state.wait
                ? 'Waiting for the role…'
                : 'Verifying…'
              : state.phase === 'idle'
                ? 'Verify connection'
                : 'Verify again'}
          </Button>
        </div>
      </div>
    </div>
  );
}
