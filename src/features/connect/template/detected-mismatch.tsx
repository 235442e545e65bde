import { Button } from '../../../components/ui/button.tsx';
import { Notice } from '../../../components/ui/notice.tsx';
import type { Partition } from '../../../domain/inputs.ts';
import type { Answers } from '../store/answers.ts';
import { wizardStore } from '../store/wizard-store.ts';
import { evaluateTrust } from '../trust/admits.ts';

export interface DetectedMismatchProps {
  answers: Answers;
  externalId: string;
  partition: Partition;
}

/**
 * Before anything is deployed: a template whose AccountId/IAMPrincipal would refuse the caller
 * detected in step 1 (the demo's "IAMPrincipal left at the default") is caught here, with the fix.
 */
export function DetectedMismatch({ answers, externalId, partition }: DetectedMismatchProps) {
  const { detected, trust } = answers;
  if (!detected) return null;
  const evaluation = evaluateTrust({ caller: detected.identity, ...trust, externalId, partition });
  if (!evaluation || evaluation.decision === 'allow') return null;
  const { suggestion } = detected;
  return (
    <Notice tone="warning" title="A role deployed with these values would refuse the scanner" live>
      <p>
        Step 1 found that the scanner runs as{' '}
        <span className="break-all font-mono">{detected.identity.arn}</span>. AccountId{' '}
        <span className="font-mono">{trust.trustedAccountId}</span> with IAMPrincipal{' '}
        <span className="font-mono">{trust.iamPrincipal}</span> does not admit it.
      </p>
      <Button variant="secondary" className="mt-2" onClick={() => wizardStore.update({ trust: suggestion })}>
        Use detected identity ({suggestion.trustedAccountId} · {suggestion.iamPrincipal})
      </Button>
    </Notice>
  );
}
