import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { VerifyReport } from '../../domain/diagnosis-contract.ts';
import type { AccountEvent, PlannedAccount } from '../../domain/org-contract.ts';
import { type BulkOptions, runBulk, STS_CALLS_PER_VERIFICATION } from './bulk.ts';
import type { AccountResult, ResultStore } from './result-store.ts';
import { TokenBucket } from './token-bucket.ts';

// The bulk scheduler on a fake clock, with a stand-in for the verify service (the verification
// itself is tested against the sandbox in bulk.sandbox.test.ts): concurrency, the token bucket,
// throttling retries, the per-account timeout, cancel, and the events.

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const accounts = (n: number): PlannedAccount[] =>
  Array.from({ length: n }, (_, i) => {
    const accountId = String(100000000000 + i);
    return { accountId, roleArn: `arn:aws:iam::${accountId}:role/ProwlerScan` };
  });

const report = (code: string, connected = code === 'OK') =>
  ({ ok: code === 'OK', connected, diagnosis: { code } }) as unknown as VerifyReport;

/** A verification taking `ms`, answering `answer(accountId, attempt)`, honouring its abort signal. */
function fakeVerify(ms: number, answer: (accountId: string, attempt: number) => string = () => 'OK') {
  const attempts = new Map<string, number>();
  const log = { started: [] as { accountId: string; at: number }[], active: 0, peak: 0 };
  const verify: BulkOptions['verify'] = (account, signal) =>
    new Promise((resolve) => {
      const attempt = (attempts.get(account.accountId) ?? 0) + 1;
      attempts.set(account.accountId, attempt);
      log.started.push({ accountId: account.accountId, at: Date.now() });
      log.active++;
      log.peak = Math.max(log.peak, log.active);
      const done = (code: string) => {
        clearTimeout(timer);
        log.active--;
        resolve(report(code));
      };
      const timer = setTimeout(() => done(answer(account.accountId, attempt)), ms);
      signal.addEventListener('abort', () => done('STS_TIMEOUT'), { once: true });
    });
  return { verify, log };
}

/** Records what the run hands the store (the store itself is tested in org-results.sandbox.test.ts). */
class RecordingStore implements ResultStore {
  readonly saved = new Map<string, AccountResult>();
  async saveResult(result: AccountResult) {
    this.saved.set(result.account.accountId, result);
    return { connectionId: `connection-${result.account.accountId}` };
  }
  get size() {
    return this.saved.size;
  }
}

function options(over: Partial<BulkOptions> & Pick<BulkOptions, 'verify'>): BulkOptions {
  return {
    runId: 'run',
    concurrency: 4,
    accountTimeoutMs: 10_000,
    maxAttempts: 3,
    throttleBackoffMs: 100,
    bucket: new TokenBucket(10_000, 10_000, () => Date.now()),
    store: new RecordingStore(),
    saving: {
      request: (a) => ({ source: { kind: 'sdk-default' }, roleArn: a.roleArn, externalId: 'x'.repeat(8) }),
      owner: 'the-session',
    },
    signal: new AbortController().signal,
    ...over,
  };
}

async function run(list: PlannedAccount[], opts: BulkOptions, advance = 60_000) {
  const events: AccountEvent[] = [];
  const done = runBulk(list, opts, (e) => events.push(e));
  await vi.advanceTimersByTimeAsync(advance);
  return { events, summary: await done };
}

describe('runBulk', () => {
  it('every account exactly once, indexed in finishing order, at most `concurrency` at once', async () => {
    const { verify, log } = fakeVerify(100);
    const store = new RecordingStore();
    const { events, summary } = await run(accounts(10), options({ verify, store }));
    expect(events.map((e) => e.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(new Set(events.map((e) => e.accountId)).size).toBe(10);
    expect(log.peak).toBe(4);
    // ceil(10 / 4) rounds of 100 ms.
    expect(Math.max(...log.started.map((s) => s.at)) - Math.min(...log.started.map((s) => s.at))).toBe(200);
    expect(summary).toMatchObject({
      total: 10,
      completed: 10,
      ok: 10,
      connected: 10,
      byCode: { OK: 10 },
      failed: [],
      cancelled: false,
    });
    expect(store.size).toBe(10);
    expect(events.every((e) => e.saved && e.attempts === 1 && !e.timedOut)).toBe(true);
    // Each event names the connection its result went to; the store got the account, its keyless request and the owner.
    expect(events.every((e) => e.connectionId === `connection-${e.accountId}`)).toBe(true);
    expect(store.saved.get('100000000003')).toMatchObject({
      account: { accountId: '100000000003' },
      request: { source: { kind: 'sdk-default' }, roleArn: 'arn:aws:iam::100000000003:role/ProwlerScan' },
      owner: 'the-session',
      durationMs: expect.any(Number),
    });
  });

  it('takes each verification’s STS calls from the bucket: 10 calls/s at 3 a verification', async () => {
    const { verify, log } = fakeVerify(1);
    const bucket = new TokenBucket(10, 3, () => Date.now());
    await run(accounts(4), options({ verify, bucket, concurrency: 4 }));
    const t0 = log.started[0]?.at ?? 0;
    expect(log.started.map((s) => s.at - t0)).toEqual([0, 300, 600, 900]);
    expect(bucket.taken).toBe(4 * STS_CALLS_PER_VERIFICATION);
  });

  it('keeps the probe’s token when the role was not assumed: the probe went out with AssumeRole', async () => {
    const { verify } = fakeVerify(1, () => 'EXTERNAL_ID_MISMATCH');
    const bucket = new TokenBucket(1000, 1000, () => Date.now());
    const { summary } = await run(accounts(3), options({ verify, bucket }));
    expect(bucket.taken).toBe(3 * STS_CALLS_PER_VERIFICATION);
    expect(summary).toMatchObject({ ok: 0, connected: 0, byCode: { EXTERNAL_ID_MISMATCH: 3 } });
    expect(summary.failed).toHaveLength(3);
  });

  it('verifies a THROTTLED account again after a backoff, up to maxAttempts', async () => {
    const { verify } = fakeVerify(10, (id, attempt) =>
      id.endsWith('0') && attempt < 3 ? 'THROTTLED' : id.endsWith('1') ? 'THROTTLED' : 'OK',
    );
    const { events, summary } = await run(accounts(3), options({ verify }));
    const byId = Object.fromEntries(events.map((e) => [e.accountId, e]));
    expect(byId['100000000000']).toMatchObject({ code: 'OK', attempts: 3 });
    expect(byId['100000000001']).toMatchObject({ code: 'THROTTLED', attempts: 3, ok: false });
    expect(byId['100000000002']).toMatchObject({ code: 'OK', attempts: 1 });
    expect(summary.byCode).toEqual({ OK: 2, THROTTLED: 1 });
  });

  it('an account past its timeout: STS_TIMEOUT, no report, nothing saved; the others go on', async () => {
    const { verify } = fakeVerify(50);
    const slow: BulkOptions['verify'] = (account, signal) =>
      account.accountId.endsWith('1')
        ? new Promise((resolve) => signal.addEventListener('abort', () => resolve(report('STS_TIMEOUT'))))
        : verify(account, signal);
    const store = new RecordingStore();
    const { events, summary } = await run(
      accounts(3),
      options({ verify: slow, store, accountTimeoutMs: 1000 }),
    );
    const timedOut = events.find((e) => e.accountId === '100000000001');
    expect(timedOut).toMatchObject({
      code: 'STS_TIMEOUT',
      timedOut: true,
      report: null,
      saved: false,
      ok: false,
    });
    expect(events.at(-1)?.accountId).toBe('100000000001');
    expect(store.saved.has('100000000001')).toBe(false);
    expect(timedOut?.connectionId).toBeUndefined();
    expect(summary).toMatchObject({ completed: 3, ok: 2, byCode: { OK: 2, STS_TIMEOUT: 1 } });
  });

  it('cancel: no verification starts after it, those in flight get no event, the summary says so', async () => {
    const { verify, log } = fakeVerify(100);
    const controller = new AbortController();
    const events: AccountEvent[] = [];
    const done = runBulk(accounts(20), options({ verify, signal: controller.signal, concurrency: 4 }), (e) =>
      events.push(e),
    );
    await vi.advanceTimersByTimeAsync(150);
    controller.abort();
    await vi.advanceTimersByTimeAsync(10_000);
    const summary = await done;
    expect(log.started).toHaveLength(8);
    expect(events).toHaveLength(4);
    expect(summary).toMatchObject({ total: 20, completed: 4, cancelled: true });
  });

  it('an empty list: the summary at once', async () => {
    const { verify } = fakeVerify(1);
    const { events, summary } = await run([], options({ verify }));
    expect(events).toEqual([]);
    expect(summary).toMatchObject({ total: 0, completed: 0, cancelled: false });
  });
});
