import { CodeBlock } from '../../components/ui/code-block.tsx';
import type { Guidance } from '../../domain/diagnosis/guidance.ts';
import { RUN_IN_LABELS } from '../../domain/diagnosis/labels.ts';

// The numbered fix: each step's command and value come from this user's own inputs (guidanceFor),
// each command says whose credentials it runs with, and a copy button sits beside each. The shared
// CodeBlock breaks lines at spaces and argument boundaries, never inside a word, and scrolls a piece
// still too long inside the block, so 320 px needs no page scrolling (WCAG 1.4.10 reflow).

export function FixSteps({ steps }: { steps: Guidance['steps'] }) {
  return (
    <ol className="ml-6 list-decimal space-y-4 marker:font-semibold">
      {steps.map((step, i) => (
        // Steps are a fixed, ordered list from guidanceFor: the position is their identity.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <li key={i} className="min-w-0 pl-1">
          <p>{step.text}</p>
          {step.command ? (
            <div className="mt-2" {...(step.runIn ? { 'data-run-in': step.runIn } : {})}>
              <CodeBlock
                label={step.runIn ? `Run ${RUN_IN_LABELS[step.runIn]}:` : 'Command:'}
                copyLabel={`the command for step ${i + 1}`}
                code={step.command}
              />
            </div>
          ) : null}
          {step.value ? (
            <div className="mt-2">
              <CodeBlock
                label={`${step.value.label}:`}
                copyLabel={step.value.label}
                code={step.value.value}
              />
            </div>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
