import type { Classified } from './classify.ts';

// What one AWS call of a verification came to: its value, or the classified failure.

export interface CallFailure {
  error: Classified;
  /** Attempts made, retries for throttling included. */
  attempts: number;
  endpoint?: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: CallFailure };
