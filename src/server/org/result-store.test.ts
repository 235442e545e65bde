import { describe, expect, it } from 'vitest';
import type { VerifyReport } from '../../domain/diagnosis-contract.ts';
import { InMemoryResultStore } from './result-store.ts';

// The in-memory result store: the latest report per account, bounded, oldest dropped first.

const report = (requestId: string) => ({ requestId, ok: true }) as unknown as VerifyReport;

describe('InMemoryResultStore', () => {
  it('keeps the latest report per account', async () => {
    const store = new InMemoryResultStore();
    await store.saveResult('111122223333', report('first'));
    await store.saveResult('111122223333', report('second'));
    expect(store.size).toBe(1);
    expect(store.latest('111122223333')?.report.requestId).toBe('second');
    expect(store.latest('111122223333')?.savedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(store.latest('999999999999')).toBeUndefined();
  });

  it('drops the account saved longest ago past its capacity', async () => {
    const store = new InMemoryResultStore(2);
    await store.saveResult('100000000001', report('a'));
    await store.saveResult('100000000002', report('b'));
    await store.saveResult('100000000001', report('a2'));
    await store.saveResult('100000000003', report('c'));
    expect(store.size).toBe(2);
    expect(store.latest('100000000002')).toBeUndefined();
    expect(store.latest('100000000001')?.report.requestId).toBe('a2');
  });
});
