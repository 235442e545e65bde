import type { ConnectionDetail } from '../../domain/connection-contract.ts';
import { StatusBadge } from './status-badge.tsx';
import { when } from './when.ts';

// A connection's history, status changes, alert deliveries and drift findings (issue 13).

const TABLE = 'w-full text-left text-sm';
const TH = 'py-1 pr-3';

/** What started each verification, in the words the page uses. */
const TRIGGER_LABEL: Record<ConnectionDetail['history'][number]['trigger'], string> = {
  create: 'saved',
  manual: 'on demand',
  monitor: 'schedule',
  org: 'organization run',
};

export function HistoryTable({ detail }: { detail: ConnectionDetail }) {
  return (
    <section aria-labelledby="history-title" className="space-y-2">
      <h3 id="history-title" className="text-base font-semibold">
        History
      </h3>
      <div className="overflow-x-auto">
        <table className={TABLE}>
          <thead>
            <tr className="border-b border-slate-400">
              <th scope="col" className={TH}>
                When
              </th>
              <th scope="col" className={TH}>
                Outcome
              </th>
              <th scope="col" className={TH}>
                Diagnosis
              </th>
              <th scope="col" className={TH}>
                By
              </th>
            </tr>
          </thead>
          <tbody>
            {detail.history.map((h) => (
              <tr key={`${h.at}-${h.trigger}`} className="border-b border-slate-200 dark:border-slate-800">
                <td className={TH}>{when(h.at)}</td>
                <td className={TH}>
                  <StatusBadge status={h.outcome} />
                </td>
                <td className={`${TH} font-mono text-xs`}>
                  {h.diagnosisCode}
                  {h.confidence ? ` (${h.confidence})` : ''}
                </td>
                <td className={TH}>{TRIGGER_LABEL[h.trigger]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function DeliveriesTable({ detail }: { detail: ConnectionDetail }) {
  return (
    <section aria-labelledby="deliveries-title" className="space-y-2">
      <h3 id="deliveries-title" className="text-base font-semibold">
        Alerts sent
      </h3>
      {detail.deliveries.length === 0 ? (
        <p className="text-sm">None.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className={TABLE}>
            <thead>
              <tr className="border-b border-slate-400">
                <th scope="col" className={TH}>
                  When
                </th>
                <th scope="col" className={TH}>
                  To
                </th>
                <th scope="col" className={TH}>
                  Attempt
                </th>
                <th scope="col" className={TH}>
                  Answer
                </th>
              </tr>
            </thead>
            <tbody>
              {detail.deliveries.map((d) => (
                <tr
                  key={`${d.transitionId}-${d.attempt}`}
                  className="border-b border-slate-200 dark:border-slate-800"
                >
                  <td className={TH}>{when(d.at)}</td>
                  <td className={`${TH} font-mono text-xs`}>{d.url}</td>
                  <td className={TH}>{d.attempt}</td>
                  <td className={TH}>
                    {d.delivered
                      ? `delivered (${d.statusCode})`
                      : `not delivered: ${d.error ?? d.statusCode}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function DriftList({ detail }: { detail: ConnectionDetail }) {
  const drift = detail.drift;
  if (!drift) return null;
  return (
    <section aria-labelledby="drift-title" className="space-y-2">
      <h3 id="drift-title" className="text-base font-semibold">
        Compared with the role template
      </h3>
      <p className="text-sm">
        AWS answered for the role at {when(drift.checkedAt)}; template version{' '}
        {drift.templateVersion.deployed ?? 'unknown'} deployed, version {drift.templateVersion.current}{' '}
        current.
      </p>
      {drift.findings.length === 0 ? (
        <p className="text-sm">The role matches the template.</p>
      ) : (
        <ul className="space-y-3">
          {drift.findings.map((f) => (
            <li
              key={`${f.kind}-${f.actual}`}
              className="rounded-md p-3 text-sm ring-1 ring-amber-700 dark:ring-amber-400"
            >
              <p className="font-semibold">{f.summary}</p>
              <p className="mt-1">Fix:</p>
              <pre className="mt-1 overflow-x-auto whitespace-pre-wrap wrap-anywhere rounded bg-slate-100 p-2 font-mono text-xs dark:bg-slate-900">
                {f.fix}
              </pre>
            </li>
          ))}
        </ul>
      )}
      {drift.notChecked.length > 0 ? (
        <p className="text-sm">Not compared: {drift.notChecked.join('; ')}.</p>
      ) : null}
    </section>
  );
}
