import { memo, useDeferredValue, useId, useMemo, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Field } from '../../components/ui/field.tsx';
import { INPUT } from '../../components/ui/styles.ts';
import { MAX_POLICY_CHARS } from '../../domain/trust/limits.ts';
import { Heading, type HeadingLevel, subLevel } from './heading.tsx';
import { policyTextFrom, type Simulation, simulate } from './simulator-model.ts';
import { TrustChain } from './trust-chain.tsx';

// Paste the role's real trust policy and see, in the browser, whether this caller would be
// admitted and which link fails (issue 6). The evaluator is linear and the text is capped; the
// result renders from deferred values so typing in a large policy stays responsive.

export interface TrustSimulatorProps {
  /** The policy to start from (an object, or JSON text), e.g. the template's or report.trust.policy. */
  defaultPolicy?: unknown;
  /** The caller's ARN to start from: an IAM ARN or GetCallerIdentity's assumed-role ARN. */
  principalArn: string;
  /** The External ID to start from (the one this installation issued). */
  externalId: string;
  headingLevel?: HeadingLevel;
}

const TEXT_INPUT = { type: 'text', spellCheck: false, autoCapitalize: 'off', autoComplete: 'off' } as const;

// Memoised so keystrokes (urgent renders with the old deferred input) do not redraw the chain.
const ResultView = memo(function ResultView({
  result,
  level,
}: {
  result: Simulation['result'];
  level: HeadingLevel;
}) {
  if (!result)
    return <p className="text-slate-700 dark:text-slate-300">Fix the marked fields to see the result.</p>;
  return (
    <TrustChain
      evaluation={result.evaluation}
      callerArn={result.callerArn}
      principalArn={result.principalArn}
      pathUnknown={result.pathUnknown}
      headingLevel={level}
      title="Simulated trust chain"
    />
  );
});

export function TrustSimulator({
  defaultPolicy,
  principalArn,
  externalId,
  headingLevel = 2,
}: TrustSimulatorProps) {
  const titleId = useId();
  const initialPolicy = useMemo(() => policyTextFrom(defaultPolicy), [defaultPolicy]);
  const [policyText, setPolicyText] = useState(initialPolicy);
  const [callerArn, setCallerArn] = useState(principalArn);
  const [extId, setExtId] = useState(externalId);
  const [touched, setTouched] = useState(false);

  const deferredPolicy = useDeferredValue(policyText);
  const deferredCaller = useDeferredValue(callerArn);
  const deferredExtId = useDeferredValue(extId);
  const sim = useMemo(
    () => simulate({ policyText: deferredPolicy, callerArn: deferredCaller, externalId: deferredExtId }),
    [deferredPolicy, deferredCaller, deferredExtId],
  );
  const stale = deferredPolicy !== policyText || deferredCaller !== callerArn || deferredExtId !== extId;
  // An empty box is not an error until the user has been there.
  const policyError = (touched || policyText !== '') && sim.policyError ? sim.policyError : undefined;
  const decision = sim.result?.evaluation.decision;

  return (
    <section
      aria-labelledby={titleId}
      data-troubleshoot="simulator"
      className="@container space-y-4 wrap-anywhere"
    >
      <Heading level={headingLevel} id={titleId} className="text-lg font-semibold">
        Trust policy simulator
      </Heading>
      <p>
        Paste the role’s trust policy (the role’s <strong>Trust relationships</strong> tab in the IAM console,
        or the output of{' '}
        <code className="font-mono text-sm break-all">aws iam get-role --role-name ProwlerScan</code>) to see
        whether this caller would be admitted. Nothing leaves your browser.
      </p>
      <div className="grid gap-4 @5xl:grid-cols-2">
        <div className="min-w-0 space-y-1">
          <Field
            label="Trust policy JSON"
            hint={`A policy document or get-role output; the document may have up to ${MAX_POLICY_CHARS.toLocaleString('en')} characters, not counting white space.`}
            error={policyError}
          >
            {(control) => (
              <textarea
                {...control}
                value={policyText}
                onChange={(e) => setPolicyText(e.target.value)}
                onBlur={() => setTouched(true)}
                rows={14}
                spellCheck={false}
                autoCapitalize="off"
                autoComplete="off"
                className={`${INPUT} resize-y`}
              />
            )}
          </Field>
          {initialPolicy !== '' && policyText !== initialPolicy ? (
            <Button variant="secondary" onClick={() => setPolicyText(initialPolicy)} className="mb-4">
              Restore the expected policy
            </Button>
          ) : null}
          <Field
            label="Caller ARN"
            hint="From aws sts get-caller-identity; an assumed-role ARN is converted to its role ARN."
            error={sim.callerError ?? undefined}
          >
            {(control) => (
              <input
                {...control}
                {...TEXT_INPUT}
                value={callerArn}
                onChange={(e) => setCallerArn(e.target.value)}
                className={INPUT}
              />
            )}
          </Field>
          <Field
            label="External ID sent"
            hint={sim.externalIdNote ?? 'Leave empty to test a request that sends none.'}
          >
            {(control) => (
              <input
                {...control}
                {...TEXT_INPUT}
                value={extId}
                onChange={(e) => setExtId(e.target.value)}
                className={INPUT}
              />
            )}
          </Field>
        </div>
        <div className={`min-w-0 space-y-2 ${stale ? 'opacity-70' : ''}`} aria-busy={stale}>
          <p role="status" className="font-medium">
            {decision ? `Result: the policy ${decision === 'allow' ? 'allows' : 'denies'} this request.` : ''}
          </p>
          <ResultView result={sim.result} level={subLevel(headingLevel)} />
        </div>
      </div>
    </section>
  );
}
