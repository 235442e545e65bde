import { Breakable } from '../../../components/ui/breakable.tsx';
import { Notice } from '../../../components/ui/notice.tsx';
import type { ProwlerPushResponse } from '../../../domain/prowler-api.ts';

type Pushed = Extract<ProwlerPushResponse['push'], { pushed: true }>;

const state = (connected: boolean) => (connected ? 'connected' : 'not connected');

/** Ours and Prowler's side by side, each labelled by where it comes from, then why they agree or not. */
export function ProwlerVerdicts({
  response,
  push,
  oursLabel = 'This page’s last run',
}: {
  response: ProwlerPushResponse;
  push: Pushed;
  /** Where our verdict comes from: the page's last run, or the saved connection's last verification. */
  oursLabel?: string;
}) {
  const { ours, comparison } = response;
  const { prowler } = push;
  const d = prowler.diagnosis;
  return (
    <div className="space-y-3">
      <div className="grid gap-3 sm:grid-cols-2">
        <Notice
          tone={ours?.connected ? 'success' : 'warning'}
          title={`Our verification: ${ours ? state(ours.connected) : 'none'}`}
        >
          <p>
            {oursLabel}
            {ours ? `: ${ours.code}` : ''}.
          </p>
          {ours ? (
            <p>
              Caller:{' '}
              <span className="font-mono">
                <Breakable text={ours.callerArn ?? 'not known'} />
              </span>{' '}
              ({ours.sourceKind === 'access-keys' ? 'your access keys' : 'this server'})
            </p>
          ) : null}
        </Notice>
        <Notice
          tone={prowler.connected ? 'success' : 'error'}
          title={`Prowler’s test: ${state(prowler.connected)}`}
        >
          <p>Prowler App answered (task {push.taskId}); its worker used its own identity.</p>
          {prowler.error ? (
            <p className="whitespace-pre-wrap wrap-anywhere font-mono">{prowler.error}</p>
          ) : null}
          {d ? (
            <p>
              We infer <span className="font-mono">{d.code}</span> ({d.confidence}): {d.summary} Fix: {d.fix}
            </p>
          ) : null}
        </Notice>
      </div>
      {comparison ? (
        <ul className="list-disc space-y-1 pl-5 text-sm">
          {comparison.explanation.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
