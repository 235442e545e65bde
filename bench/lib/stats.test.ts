import { describe, expect, it } from 'vitest';
import { median, percentile, spread } from './stats.ts';

describe('percentile (nearest rank)', () => {
  const samples = [15, 20, 35, 40, 50];
  it.each([
    [0, 15],
    [5, 15],
    [30, 20],
    [40, 20],
    [50, 35],
    [95, 50],
    [100, 50],
  ])('p%d of [15,20,35,40,50] is %d', (p, expected) => {
    expect(percentile(samples, p)).toBe(expected);
  });

  it('does not depend on input order', () => {
    expect(percentile([50, 15, 40, 20, 35], 50)).toBe(35);
  });

  it('is NaN without samples', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('median and spread', () => {
  it.each([
    [[3], 3],
    [[1, 3], 2],
    [[9, 1, 5], 5],
    [[4, 1, 3, 2], 2.5],
  ])('median of %j is %d', (runs, expected) => {
    expect(median(runs)).toBe(expected);
  });

  it('keeps the runs and their range', () => {
    expect(spread([5, 1, 9])).toEqual({ median: 5, min: 1, max: 9, runs: [5, 1, 9] });
  });
});
