import { Suspense } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import type { CredentialSourceKind } from '../../../domain/inputs.ts';
import { loadable } from '../../../lib/loadable.ts';
import type { StepProps } from '../step-props.ts';
import { useAnswers, wizardStore } from '../store/wizard-store.ts';
import { SdkIdentity } from './sdk-identity.tsx';
import { SourceCards } from './source-cards.tsx';
import { sourceLabels } from './source-labels.ts';

// The keys form brings react-hook-form; most users never open it, so it loads on demand (issue 7).
const AccessKeysForm = loadable(() => import('./access-keys-form.tsx'), 'AccessKeysForm');

export function SourceStep({ config, slots, next }: StepProps) {
  const { sourceKind } = useAnswers();
  const labels = sourceLabels(config.flavour, config.productName);
  const subject = config.flavour === 'hosted' ? config.productName : 'The server';

  function choose(kind: CredentialSourceKind) {
    // A new source is a new caller: what was detected for the other one no longer applies.
    wizardStore.update({ sourceKind: kind, detected: null });
    if (kind === 'sdk-default') wizardStore.clearSecrets();
  }

  return (
    <div className="space-y-6">
      <SourceCards labels={labels} value={sourceKind} onChange={choose} />
      {sourceKind === 'sdk-default' ? (
        <>
          <SdkIdentity Problem={slots.Problem} subject={subject} />
          <div className="flex justify-end">
            <Button onClick={next}>Continue</Button>
          </div>
        </>
      ) : null}
      {sourceKind === 'access-keys' ? (
        <Suspense fallback={<p className="text-sm">Loading the form…</p>}>
          <AccessKeysForm Problem={slots.Problem} next={next} />
        </Suspense>
      ) : null}
      {sourceKind === null ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">Choose one to continue.</p>
      ) : null}
    </div>
  );
}
