import { Suspense, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Notice } from '../components/ui/notice.tsx';
import { Stepper, type StepperItem } from '../components/ui/stepper.tsx';
import type { ConfigResponse } from '../domain/api-contract.ts';
import type { StepId, StepProps } from '../features/connect/step-props.ts';
import { getSecrets, NO_SECRETS } from '../features/connect/store/secrets.ts';
import { useWizard } from '../features/connect/store/wizard-store.ts';
import { firstUnfinished, resolveStep } from './guard.ts';
import { navigateToStep, stepHref, useStepParam } from './router.ts';
import { SLOTS } from './slots.tsx';
import { STEPS, type StepComponent } from './steps.ts';

export function Wizard({ config }: { config: ConfigResponse }) {
  const { step: requested, pending } = useStepParam();
  const answers = useWizard((s) => s.answers);
  // Re-render when the in-memory keys change; their values never enter React state.
  useWizard((s) => s.secretsVersion);
  const input = { answers, secrets: getSecrets(), defaultRegion: config.region };
  const resolution = resolveStep(STEPS, requested, input);
  const limit = firstUnfinished(STEPS, input);
  const step = STEPS[resolution.index]!;
  const survivesReload = !resolveStep(STEPS, step.id, { ...input, secrets: NO_SECRETS }).redirected;
  const requestedStep = STEPS[resolution.requestedIndex];
  const headingId = useId();

  // A deep link ahead of the answers: replace the URL with the step the user must finish first,
  // and say why while the user stays on that step.
  const [notice, setNotice] = useState<{ at: StepId; from: string; keysForgotten: boolean } | null>(null);
  const keysForgotten =
    step.id === 'source' && answers.sourceKind === 'access-keys' && resolution.requestedIndex > 0;
  // Only a step the user asked for (a link, the address bar, a reload) gets the notice: when the
  // answers change under the current step ("fix and redeploy" on the result), nothing was asked.
  const seen = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    const asked = seen.current !== requested;
    seen.current = requested;
    if (!resolution.redirected) return;
    if (requestedStep && asked) setNotice({ at: step.id, from: requestedStep.title, keysForgotten });
    navigateToStep(step.id, { replace: true });
  }, [resolution.redirected, step.id, requestedStep, keysForgotten, requested]);

  const goTo = useCallback((id: StepId, options?: { replace?: boolean }) => navigateToStep(id, options), []);
  const props: StepProps = useMemo(
    () => ({
      config,
      slots: SLOTS,
      goTo,
      next: () => goTo(STEPS[Math.min(resolution.index + 1, STEPS.length - 1)]!.id),
      back: () => goTo(STEPS[Math.max(resolution.index - 1, 0)]!.id),
      survivesReload,
    }),
    [config, goTo, resolution.index, survivesReload],
  );

  // Keyboard and screen-reader users start at the new step's title, unless the new step focused
  // something of its own (the result's diagnosis). Steps change in a transition, so the previous
  // step's elements are gone by now.
  const container = useRef<HTMLDivElement>(null);
  const first = useRef(true);
  useEffect(() => {
    document.title = `${step.title} · Connect an AWS account · ${config.productName}`;
    if (first.current) {
      first.current = false;
      return;
    }
    if (!container.current?.contains(document.activeElement)) document.getElementById(headingId)?.focus();
    window.scrollTo({ top: 0 });
  }, [step, config.productName, headingId]);

  // Fetch the next step's code once the browser is idle, so "Continue" does not wait for it; the
  // first screen's own loading is never slowed down by it.
  const nextStep = STEPS[resolution.index + 1];
  useEffect(() => {
    const preload = () =>
      void (nextStep?.Component as StepComponent | undefined)?.preload?.().catch(() => undefined);
    if ('requestIdleCallback' in window) {
      const id = window.requestIdleCallback(preload, { timeout: 3_000 });
      return () => window.cancelIdleCallback(id);
    }
    const id = setTimeout(preload, 1_000);
    return () => clearTimeout(id);
  }, [nextStep]);

  const items: StepperItem[] = STEPS.map((s, i) => ({
    id: s.id,
    title: s.title,
    href: stepHref(s.id),
    state: i === resolution.index ? 'current' : i < limit ? 'done' : i === limit ? 'open' : 'todo',
  }));
  const { Component } = step;
  const shown = notice?.at === step.id ? notice : null;

  return (
    <div className="space-y-6">
      <Stepper items={items} onNavigate={(id) => goTo(id as StepId)} />
      <div ref={container} aria-busy={pending} className="space-y-4 transition-opacity aria-busy:opacity-60">
        <h2
          id={headingId}
          tabIndex={-1}
          className="text-2xl font-bold text-slate-950 focus:outline-none dark:text-white"
        >
          {step.title}
        </h2>
        {shown ? (
          <Notice
            tone="warning"
            live
            transient
            title={
              shown.keysForgotten ? 'Paste your access keys again' : `${shown.from} needs this step first`
            }
          >
            <p>
              {shown.keysForgotten
                ? 'Access keys are kept only in this tab’s memory, so reloading the page forgot them. Your other answers are kept.'
                : `You asked for “${shown.from}”, but “${step.title}” is not finished yet.`}
            </p>
          </Notice>
        ) : null}
        <Suspense
          fallback={
            // A screen tall while the step's code loads: the footer starts below the fold, so the
            // step arriving does not move it (Lighthouse counted that shift on the result step).
            <p className="min-h-dvh text-sm text-slate-700 dark:text-slate-300">
              Loading {step.title.toLowerCase()}…
            </p>
          }
        >
          <Component key={step.id} {...props} />
        </Suspense>
      </div>
    </div>
  );
}
