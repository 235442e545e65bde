import { DiffText, PlainValue } from './diff-text.tsx';
import { evidenceModel } from './guidance-model.ts';

// The values guidance.shows names, side by side: pairs (what the settings say / what AWS saw)
// with the differing part highlighted, then the rest as a plain list.

const CELL = 'min-w-0 rounded-md border border-slate-300 p-3 dark:border-slate-600';
const LABEL = 'text-sm font-medium text-slate-700 dark:text-slate-300';

export function EvidenceList({
  shows,
  evidence,
}: {
  shows: readonly string[];
  evidence: Readonly<Record<string, string>>;
}) {
  const { pairs, singles } = evidenceModel(shows, evidence);
  return (
    <div className="space-y-3">
      {pairs.map(({ expected, actual, diff }) => (
        <dl key={`${expected.key}-${actual.key}`} className="grid gap-2 @lg:grid-cols-2">
          <div className={CELL}>
            <dt className={LABEL}>{expected.label}</dt>
            <dd>
              {diff.equal ? <PlainValue value={expected.value} /> : <DiffText parts={diff} side="expected" />}
            </dd>
          </div>
          <div className={CELL}>
            <dt className={LABEL}>{actual.label}</dt>
            <dd>
              {diff.equal ? <PlainValue value={actual.value} /> : <DiffText parts={diff} side="actual" />}
            </dd>
          </div>
        </dl>
      ))}
      {singles.length > 0 ? (
        <dl className="grid gap-x-4 gap-y-2 @lg:grid-cols-[minmax(10rem,auto)_1fr]">
          {singles.map((item) => (
            <div key={item.key} className="contents">
              <dt className={LABEL}>{item.label}</dt>
              <dd className="mb-1 @lg:mb-0">
                <PlainValue value={item.value} />
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
    </div>
  );
}
