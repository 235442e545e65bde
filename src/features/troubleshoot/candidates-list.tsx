import { CodeBlock } from '../../components/ui/code-block.tsx';
import type { Candidate } from '../../domain/diagnosis/candidates.ts';
import { RUN_IN_LABELS } from '../../domain/diagnosis/labels.ts';

// A suspected cause's candidates, most likely first: why each is plausible from what AWS answered
// and what was entered, and the one check that tells it apart.

export function CandidatesList({ candidates }: { candidates: readonly Candidate[] }) {
  return (
    <ol aria-label="Possible causes" className="ml-6 list-decimal space-y-4 marker:font-semibold">
      {candidates.map((c, i) => (
        <li key={c.code} className="pl-1" data-candidate={c.code}>
          <p className="font-medium">
            {c.title} <span className="font-mono text-xs">({c.code})</span>
          </p>
          <p>{c.why}</p>
          <p className="mt-1 text-sm">
            <span className="font-medium">Check: </span>
            {c.check.text}
          </p>
          {c.check.command ? (
            <div className="mt-2" {...(c.check.runIn ? { 'data-run-in': c.check.runIn } : {})}>
              <CodeBlock
                label={c.check.runIn ? `Run ${RUN_IN_LABELS[c.check.runIn]}:` : 'Command:'}
                copyLabel={`the check for cause ${i + 1}`}
                code={c.check.command}
              />
            </div>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
