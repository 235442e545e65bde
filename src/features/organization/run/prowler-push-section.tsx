import { useState } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Notice } from '../../../components/ui/notice.tsx';
import type { SummaryEvent } from '../../../domain/org-contract.ts';
import type { BulkPushSummary } from '../../../domain/org-prowler-push.ts';
import { streamProwlerPush } from '../api/stream-prowler-push.ts';

// "Push N connected accounts to Prowler" under a finished run (issue 16): the server pushes the
// run's connected accounts, a few at a time, and streams each result; pushing again is the retry.

export function ProwlerPushSection({ run }: { run: SummaryEvent }) {
  const [done, setDone] = useState<number | null>(null);
  const [summary, setSummary] = useState<BulkPushSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const push = async () => {
    setDone(0);
    setSummary(null);
    setError(null);
    try {
      await streamProwlerPush(
        run.runId,
        (e) => (e.type === 'account' ? setDone((n) => (n ?? 0) + 1) : e.type === 'summary' && setSummary(e)),
        new AbortController().signal,
      );
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const busy = done !== null && !summary && !error;
  const problems = summary
    ? [
        ...summary.prowlerFailed.map((f) => `${f.accountId}: Prowler’s test failed, ${f.code}`),
        ...summary.pushFailed.map((f) => `${f.accountId}: Prowler’s API did not take it (${f.kind})`),
      ]
    : [];
  return (
    <section aria-labelledby="org-prowler-push" className="space-y-3">
      <h3 id="org-prowler-push" className="text-lg font-semibold">
        Prowler App
      </h3>
      <Button busy={busy} onClick={() => void push()}>
        {done === null ? `Push ${run.connected} connected accounts to Prowler` : 'Push them to Prowler again'}
      </Button>
      <p role="status" aria-live="polite" className="text-sm">
        {busy ? `${done} of ${run.connected} pushed…` : null}
        {summary
          ? `Prowler App took ${summary.pushed} of ${summary.total}; its own test connected ${summary.prowlerConnected}.`
          : null}
      </p>
      {error || problems.length ? (
        <Notice tone="error" title="Not connected in Prowler">
          <p>{error}</p>
          <ul className="font-mono text-sm">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
          <p>Push again: every step is safe to repeat.</p>
        </Notice>
      ) : null}
    </section>
  );
}
