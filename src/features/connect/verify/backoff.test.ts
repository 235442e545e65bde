import { describe, expect, it } from 'vitest';
import { worthWaiting } from '../../../domain/diagnosis/catalogue.ts';
import { backoffMs, WAIT_MAX_ATTEMPTS, waitBudgetMs } from './backoff.ts';

describe('backoffMs', () => {
  it.each([
    [1, 2_000],
    [2, 4_000],
    [3, 8_000],
    [4, 15_000],
    [11, 15_000],
  ])('after attempt %i waits %i ms', (attempt, ms) => {
    expect(backoffMs(attempt)).toBe(ms);
  });

  it('bounds the whole wait to a few minutes', () => {
    expect(WAIT_MAX_ATTEMPTS).toBeGreaterThan(3);
    expect(waitBudgetMs()).toBeLessThanOrEqual(180_000);
  });
});

describe('worthWaiting', () => {
  it.each([
    ['EXTERNAL_ID_MISMATCH', true],
    ['TRUST_PRINCIPAL_MISMATCH', true],
    ['PERMISSIONS_INCOMPLETE', true],
    // A stack still being created has no role yet.
    ['ROLE_NOT_FOUND', true],
    ['SOURCE_NO_CREDENTIALS', false],
    ['SOURCE_KEY_INVALID', false],
    ['INVALID_INPUT', false],
    ['DURATION_EXCEEDS_MAX', false],
    ['OK', false],
  ] as const)('%s -> %s', (code, expected) => {
    expect(worthWaiting(code)).toBe(expected);
  });
});
