import { Breakable } from '../../../components/ui/breakable.tsx';
import { Button } from '../../../components/ui/button.tsx';
import type { Answers } from '../store/answers.ts';

export interface DetectedIdentityProps {
  detected: NonNullable<Answers['detected']>;
  /** Both settings already hold the detected values. */
  applied: boolean;
  onApply: () => void;
}

/** The one place to fill the trust settings from step 1's caller, and to see that they hold it. */
export function DetectedIdentity({ detected, applied, onApply }: DetectedIdentityProps) {
  const { identity, suggestion } = detected;
  const values = (
    <>
      AccountId <span className="font-mono">{suggestion.trustedAccountId}</span> · IAMPrincipal{' '}
      <span className="font-mono">
        <Breakable text={suggestion.iamPrincipal} />
      </span>
    </>
  );
  return (
    <div className="space-y-2 text-sm" data-testid="detected-identity" data-applied={applied}>
      {applied ? (
        <p role="status" className="flex gap-2 font-medium text-green-800 dark:text-green-300">
          <span aria-hidden="true">✓</span>
          <span>Using the detected identity: {values}.</span>
        </p>
      ) : (
        <div className="flex flex-wrap items-center gap-3">
          <Button variant="secondary" onClick={onApply}>
            Use detected identity
          </Button>
          <span>{values}</span>
        </div>
      )}
      <p className="text-slate-700 dark:text-slate-300">
        Detected from GetCallerIdentity in step 1: the scanner runs as{' '}
        <span className="font-mono">
          <Breakable text={identity.arn} />
        </span>
        .
      </p>
      {suggestion.notes.length ? (
        <ul className="ml-5 list-disc text-slate-700 dark:text-slate-300">
          {suggestion.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
