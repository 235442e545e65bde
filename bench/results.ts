import { type BenchSection, central, type Figure, statusOf } from './lib/figures.ts';

// Renders bench/RESULTS.md. Pure: run.ts passes everything in, so the layout is testable.

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  os: string;
  chromium?: string;
}

export interface ResultsInput {
  date: string;
  durationS: number;
  machine: Machine;
  commands: string[];
  sections: BenchSection[];
  /** Benches that failed to run, with their error message. */
  failures: { title: string; message: string }[];
}

const DEFAULT_DIGITS: Record<string, number> = {
  '': 0,
  KB: 1,
  MB: 1,
  '%': 1,
  ms: 0,
  x: 2,
  score: 0,
  calls: 0,
  errors: 0,
  'req/s': 0,
  s: 2,
};

export function formatValue(value: number, unit: string, digits?: number): string {
  if (Number.isNaN(value)) return 'n/a';
  const d = digits ?? DEFAULT_DIGITS[unit] ?? 2;
  const text = value.toFixed(d);
  return unit ? `${text} ${unit}` : text;
}

function formatFigure(f: Figure): { value: string; spread: string } {
  const v = f.value;
  if (typeof v === 'number') return { value: formatValue(v, f.unit, f.digits), spread: 'one value' };
  const range = `${formatValue(v.min, '', f.digits ?? DEFAULT_DIGITS[f.unit])}–${formatValue(v.max, f.unit, f.digits)}`;
  return { value: formatValue(v.median, f.unit, f.digits), spread: `${range} (${v.runs.length} runs)` };
}

function formatTarget(f: Figure): string {
  if (!f.target) return '—';
  const op = { '<=': '≤', '>=': '≥', '==': '=' }[f.target.op];
  return `${op} ${formatValue(f.target.value, f.unit, f.digits)}`;
}

export function summaryTable(sections: BenchSection[]): string {
  const rows = sections.flatMap((s) =>
    s.figures.map((f) => {
      const { value, spread } = formatFigure(f);
      const status = statusOf(f);
      const mark = status === 'met' ? '**met**' : status === 'missed' ? '**MISSED**' : '—';
      return `| ${s.title} | ${f.label} | ${formatTarget(f)} | ${value} | ${spread} | ${mark} | ${f.note ?? ''} |`;
    }),
  );
  return [
    '| bench | figure | target | median | spread (min–max) | status | note |',
    '| --- | --- | --- | ---: | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

export function renderResults(input: ResultsInput): string {
  const all = input.sections.flatMap((s) => s.figures);
  const missed = all.filter((f) => statusOf(f) === 'missed');
  const targeted = all.filter((f) => f.target);
  const m = input.machine;
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` (bench/run.ts) on ${input.date}, in ${Math.round(input.durationS)} s. ` +
      'The figures are the ones the commands below printed on this machine; targets are from issue 7 ' +
      'and are judged on the median over runs. 1 KB = 1000 bytes.',
    '',
    '## Machine',
    '',
    `- CPU: ${m.cpus} (nproc) × ${m.cpuModel}`,
    `- Memory: ${m.memoryGb.toFixed(1)} GB`,
    `- Node: ${m.node}; OS: ${m.os}`,
    ...(m.chromium ? [`- Chromium: ${m.chromium}`] : []),
    '',
    '## Commands',
    '',
    '```sh',
    ...input.commands,
    '```',
    '',
    '## Summary',
    '',
    `${targeted.length - missed.length} of ${targeted.length} targets met` +
      (missed.length ? `; missed: ${missed.map((f) => f.label).join(', ')}.` : '.'),
    ...(input.failures.length
      ? ['', ...input.failures.map((f) => `- **${f.title} did not run**: ${f.message.split('\n')[0]}`)]
      : []),
    '',
    summaryTable(input.sections),
    '',
    ...input.sections.flatMap((s) => [`## ${s.title}`, '', s.markdown.trim(), '']),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The headline value of a figure, for console output. */
export function headline(f: Figure): string {
  return `${f.label}: ${formatValue(central(f.value), f.unit, f.digits)} [${statusOf(f)}]`;
}
