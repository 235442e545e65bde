import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  AccountEvent,
  DiscoveryFailure,
  OrgEvent,
  OrgVerifyRequestInput,
  StartEvent,
  SummaryEvent,
} from '../../../domain/org-contract.ts';
import { ApiError } from '../../../lib/api-client.ts';
import { streamOrgVerify } from '../api/stream-org-verify.ts';

// One bulk run as the page sees it: the planned accounts, each account's event as it arrives, the
// summary. Events arrive by the hundred a second: they are gathered and drawn once per frame.

export type RunStatus = 'idle' | 'starting' | 'running' | 'done' | 'cancelled' | 'failed' | 'error';

export interface RunView {
  status: RunStatus;
  start: StartEvent | null;
  results: ReadonlyMap<string, AccountEvent>;
  summary: SummaryEvent | null;
  failure: DiscoveryFailure | null;
  error: string | null;
}

const IDLE: RunView = {
  status: 'idle',
  start: null,
  results: new Map(),
  summary: null,
  failure: null,
  error: null,
};

export function useOrgRun() {
  const [view, setView] = useState<RunView>(IDLE);
  const controller = useRef<AbortController | null>(null);
  const pending = useRef<OrgEvent[]>([]);
  const frame = useRef<number | null>(null);

  const flush = useCallback(() => {
    frame.current = null;
    const events = pending.current;
    pending.current = [];
    if (events.length === 0) return;
    setView((v) => {
      let next: RunView = { ...v };
      let results: Map<string, AccountEvent> | null = null;
      for (const e of events) {
        if (e.type === 'start') next = { ...next, status: 'running', start: e, results: new Map() };
        else if (e.type === 'account') {
          results ??= new Map(next.results);
          results.set(e.accountId, e);
        } else if (e.type === 'summary')
          next = { ...next, summary: e, status: e.cancelled ? 'cancelled' : 'done' };
        else next = { ...next, failure: e.failure, status: 'failed' };
      }
      return results ? { ...next, results } : next;
    });
  }, []);

  const run = useCallback(
    async (request: OrgVerifyRequestInput) => {
      controller.current?.abort();
      const mine = new AbortController();
      controller.current = mine;
      pending.current = [];
      setView({ ...IDLE, status: 'starting' });
      try {
        await streamOrgVerify(
          request,
          (event) => {
            pending.current.push(event);
            frame.current ??= requestAnimationFrame(flush);
          },
          mine.signal,
        );
        flush();
      } catch (e) {
        flush();
        const cancelled = e instanceof ApiError && e.kind === 'aborted';
        setView((v) => ({
          ...v,
          status: cancelled ? 'cancelled' : 'error',
          error: cancelled ? null : (e as Error).message,
        }));
      }
    },
    [flush],
  );

  /** Closes the stream: the server starts no further verification and sends nothing more to AWS. */
  const cancel = useCallback(() => controller.current?.abort(), []);

  useEffect(
    () => () => {
      controller.current?.abort();
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  return { view, run, cancel };
}
