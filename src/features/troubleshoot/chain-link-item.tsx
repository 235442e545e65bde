import { DiffText, PlainValue } from './diff-text.tsx';
import { StatusMark } from './status-mark.tsx';
import type { ChainLink } from './trust-chain-model.ts';

// One link of the trust chain: its status in glyph and words, then the policy's value(s) and the
// request's value side by side (stacked below 640 px), the differing part highlighted.

const CELL = 'min-w-0 rounded-md bg-slate-50 p-2 dark:bg-slate-800';
const LABEL = 'text-xs font-semibold tracking-wide text-slate-700 uppercase dark:text-slate-300';
const FRAME = {
  pass: 'border-green-700 dark:border-green-400',
  fail: 'border-red-700 dark:border-red-400',
  info: 'border-slate-400 dark:border-slate-500',
} as const;

function ExpectedValues({ link }: { link: ChainLink }) {
  const { diff } = link;
  const diffed = diff ? diff.prefix + diff.expected + diff.suffix : null;
  return (
    <ul className="space-y-1">
      {link.expected.map((value) => (
        <li key={value}>
          {diff && value === diffed ? (
            <DiffText parts={diff} side="expected" />
          ) : (
            <PlainValue value={value} />
          )}
        </li>
      ))}
    </ul>
  );
}

export function ChainLinkItem({ link, first }: { link: ChainLink; first: boolean }) {
  const showExpected = link.kind !== 'caller' || link.expected.length > 0;
  return (
    <li className="relative">
      {first ? null : (
        <span aria-hidden="true" className="block pl-4 text-slate-600 dark:text-slate-400">
          ↓
        </span>
      )}
      <div
        className={`rounded-md border-l-4 bg-white p-3 ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700 ${FRAME[link.status]}`}
      >
        <div className="flex flex-wrap items-center gap-2">
          <StatusMark tone={link.status} text={link.statusText} />
          <span className="min-w-0 font-mono text-sm font-semibold wrap-anywhere">{link.title}</span>
        </div>
        <dl className={`mt-2 grid gap-2 ${showExpected ? '@md:grid-cols-2' : ''}`}>
          {showExpected ? (
            <div className={CELL}>
              <dt className={LABEL}>
                {link.expectedLabel}
                {link.expected.length > 1 ? ' (any of)' : ''}
              </dt>
              <dd>
                {link.expected.length > 0 ? (
                  <ExpectedValues link={link} />
                ) : (
                  <span className="text-sm italic">(nothing)</span>
                )}
              </dd>
            </div>
          ) : null}
          <div className={CELL}>
            <dt className={LABEL}>{link.actualLabel}</dt>
            <dd>
              {link.actual === null ? (
                <span className="text-sm italic">{link.missingText}</span>
              ) : link.diff ? (
                <DiffText parts={link.diff} side="actual" />
              ) : (
                <PlainValue value={link.actual} />
              )}
            </dd>
          </div>
        </dl>
        {link.note ? <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">{link.note}</p> : null}
      </div>
    </li>
  );
}
