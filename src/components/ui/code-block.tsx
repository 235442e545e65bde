import { CopyButton } from './copy-button.tsx';

export interface CodeBlockProps {
  /** What the block holds, shown above it and used in the copy button's name. */
  label: string;
  code: string;
}

/**
 * A command or snippet with a copy button. Long lines wrap instead of scrolling, so 320 px needs
 * no sideways scrolling (WCAG 1.4.10); the copy button copies the exact text.
 */
export function CodeBlock({ label, code }: CodeBlockProps) {
  return (
    <div className="min-w-0">
      <div className="mb-1 flex flex-wrap items-center justify-between gap-2 text-sm font-semibold text-slate-900 dark:text-slate-100">
        <span>{label}</span>
        <CopyButton value={code} label={label} />
      </div>
      <pre className="rounded-md bg-slate-100 p-3 font-mono text-sm wrap-anywhere whitespace-pre-wrap text-slate-900 dark:bg-slate-950 dark:text-slate-100 dark:ring-1 dark:ring-slate-700">
        <code>{code}</code>
      </pre>
    </div>
  );
}
