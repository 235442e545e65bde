import { Fragment } from 'react';
import { BreakableLine } from './breakable.tsx';
import { CopyButton } from './copy-button.tsx';

export interface CodeBlockProps {
  /** What the block holds, shown above it and used in the copy button's name. */
  label: string;
  code: string;
  /** The copy button's name when the label is not unique on the page ("Copy <copyLabel>"). */
  copyLabel?: string;
}

/**
 * A command or snippet with a copy button. Lines wrap at spaces and after commas, never inside a
 * word; a piece still too long for the screen scrolls sideways inside the block (the page does not,
 * WCAG 1.4.10). A wrapped line is indented under its start, so it never reads as a new line. The
 * copy button copies the exact text.
 */
export function CodeBlock({ label, code, copyLabel }: CodeBlockProps) {
  const lines = code.replace(/\n$/, '').split('\n');
  return (
    <div className="min-w-0">
      <div className="mb-1 flex flex-wrap items-center justify-between gap-2 text-sm font-semibold text-slate-900 dark:text-slate-100">
        <span>{label}</span>
        <CopyButton value={code} label={copyLabel ?? label} />
      </div>
      <pre
        // Focusable, so keyboard users can scroll a block that is wider than the screen.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus (axe scrollable-region-focusable)
        tabIndex={0}
        className="overflow-x-auto rounded-md bg-slate-100 p-3 font-mono text-sm whitespace-pre-wrap text-slate-900 dark:bg-slate-950 dark:text-slate-100 dark:ring-1 dark:ring-slate-700"
      >
        <code>
          {lines.map((line, i) => (
            // The line break is text, so the block's text is the command as copied (a multi-line
            // command with "\" continuations stays one command); each line is an inline-block
            // the width of the block, which gives its hanging indent without adding a line break
            // of its own to a selection.
            // biome-ignore lint/suspicious/noArrayIndexKey: lines of static text, never reordered
            <Fragment key={i}>
              {i > 0 ? '\n' : null}
              <span className="inline-block min-h-[1lh] w-full pl-[4ch] -indent-[4ch]">
                <BreakableLine line={line} />
              </span>
            </Fragment>
          ))}
        </code>
      </pre>
    </div>
  );
}
