import { LruCache } from '../verify/lru-cache.ts';

// A token bucket per caller (issue 14): every verification of a bulk run takes the STS calls it
// will make before it starts, so however many runs one identity starts, together they stay under
// the rate it was given. A Throttling answer pauses the bucket: AWS's own bucket for that caller
// is empty, and every worker waiting on it should back off, not only the one that was told.
// AWS throttles STS and IAM with token buckets per account and endpoint:
// https://aws.amazon.com/blogs/security/how-to-monitor-and-query-iam-resources-at-scale-part-2/
// https://repost.aws/knowledge-center/iam-sts-throttling-error

interface Waiter {
  n: number;
  resolve: (ok: boolean) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export class TokenBucket {
  private tokens: number;
  private last: number;
  private pausedUntil = 0;
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Tokens handed out since creation (tests and the bench read it). */
  taken = 0;

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.ratePerSecond) / 1000);
    this.last = t;
  }

  /** Waits, first come first served, until `n` tokens are there; false when the signal aborts first. */
  take(n: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    const need = Math.min(n, this.burst);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        n: need,
        resolve,
        signal,
        onAbort: () => {
          const i = this.queue.indexOf(waiter);
          if (i >= 0) this.queue.splice(i, 1);
          resolve(false);
          this.schedule();
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.queue.push(waiter);
      this.drain();
    });
  }

  /** Gives back tokens a verification did not use (it stopped before its last call). */
  refund(n: number): void {
    this.refill();
    this.tokens = Math.min(this.burst, this.tokens + n);
    this.taken -= n;
    this.drain();
  }

  /** Hands out nothing for `ms` (AWS answered Throttling). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
    this.schedule();
  }

  private drain(): void {
    this.refill();
    while (this.queue.length > 0 && this.now() >= this.pausedUntil) {
      const head = this.queue[0] as Waiter;
      if (this.tokens < head.n) break;
      this.queue.shift();
      this.tokens -= head.n;
      this.taken += head.n;
      head.signal?.removeEventListener('abort', head.onAbort);
      head.resolve(true);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const head = this.queue[0];
    if (!head) return;
    const forTokens = head.n > this.tokens ? ((head.n - this.tokens) * 1000) / this.ratePerSecond : 0;
    const wait = Math.max(forTokens, this.pausedUntil - this.now(), 1);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.drain();
    }, Math.ceil(wait));
  }
}

/** One bucket per caller: the server's own identity, or each access key. Bounded like every cache here. */
export class BucketRegistry {
  private readonly buckets = new LruCache<string, TokenBucket>(1000, () => {});

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
  ) {}

  for(caller: string): TokenBucket {
    let bucket = this.buckets.get(caller);
    if (!bucket) {
      bucket = new TokenBucket(this.ratePerSecond, this.burst);
      this.buckets.set(caller, bucket);
    }
    return bucket;
  }
}
