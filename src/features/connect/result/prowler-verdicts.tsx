import type { ProwlerPushResponse } from '../../../domain/prowler-api.ts';

type Pushed = Extract<ProwlerPushResponse['push'], { pushed: true }>;

function Verdict({
  title,
  source,
  connected,
  children,
}: {
  title: string;
  source: string;
  connected: boolean;
  children: React.ReactNode;
}) {
  return (
    <section aria-label={title} className="rounded-md p-3 ring-1 ring-slate-300 dark:ring-slate-700">
      <h4 className="font-semibold">{title}</h4>
      <p className="text-xs text-slate-700 dark:text-slate-300">{source}</p>
      <p
        className={
          connected
            ? 'mt-1 font-semibold text-green-800 dark:text-green-300'
            : 'mt-1 font-semibold text-red-700 dark:text-red-300'
        }
      >
        {connected ? 'Connected' : 'Not connected'}
      </p>
      <div className="mt-1 space-y-1 text-sm">{children}</div>
    </section>
  );
}

/** Ours and Prowler's, side by side, each labelled by where it comes from, then why they agree or not. */
export function ProwlerVerdicts({ response, push }: { response: ProwlerPushResponse; push: Pushed }) {
  const { ours, comparison } = response;
  const { prowler } = push;
  return (
    <div className="space-y-3">
      <div className="grid gap-3 sm:grid-cols-2">
        <Verdict
          title="Our verification"
          source={
            ours
              ? `this page’s last run${ours.finishedAt ? `, ${ours.finishedAt}` : ''}`
              : 'none on this page'
          }
          connected={ours?.connected ?? false}
        >
          {ours ? (
            <>
              <p>
                Diagnosis: <span className="font-mono">{ours.code}</span>
              </p>
              <p className="break-all">
                Caller: {ours.callerArn ?? 'not known'} (
                {ours.sourceKind === 'access-keys'
                  ? 'the access keys you pasted'
                  : 'this server’s own credentials'}
                )
              </p>
            </>
          ) : null}
        </Verdict>
        <Verdict
          title="Prowler’s connection test"
          source={`Prowler App answered (task ${push.taskId})`}
          connected={prowler.connected}
        >
          {prowler.diagnosis ? (
            <>
              <p>
                Diagnosis: <span className="font-mono">{prowler.diagnosis.code}</span> (
                {prowler.diagnosis.confidence}, we infer it from Prowler’s text)
              </p>
              <p>{prowler.diagnosis.summary}</p>
              <p>
                <span className="font-semibold">Fix: </span>
                {prowler.diagnosis.fix}
              </p>
            </>
          ) : (
            <p>Caller: Prowler’s worker, with its own SDK-default identity.</p>
          )}
          {prowler.error ? (
            <pre className="whitespace-pre-wrap break-all rounded bg-slate-100 p-2 font-mono text-xs dark:bg-slate-800">
              {prowler.error}
            </pre>
          ) : null}
        </Verdict>
      </div>
      {comparison ? (
        <div className="text-sm">
          <p className="font-semibold">
            {comparison.agreement === 'disagree'
              ? 'Why they disagree'
              : comparison.agreement === 'agree'
                ? 'They agree'
                : 'Only Prowler’s verdict'}
          </p>
          <ul className="list-disc space-y-1 pl-5">
            {comparison.explanation.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
