import { Suspense, useMemo } from 'react';
import { Breakable } from '../../../components/ui/breakable.tsx';
import { Notice } from '../../../components/ui/notice.tsx';
import type { CallerIdentity, TrustSuggestion } from '../../../domain/api-contract.ts';
import type { Partition } from '../../../domain/inputs.ts';
import type { ConnectSlots } from '../step-props.ts';
import { evaluateTrust } from './admits.ts';
import { CHAIN_FALLBACK } from './chain-fallback.tsx';

export interface LiveCheckProps {
  detected: { identity: CallerIdentity; suggestion: TrustSuggestion } | null;
  trustedAccountId: string;
  iamPrincipal: string;
  externalId: string;
  partition: Partition;
  TrustChain: ConnectSlots['TrustChain'];
}

/**
 * Before any AWS call: the template's own trust policy with these settings, evaluated in the
 * browser against the caller detected in step 1 (issue 6, step 3).
 */
export function LiveCheck({
  detected,
  trustedAccountId,
  iamPrincipal,
  externalId,
  partition,
  TrustChain,
}: LiveCheckProps) {
  const evaluation = useMemo(
    () =>
      detected
        ? evaluateTrust({ caller: detected.identity, trustedAccountId, iamPrincipal, externalId, partition })
        : null,
    [detected, partition, trustedAccountId, iamPrincipal, externalId],
  );

  if (!detected) {
    return (
      <Notice title="Live check unavailable">
        <p>
          Step 1 has not detected who the scanner runs as, so these settings cannot be checked before
          verifying.
        </p>
      </Notice>
    );
  }
  if (!evaluation) {
    return (
      <p className="text-sm text-slate-700 dark:text-slate-300">
        Fix the fields above to see whether the scanner would be admitted.
      </p>
    );
  }
  const admitted = evaluation.decision === 'allow';
  return (
    <div className="space-y-3" data-testid="live-check" data-decision={evaluation.decision}>
      <Notice
        tone={admitted ? 'success' : 'error'}
        live
        title={admitted ? 'The scanner would be admitted' : 'The scanner would be refused'}
      >
        <p>
          {admitted
            ? 'A role deployed with these settings admits '
            : 'A role deployed with these settings refuses '}
          <span className="font-mono">
            <Breakable text={detected.identity.principalArn} />
          </span>
          {admitted ? ' when it sends this External ID.' : ': the picture below shows which part fails.'}
        </p>
      </Notice>
      <Suspense fallback={CHAIN_FALLBACK}>
        <TrustChain
          evaluation={evaluation}
          callerArn={detected.identity.arn}
          principalArn={detected.identity.principalArn}
          pathUnknown={detected.identity.pathUnknown}
          headingLevel={3}
          title="Live check: trust chain"
        />
      </Suspense>
    </div>
  );
}
