import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BucketRegistry, TokenBucket } from './token-bucket.ts';

// The token bucket on a fake clock: what it hands out, when, and in which order.

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const bucket = (rate: number, burst: number) => new TokenBucket(rate, burst, () => Date.now());

describe('TokenBucket', () => {
  it('hands out the burst at once, then the rate, first come first served', async () => {
    const b = bucket(10, 3);
    const order: string[] = [];
    const take = (name: string, n: number) =>
      b.take(n).then(() => order.push(`${name}@${Date.now() - start}`));
    const start = Date.now();
    const all = Promise.all([take('a', 3), take('b', 3), take('c', 1), take('d', 3)]);
    await vi.advanceTimersByTimeAsync(1000);
    await all;
    // a: the full bucket; b: 3 tokens at 10/s is 300 ms; c waits behind b (FIFO) then 100 ms; d 300 ms more.
    expect(order).toEqual(['a@0', 'b@300', 'c@400', 'd@700']);
    expect(b.taken).toBe(10);
  });

  it('a request above the burst waits for a full bucket instead of forever', async () => {
    const b = bucket(10, 2);
    await b.take(2);
    const p = b.take(5);
    await vi.advanceTimersByTimeAsync(199);
    let done = false;
    void p.then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    expect(await p).toBe(true);
  });

  it('pause holds everyone back; refund gives tokens back', async () => {
    const b = bucket(1000, 3);
    b.pause(500);
    const started = Date.now();
    const p = b.take(1);
    await vi.advanceTimersByTimeAsync(600);
    await p;
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    await b.take(2);
    b.refund(2);
    expect(b.taken).toBe(1);
  });

  it('an aborted wait resolves false, takes nothing and lets the next one through', async () => {
    const b = bucket(1, 1);
    await b.take(1);
    const controller = new AbortController();
    const waiting = b.take(1, controller.signal);
    const behind = b.take(1);
    controller.abort();
    expect(await waiting).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await behind).toBe(true);
    expect(b.taken).toBe(2);
    expect(await b.take(1, controller.signal)).toBe(false);
  });
});

describe('BucketRegistry', () => {
  it('one bucket per caller', () => {
    const r = new BucketRegistry(50, 100);
    expect(r.for('sdk-default')).toBe(r.for('sdk-default'));
    expect(r.for('access-key:AKIAEXAMPLE')).not.toBe(r.for('sdk-default'));
    expect(r.for('sdk-default').ratePerSecond).toBe(50);
  });
});
