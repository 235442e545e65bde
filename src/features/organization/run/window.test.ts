import { describe, expect, it } from 'vitest';
import { ROW_HEIGHT, rowWindow, VIRTUALIZE_AFTER } from './window.ts';

describe('rowWindow', () => {
  it('draws every row of a short table', () => {
    expect(rowWindow(VIRTUALIZE_AFTER, 5000, 400)).toEqual({
      first: 0,
      last: VIRTUALIZE_AFTER,
      before: 0,
      after: 0,
    });
  });

  it('past that, the rows in view and 8 either side; the spacers keep the full height', () => {
    const w = rowWindow(1000, 100 * ROW_HEIGHT, 10 * ROW_HEIGHT);
    expect(w).toEqual({ first: 92, last: 118, before: 92 * ROW_HEIGHT, after: (1000 - 118) * ROW_HEIGHT });
    expect(w.before + (w.last - w.first) * ROW_HEIGHT + w.after).toBe(1000 * ROW_HEIGHT);
  });

  it('clamps at both ends', () => {
    expect(rowWindow(1000, 0, 440)).toMatchObject({ first: 0, last: 18, before: 0 });
    expect(rowWindow(1000, 1000 * ROW_HEIGHT, 440)).toMatchObject({ last: 1000, after: 0 });
  });
});
