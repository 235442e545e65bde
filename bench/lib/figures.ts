import type { Spread } from './stats.ts';

// What every bench returns to run.ts, which renders them into bench/RESULTS.md.
// A bench (bench/soak.ts included) exports `run<Name>(options)` resolving to a BenchSection.

export interface Target {
  op: '<=' | '>=' | '==';
  value: number;
}

export interface Figure {
  label: string;
  /** Unit shown after the number: "KB", "ms", "x", "score", "calls", "req/s", "". */
  unit: string;
  /** Median and spread over runs, or one exact value (bytes, counts). */
  value: Spread | number;
  target?: Target;
  /** How to read the figure, shown in the summary table. */
  note?: string;
  /** Decimal places shown; defaults by unit. */
  digits?: number;
}

export interface BenchSection {
  title: string;
  figures: Figure[];
  /** Detail tables and method notes for this section, in Markdown. */
  markdown: string;
}

export type Status = 'met' | 'missed' | 'n/a';

export function central(value: Spread | number): number {
  return typeof value === 'number' ? value : value.median;
}

/** A target is judged on the median over runs (issue 7: medians, with the spread shown). */
export function statusOf(figure: Figure): Status {
  if (!figure.target) return 'n/a';
  const v = central(figure.value);
  if (Number.isNaN(v)) return 'missed';
  const { op, value } = figure.target;
  if (op === '<=') return v <= value ? 'met' : 'missed';
  if (op === '>=') return v >= value ? 'met' : 'missed';
  return v === value ? 'met' : 'missed';
}
