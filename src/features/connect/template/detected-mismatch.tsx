import { Breakable } from '../../../components/ui/breakable.tsx';
import { Notice } from '../../../components/ui/notice.tsx';
import type { Partition } from '../../../domain/inputs.ts';
import type { Answers } from '../store/answers.ts';
import { evaluateTrust } from '../trust/admits.ts';

export interface DetectedMismatchProps {
  answers: Answers;
  externalId: string;
  partition: Partition;
}

/**
 * Before anything is deployed: trust settings the user typed that would refuse the caller step 1
 * detected. Untyped settings already hold the detected identity (store/detected-trust.ts); typed
 * ones are the user's to change, in the next step, where "Use detected identity" lives.
 */
export function DetectedMismatch({ answers, externalId, partition }: DetectedMismatchProps) {
  const { detected, trust } = answers;
  if (!detected) return null;
  const evaluation = evaluateTrust({ caller: detected.identity, ...trust, externalId, partition });
  if (!evaluation || evaluation.decision === 'allow') return null;
  return (
    <Notice tone="warning" title="A role deployed with these values would refuse the scanner" live>
      <p>
        Step 1 found that the scanner runs as{' '}
        <span className="font-mono">
          <Breakable text={detected.identity.arn} />
        </span>{' '}
        (GetCallerIdentity). AccountId <span className="font-mono">{trust.trustedAccountId}</span> with
        IAMPrincipal <span className="font-mono">{trust.iamPrincipal}</span>, as you entered them, do not
        admit it. The commands below use your values: change them in the next step, Trust settings, before you
        deploy.
      </p>
    </Notice>
  );
}
