import { useCallback, useEffect, useRef, useState } from 'react';
import type { Check, VerifyReport } from '../../../domain/diagnosis-contract.ts';
import type { VerifyRequestInput } from '../../../domain/verify-request.ts';
import type { VerdictEvent } from '../../../domain/verify-stream.ts';
import type { ApiError } from '../../../lib/api-client.ts';
import { type ProgressEvent, useVerify } from '../api/post-verify.ts';
import { backoffMs, WAIT_MAX_ATTEMPTS } from './backoff.ts';

export type RunPhase = 'idle' | 'running' | 'waiting' | 'done' | 'cancelled' | 'failed';

export interface RunState {
  phase: RunPhase;
  attempt: number;
  wait: boolean;
  /** When the next attempt starts (epoch ms), while waiting. */
  nextAt: number | null;
  /** The latest report (an intermediate one while waiting for deployment). */
  report: VerifyReport | null;
  /** The running attempt's checks as the stream delivers them, and its verdict once the first round ended. */
  checks: Check[];
  verdict: VerdictEvent | null;
  error: ApiError | null;
}

const IDLE: RunState = {
  phase: 'idle',
  attempt: 0,
  wait: false,
  nextAt: null,
  report: null,
  checks: [],
  verdict: null,
  error: null,
};

const onProgressOf =
  (set: (update: (s: RunState) => RunState) => void) =>
  (event: ProgressEvent): void =>
    set((s) =>
      event.type === 'check' ? { ...s, checks: [...s.checks, event.check] } : { ...s, verdict: event },
    );

function sleep(ms: number, signal: AbortSignal) {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/**
 * One verification, or in "wait for deployment" mode a series with backoff until the role answers,
 * an outcome waiting cannot change, or the attempt limit. Each is streamed: its checks and verdict
 * show as they arrive (issue 15). Leaving the step, or a new verification, aborts the request and
 * the timer (issue 6, step 5).
 */
export function useVerifyRun(onDone: (report: VerifyReport) => void) {
  const verify = useVerify();
  const controller = useRef<AbortController | null>(null);
  const [state, setState] = useState<RunState>(IDLE);
  useEffect(() => () => controller.current?.abort(), []);

  const { mutateAsync } = verify;
  const start = useCallback(
    async (request: VerifyRequestInput, wait: boolean) => {
      controller.current?.abort();
      const own = new AbortController();
      controller.current = own;
      const { signal } = own;
      try {
        for (let attempt = 1; ; attempt++) {
          setState((s) => ({
            ...s,
            phase: 'running',
            attempt,
            wait,
            nextAt: null,
            checks: [],
            verdict: null,
            error: null,
          }));
          const report = await mutateAsync({ request, signal, onProgress: onProgressOf(setState) });
          const again =
            wait && !report.connected && report.diagnosis.traits.worthWaiting && attempt < WAIT_MAX_ATTEMPTS;
          if (!again) {
            setState((s) => ({ ...s, phase: 'done', report }));
            onDone(report);
            return;
          }
          const delay = backoffMs(attempt);
          setState((s) => ({ ...s, phase: 'waiting', report, nextAt: Date.now() + delay }));
          await sleep(delay, signal);
        }
      } catch (error) {
        if (signal.aborted) return;
        setState((s) => ({ ...s, phase: 'failed', nextAt: null, error: error as ApiError }));
      }
    },
    [mutateAsync, onDone],
  );

  const cancel = useCallback(() => {
    controller.current?.abort();
    setState((s) => ({ ...s, phase: 'cancelled', nextAt: null }));
  }, []);

  return { state, start, cancel };
}
