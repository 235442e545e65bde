import { CopyButton } from '../../components/ui/copy-button.tsx';
import type { Guidance } from '../../domain/diagnosis/guidance.ts';
import { RUN_IN_LABELS } from '../../domain/diagnosis/labels.ts';

// The numbered fix: each step's command and value come from this user's own inputs (guidanceFor),
// each command says whose credentials it runs with, and a copy button sits beside each. Text wraps instead of scrolling so 320 px needs no
// horizontal scrolling (WCAG 1.4.10 reflow).

const CODE_BOX =
  'w-full min-w-0 flex-1 rounded-md bg-slate-100 px-3 py-2 font-mono text-sm break-all whitespace-pre-wrap text-slate-900 dark:bg-slate-950 dark:text-slate-100';

export function FixSteps({ steps }: { steps: Guidance['steps'] }) {
  return (
    <ol className="ml-6 list-decimal space-y-4 marker:font-semibold">
      {steps.map((step, i) => (
        // Steps are a fixed, ordered list from guidanceFor: the position is their identity.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <li key={i} className="pl-1">
          <p>{step.text}</p>
          {step.command && step.runIn ? (
            <p className="mt-1 text-sm font-medium" data-run-in={step.runIn}>
              Run {RUN_IN_LABELS[step.runIn]}:
            </p>
          ) : null}
          {step.command ? (
            <div className="mt-2 flex flex-col items-start gap-2 @md:flex-row">
              <pre className={CODE_BOX}>
                <code>{step.command}</code>
              </pre>
              <CopyButton value={step.command} label={`the command for step ${i + 1}`} />
            </div>
          ) : null}
          {step.value ? (
            // Label on its own line, then value and copy button stacked like a command: in a
            // wrapping row the value was squeezed to a few characters' width at 375 px.
            <div className="mt-2">
              <p className="font-medium">{step.value.label}:</p>
              <div className="mt-1 flex flex-col items-start gap-2 @md:flex-row">
                <code className={`block ${CODE_BOX}`}>{step.value.value}</code>
                <CopyButton value={step.value.value} label={step.value.label} />
              </div>
            </div>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
