import type { ReactNode } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Notice } from '../../../components/ui/notice.tsx';
import type { ProwlerPushResponse } from '../../../domain/prowler-api.ts';
import { ProwlerVerdicts } from './prowler-verdicts.tsx';

/**
 * The Prowler App section of the result step and of a saved connection's page (issue 16): the
 * push button, the failure with the steps done before it, or both verdicts side by side.
 */
export function ProwlerPushPanel(props: {
  busy: boolean;
  data: ProwlerPushResponse | undefined;
  error: Error | null;
  onPush: () => void;
  /** Where our verdict comes from (ProwlerVerdicts). */
  oursLabel?: string;
  /** A further action beside the button (push anyway). */
  extra?: ReactNode;
}) {
  const { data, error } = props;
  const answer = data?.push;
  const failure = error?.message ?? (answer && !answer.pushed ? answer.failure.message : null);
  return (
    <section aria-labelledby="prowler-push" className="space-y-3">
      <h3 id="prowler-push" className="text-lg font-semibold">
        Prowler App
      </h3>
      <div className="flex flex-wrap gap-3">
        <Button busy={props.busy} onClick={props.onPush}>
          {data || error ? 'Push to Prowler again' : 'Push to Prowler'}
        </Button>
        {props.extra}
      </div>
      <div aria-live="polite" className="space-y-3">
        {failure ? (
          <Notice tone="error" title="The push did not go through">
            <p>{failure}</p>
            {answer && !answer.pushed && answer.steps.length ? (
              <p>Done before it: {answer.steps.map((s) => s.detail).join('; ')}.</p>
            ) : null}
          </Notice>
        ) : null}
        {data && answer?.pushed ? (
          <ProwlerVerdicts
            response={data}
            push={answer}
            {...(props.oursLabel ? { oursLabel: props.oursLabel } : {})}
          />
        ) : null}
      </div>
    </section>
  );
}
