import { type Classified, classifyAwsError } from '../../domain/diagnosis/classify.ts';
import type { Outcome } from '../../domain/diagnosis/diagnose.ts';

// One AWS call as the verify service makes it: bounded by the per-verification concurrency limit,
// given a deadline (issue 5: "give each AWS call a timeout so no request hangs"), retried with
// exponential backoff and full jitter while throttled (bounded), timed, and classified.
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html

/** A counting semaphore: at most `max` AWS calls of one verification in flight (issue 8). */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  peak = 0;
  constructor(private readonly max: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export interface CallPolicy {
  timeoutMs: number;
  maxAttempts: number;
  baseDelayMs: number;
  limiter: Limiter;
  timings: { call: string; ms: number }[];
  /** The endpoint of the last request this verification sent. */
  endpoint: () => string | undefined;
  /** Aborted: no further attempt is sent and a call in flight is abandoned (a cancelled bulk run). */
  signal?: AbortSignal;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Runs `send` (an SDK call taking an abort signal) under the policy. Never throws. */
export async function callAws<T>(
  call: string,
  policy: CallPolicy,
  send: (abortSignal: AbortSignal) => Promise<T>,
): Promise<Outcome<T>> {
  const started = performance.now();
  const controller = new AbortController();
  // The deadline covers every attempt and backoff of this call, so throttling cannot stretch it.
  const deadline = setTimeout(() => controller.abort(), policy.timeoutMs);
  const cancel = () => controller.abort();
  policy.signal?.addEventListener('abort', cancel, { once: true });
  if (policy.signal?.aborted) controller.abort();
  let attempts = 0;
  let last: Classified | null = null;
  try {
    while (attempts < policy.maxAttempts) {
      if (policy.signal?.aborted) {
        last ??= cancelled(call);
        break;
      }
      attempts++;
      try {
        // Checked again once a slot is free: a call that waited for one must not go out after a cancel.
        const value = await policy.limiter.run(() =>
          controller.signal.aborted ? Promise.reject(cancelledError()) : send(controller.signal),
        );
        return { ok: true, value };
      } catch (err) {
        const previous = last as Classified | null;
        last = classifyAwsError(err, call);
        if (policy.signal?.aborted) {
          last = cancelled(call);
        } else if (controller.signal.aborted) {
          // Out of time: what earlier attempts answered (throttled, 5xx, reset) is the more useful answer.
          last =
            previous ?? classifyAwsError({ name: 'TimeoutError', message: timeoutMessage(policy) }, call);
        }
        if (!last?.retryable || attempts >= policy.maxAttempts) break;
        const delay = Math.random() * policy.baseDelayMs * 2 ** (attempts - 1);
        await sleep(delay, controller.signal);
        if (controller.signal.aborted) {
          // Out of time while backing off: report what kept failing, not a bare timeout.
          break;
        }
      }
    }
    const error = last ?? classifyAwsError(new Error('no attempt made'), call);
    const endpoint = policy.endpoint();
    return { ok: false, failure: { error, attempts, ...(endpoint ? { endpoint } : {}) } };
  } finally {
    clearTimeout(deadline);
    policy.signal?.removeEventListener('abort', cancel);
    policy.timings.push({ call, ms: Math.round((performance.now() - started) * 10) / 10 });
  }
}

const cancelledError = () => ({ name: 'AbortError', message: 'Cancelled before AWS answered.' });

/** The caller gave up (a cancelled run, a per-account deadline): not what AWS said. */
function cancelled(call: string): Classified {
  return classifyAwsError(cancelledError(), call);
}

function timeoutMessage(policy: CallPolicy): string {
  return `No answer within ${policy.timeoutMs} ms (AWS_CONNECT_AWS_TIMEOUT_MS).`;
}
