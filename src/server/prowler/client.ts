import { setTimeout as delay } from 'node:timers/promises';
import type { ProwlerSettings } from '../config.ts';

// The HTTP side of Prowler App's JSON:API (docs/prowler-api.md): the content type it insists on
// (anything else is 415), the `Api-Key` scheme, and bounded retries with backoff when it does not
// answer or answers "try later". It returns every HTTP answer; what a status means is push.ts's.

export const JSON_API = 'application/vnd.api+json';

export interface ProwlerRequest {
  method: 'GET' | 'POST' | 'PATCH';
  /** Below the base URL, e.g. "/providers". */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

export type ProwlerAnswer =
  | {
      answered: true;
      status: number;
      /** The parsed JSON body; undefined when it was not JSON. */
      body: unknown;
      contentLocation: string | null;
      attempts: number;
    }
  | { answered: false; kind: 'timeout' | 'unreachable'; message: string; attempts: number };

export interface ProwlerClientOptions extends ProwlerSettings {
  /** Attempts per request when Prowler does not answer or answers 429/502/503/504 (3). */
  maxAttempts?: number;
  /** First backoff in ms, doubled each retry, at most 5 s (250). */
  baseDelayMs?: number;
}

/** Answers worth another attempt: overload and gateway errors, never a refusal. */
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const MAX_DELAY_MS = 5_000;

function networkCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown; errors?: { code?: unknown }[] } };
  const candidates = [e?.code, e?.cause?.code, ...(e?.cause?.errors ?? []).map((x) => x?.code)];
  return candidates.find((c): c is string => typeof c === 'string');
}

export class ProwlerClient {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly #apiKey: string;
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;

  constructor(options: ProwlerClientOptions) {
    this.baseUrl = options.baseUrl;
    this.timeoutMs = options.timeoutMs;
    this.#apiKey = options.apiKey;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.#baseDelayMs = options.baseDelayMs ?? 250;
  }

  /** Any text that came from Prowler or the network, with the API key taken out (a canary test holds it). */
  redact(text: string): string {
    return text.split(this.#apiKey).join('[API key]');
  }

  // The key is kept in a private field and only ever written into this header: not in the
  // object's enumerable state, so logging the client shows no key.
  #headers(withBody: boolean): Record<string, string> {
    return {
      accept: JSON_API,
      authorization: `Api-Key ${this.#apiKey}`,
      ...(withBody ? { 'content-type': JSON_API } : {}),
    };
  }

  async send(request: ProwlerRequest): Promise<ProwlerAnswer> {
    const url = new URL(`${this.baseUrl}${request.path}`);
    for (const [k, v] of Object.entries(request.query ?? {})) url.searchParams.set(k, v);
    const withBody = request.body !== undefined;
    let last: ProwlerAnswer | null = null;
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      if (attempt > 1) await delay(this.#backoff(attempt, last));
      last = await this.#once(url, request, withBody, attempt);
      if (last.answered && !RETRY_STATUSES.has(last.status)) return last;
    }
    return last!;
  }

  #backoff(attempt: number, last: ProwlerAnswer | null): number {
    const exponential = Math.min(MAX_DELAY_MS, this.#baseDelayMs * 2 ** (attempt - 2));
    const retryAfter = last?.answered ? (last as { retryAfterMs?: number }).retryAfterMs : undefined;
    return retryAfter !== undefined ? Math.min(MAX_DELAY_MS, retryAfter) : exponential;
  }

  async #once(
    url: URL,
    request: ProwlerRequest,
    withBody: boolean,
    attempts: number,
  ): Promise<ProwlerAnswer> {
    try {
      const response = await fetch(url, {
        method: request.method,
        headers: this.#headers(withBody),
        ...(withBody ? { body: JSON.stringify(request.body) } : {}),
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await response.text();
      let body: unknown;
      try {
        body = text === '' ? null : JSON.parse(text);
      } catch {
        body = undefined;
      }
      const retryAfter = Number(response.headers.get('retry-after'));
      return Object.assign(
        {
          answered: true as const,
          status: response.status,
          body,
          contentLocation: response.headers.get('content-location'),
          attempts,
        },
        Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterMs: retryAfter * 1000 } : {},
      );
    } catch (err) {
      const name = (err as Error)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        return {
          answered: false,
          kind: 'timeout',
          message: `no answer within ${this.timeoutMs} ms`,
          attempts,
        };
      }
      const code = networkCode(err) ?? 'network error';
      return { answered: false, kind: 'unreachable', message: this.redact(code), attempts };
    }
  }
}
