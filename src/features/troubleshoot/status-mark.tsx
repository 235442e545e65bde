// A status shown as a glyph AND words, never colour alone (WCAG 1.4.1). Colours meet 4.5:1 on the
// panel backgrounds in both themes.

import { GLYPHS, type Tone } from './status-glyphs.ts';

const TONES: Record<Tone, string> = {
  pass: 'border-green-700 bg-green-50 text-green-900 dark:border-green-400 dark:bg-green-950 dark:text-green-100',
  fail: 'border-red-700 bg-red-50 text-red-900 dark:border-red-400 dark:bg-red-950 dark:text-red-100',
  warn: 'border-amber-700 bg-amber-50 text-amber-950 dark:border-amber-400 dark:bg-amber-950 dark:text-amber-100',
  skipped:
    'border-slate-500 bg-slate-50 text-slate-800 dark:border-slate-400 dark:bg-slate-800 dark:text-slate-100',
  info: 'border-blue-700 bg-blue-50 text-blue-900 dark:border-blue-400 dark:bg-blue-950 dark:text-blue-100',
};

export function StatusMark({ tone, text }: { tone: Tone; text: string }) {
  const className = TONES[tone];
  return (
    <span
      className={`inline-flex shrink-0 items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-semibold ${className}`}
    >
      <span aria-hidden="true">{GLYPHS[tone]}</span>
      {text}
    </span>
  );
}
