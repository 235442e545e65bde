import type { Fact, FactKey } from '../../domain/diagnosis/evidence.ts';
import { DiffText, PlainValue } from './diff-text.tsx';
import { evidenceModel } from './guidance-model.ts';
import { Heading, type HeadingLevel } from './heading.tsx';

// The facts guidance.shows names: pairs side by side (what was entered against what AWS answered,
// each labelled by its source, the differing part highlighted), then the rest under where they
// came from. "What AWS saw" holds observations only; what was entered and what we infer follow.

const CELL = 'min-w-0 rounded-md border border-slate-300 p-3 dark:border-slate-600';
const LABEL = 'text-sm font-medium text-slate-700 dark:text-slate-300';
const SOURCE = 'block text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400';
const SECTION = 'text-base font-semibold text-slate-900 dark:text-slate-50';

const HEADINGS = {
  observed: 'What AWS saw',
  'observed-target': 'What AWS answered in the target account',
  declared: 'What you entered',
  inferred: 'What we infer',
} as const;

export function EvidenceList({
  shows,
  facts,
  level,
}: {
  shows: readonly FactKey[];
  facts: readonly Fact[];
  level: HeadingLevel;
}) {
  const { pairs, sections } = evidenceModel(shows, facts);
  return (
    <div className="space-y-4">
      {pairs.length > 0 ? (
        <div className="space-y-3">
          <Heading level={level} className={SECTION}>
            Side by side
          </Heading>
          {pairs.map(({ expected, actual, diff }) => (
            <dl key={`${expected.key}-${actual.key}`} className="grid gap-2 @lg:grid-cols-2">
              {[
                { side: 'expected' as const, item: expected },
                { side: 'actual' as const, item: actual },
              ].map(({ side, item }) => (
                <div key={side} className={CELL}>
                  <dt className={LABEL}>
                    <span className={SOURCE}>{item.source}</span>
                    {item.label}
                  </dt>
                  <dd>
                    {diff.equal ? <PlainValue value={item.value} /> : <DiffText parts={diff} side={side} />}
                  </dd>
                </div>
              ))}
            </dl>
          ))}
        </div>
      ) : null}
      {sections.map((section) => (
        <div key={section.id} className="space-y-2" data-facts={section.id}>
          <Heading level={level} className={SECTION}>
            {HEADINGS[section.id]}
          </Heading>
          <p className={SOURCE}>{section.title}</p>
          <dl className="grid gap-x-4 gap-y-2 @lg:grid-cols-[minmax(10rem,auto)_1fr]">
            {section.items.map((item) => (
              <div key={`${section.id}-${item.key}`} className="contents">
                <dt className={LABEL}>{item.label}</dt>
                <dd className="mb-1 @lg:mb-0">
                  <PlainValue value={item.value} />
                  <span className="block text-xs text-slate-600 dark:text-slate-400">{item.provenance}</span>
                </dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
    </div>
  );
}
