import { CopyButton } from '../../components/ui/copy-button.tsx';
import type { Candidate } from '../../domain/diagnosis/candidates.ts';
import { RUN_IN_LABELS } from '../../domain/diagnosis/labels.ts';

// A suspected cause's candidates, most likely first: why each is plausible from what AWS answered
// and what was entered, and the one check that tells it apart.

const CODE_BOX =
  'w-full min-w-0 flex-1 rounded-md bg-slate-100 px-3 py-2 font-mono text-sm break-all whitespace-pre-wrap text-slate-900 dark:bg-slate-950 dark:text-slate-100';

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
            <div className="mt-2 space-y-1">
              {c.check.runIn ? <p className="text-sm">Run {RUN_IN_LABELS[c.check.runIn]}:</p> : null}
              <div className="flex flex-col items-start gap-2 @md:flex-row">
                <pre className={CODE_BOX}>
                  <code>{c.check.command}</code>
                </pre>
                <CopyButton value={c.check.command} label={`the check for cause ${i + 1}`} />
              </div>
            </div>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
