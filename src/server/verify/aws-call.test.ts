import { describe, expect, it } from 'vitest';
import { type CallPolicy, callAws, Limiter } from './aws-call.ts';

// The call policy on its own: the concurrency bound, bounded retries with backoff for throttling
// only, and the deadline that covers every attempt. (The same policy against the sandbox's faults
// is exercised over HTTP in verify-api.sandbox.test.ts.)

function policy(over: Partial<CallPolicy> = {}): CallPolicy {
  return {
    timeoutMs: 1000,
    maxAttempts: 3,
    baseDelayMs: 5,
    limiter: new Limiter(4),
    timings: [],
    endpoint: () => undefined,
    ...over,
  };
}
const throttling = () =>
  Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
const denied = () =>
  Object.assign(new Error('User: x is not authorized'), {
    name: 'AccessDenied',
    $metadata: { httpStatusCode: 403 },
  });

describe('Limiter', () => {
  it('never runs more than its bound at once', async () => {
    const limiter = new Limiter(4);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        limiter.run(async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 5));
          active--;
        }),
      ),
    );
    expect(peak).toBe(4);
    expect(limiter.peak).toBe(4);
  });

  it('releases its slot when the call fails', async () => {
    const limiter = new Limiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await expect(limiter.run(async () => 'next')).resolves.toBe('next');
  });
});

describe('callAws', () => {
  it('retries throttling up to maxAttempts, then reports THROTTLED with the attempts', async () => {
    let calls = 0;
    const p = policy();
    const r = await callAws('sts:AssumeRole', p, async () => {
      calls++;
      throw throttling();
    });
    expect(calls).toBe(3);
    expect(r).toMatchObject({ ok: false, failure: { attempts: 3, error: { code: 'THROTTLED' } } });
    expect(p.timings).toHaveLength(1);
    expect(p.timings[0]?.call).toBe('sts:AssumeRole');
  });

  it('succeeds when throttling clears', async () => {
    let calls = 0;
    const r = await callAws('sts:GetCallerIdentity', policy(), async () => {
      if (++calls < 3) throw throttling();
      return 'identity';
    });
    expect(r).toEqual({ ok: true, value: 'identity' });
  });

  it('does not retry an answer that will not change', async () => {
    let calls = 0;
    const r = await callAws('sts:AssumeRole', policy(), async () => {
      calls++;
      throw denied();
    });
    expect(calls).toBe(1);
    expect(r.ok).toBe(false);
  });

  // No elapsed-time bounds here (a loaded machine stretches them): the call below never answers
  // unless aborted, so an answer at all proves the deadline fired, and counts show what it cut.
  it('aborts a call that does not answer within the timeout', async () => {
    let calls = 0;
    const r = await callAws('sts:AssumeRole', policy({ timeoutMs: 200 }), (signal) => {
      calls++;
      return new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () =>
          reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })),
        );
      });
    });
    expect(r).toMatchObject({ ok: false, failure: { attempts: 1, error: { code: 'STS_TIMEOUT' } } });
    expect(calls).toBe(1);
  });

  it('the deadline covers the backoffs: still throttled when time runs out', async () => {
    let calls = 0;
    let aborted = false;
    const r = await callAws(
      'sts:AssumeRole',
      policy({ timeoutMs: 150, maxAttempts: 100, baseDelayMs: 40 }),
      async (signal) => {
        calls++;
        signal.addEventListener('abort', () => {
          aborted = true;
        });
        throw throttling();
      },
    );
    expect(r).toMatchObject({ ok: false, failure: { error: { code: 'THROTTLED' } } });
    // The deadline ended it, long before the 100 attempts allowed (backoff doubles from 40 ms).
    expect(aborted).toBe(true);
    expect(calls).toBeLessThan(20);
  });
});

describe('callAws with a cancel signal (bulk runs)', () => {
  it('sends nothing once the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    let sent = 0;
    const outcome = await callAws('sts:AssumeRole', policy({ signal: controller.signal }), async () => {
      sent++;
      return 'x';
    });
    expect(sent).toBe(0);
    expect(outcome.ok ? null : outcome.failure.error.awsError.message).toBe('Cancelled before AWS answered.');
  });

  it('abandons the call in flight and retries no more after an abort', async () => {
    const controller = new AbortController();
    let sent = 0;
    const outcome = await callAws(
      'sts:AssumeRole',
      policy({ signal: controller.signal, baseDelayMs: 50 }),
      (signal) => {
        sent++;
        return new Promise((_, reject) => {
          signal.addEventListener('abort', () =>
            reject(Object.assign(new Error('aborted'), { name: 'AbortError' })),
          );
          setTimeout(() => controller.abort(), 5);
        });
      },
    );
    expect(sent).toBe(1);
    expect(outcome.ok ? null : outcome.failure.error.awsError.message).toBe('Cancelled before AWS answered.');
  });
});
