import type { DiffParts } from './text-diff.ts';

// One side of a diff, with its differing middle marked. The mark is underlined as well as
// tinted so the highlight does not rely on colour (WCAG 1.4.1); screen readers get the differing
// part in words after the value, not inside it, so selecting the value copies it unchanged.

const MARK =
  'rounded-sm bg-amber-200 px-0.5 text-amber-950 underline decoration-amber-800 decoration-wavy decoration-1 underline-offset-2 dark:bg-amber-800 dark:text-amber-50 dark:decoration-amber-200';

export function DiffText({ parts, side }: { parts: DiffParts; side: 'expected' | 'actual' }) {
  const middle = side === 'expected' ? parts.expected : parts.actual;
  return (
    <>
      <code className="font-mono text-sm break-all">
        {parts.prefix}
        {middle === '' ? (
          // Nothing here where the other side has text: show where it is missing.
          <span
            aria-hidden="true"
            className="mx-px inline-block h-4 border-l-2 border-amber-700 align-middle dark:border-amber-300"
          />
        ) : (
          <mark className={MARK}>{middle}</mark>
        )}
        {parts.suffix}
      </code>
      <span className="sr-only">
        {middle === '' ? ' (lacks the other side’s text)' : ` (differing part: ${middle})`}
      </span>
    </>
  );
}

export function PlainValue({ value }: { value: string }) {
  return <code className="font-mono text-sm break-all">{value}</code>;
}
