import { describe, expect, it } from 'vitest';
import { type Figure, statusOf } from './lib/figures.ts';
import { formatValue, renderResults } from './results.ts';

const spreadOf = (runs: number[]) => ({
  median: [...runs].sort((a, b) => a - b)[runs.length >> 1]!,
  min: Math.min(...runs),
  max: Math.max(...runs),
  runs,
});

describe('statusOf', () => {
  it.each<[string, Figure, string]>([
    ['at most, under', { label: 'a', unit: 'KB', value: 99, target: { op: '<=', value: 100 } }, 'met'],
    ['at most, equal', { label: 'a', unit: 'KB', value: 100, target: { op: '<=', value: 100 } }, 'met'],
    ['at most, over', { label: 'a', unit: 'KB', value: 100.1, target: { op: '<=', value: 100 } }, 'missed'],
    [
      'at least, judged on the median',
      { label: 'b', unit: 'x', value: spreadOf([0.6, 0.75, 0.9]), target: { op: '>=', value: 0.7 } },
      'met',
    ],
    [
      'at least, median under',
      { label: 'b', unit: 'x', value: spreadOf([0.6, 0.65, 0.9]), target: { op: '>=', value: 0.7 } },
      'missed',
    ],
    ['exact', { label: 'c', unit: 'score', value: 100, target: { op: '==', value: 100 } }, 'met'],
    ['no value', { label: 'd', unit: 'ms', value: Number.NaN, target: { op: '<=', value: 1 } }, 'missed'],
    ['no target', { label: 'e', unit: 'ms', value: 5 }, 'n/a'],
  ])('%s', (_name, figure, expected) => {
    expect(statusOf(figure)).toBe(expected);
  });
});

describe('formatValue', () => {
  it.each([
    [82.345, 'KB', undefined, '82.3 KB'],
    [2.0512, 'x', undefined, '2.05 x'],
    [1234.6, 'ms', undefined, '1235 ms'],
    [Number.NaN, 'ms', undefined, 'n/a'],
    [0.5, '', 3, '0.500'],
    [3, '', undefined, '3'],
    [5.412, '%', undefined, '5.4 %'],
  ])('%d %s', (value, unit, digits, expected) => {
    expect(formatValue(value, unit, digits)).toBe(expected);
  });
});

describe('renderResults', () => {
  const md = renderResults({
    date: '2025-01-01T00:00:00.000Z',
    durationS: 42,
    machine: { cpus: 2, cpuModel: 'Test CPU', memoryGb: 4, node: 'v20.0.0', os: 'linux' },
    commands: ['npm run bench'],
    sections: [
      {
        title: 'Bundle',
        figures: [{ label: 'first-screen JS', unit: 'KB', value: 120, target: { op: '<=', value: 100 } }],
        markdown: 'per-file table',
      },
      {
        title: 'Verify latency',
        figures: [
          { label: 'ratio', unit: 'x', value: spreadOf([2.0, 1.9, 2.05]), target: { op: '<=', value: 2.1 } },
        ],
        markdown: 'latency table',
      },
    ],
    failures: [{ title: 'Page', message: 'chromium not found\nstack' }],
  });

  it('states machine, commands, each figure against its target, and what did not run', () => {
    expect(md).toContain('2 (nproc) × Test CPU');
    expect(md).toContain('npm run bench');
    expect(md).toContain('1 of 2 targets met; missed: first-screen JS.');
    expect(md).toMatch(
      /\| Bundle \| first-screen JS \| ≤ 100\.0 KB \| 120\.0 KB \| one value \| \*\*MISSED\*\* \|/,
    );
    expect(md).toMatch(
      /\| Verify latency \| ratio \| ≤ 2\.10 x \| 2\.00 x \| 1\.90–2\.05 x \(3 runs\) \| \*\*met\*\* \|/,
    );
    expect(md).toContain('**Page did not run**: chromium not found');
    expect(md).not.toContain('stack');
    expect(md).toContain('## Verify latency\n\nlatency table');
  });
});
