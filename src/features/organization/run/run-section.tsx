import { type ReactNode, useState } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Notice } from '../../../components/ui/notice.tsx';
import type { AccountEvent, DiscoveryFailure, OrgVerifyRequestInput } from '../../../domain/org-contract.ts';
import { ProgressTable } from './progress-table.tsx';
import { ProwlerPushSection } from './prowler-push-section.tsx';
import { useOrgRun } from './use-org-run.ts';

// Verify the chosen accounts: a live table as results stream in, the summary by outcome, cancel
// (closing the stream stops the run on the server), retry of the failed only, and the guidance
// panel of any finished account.

export interface RunSectionProps {
  request: OrgVerifyRequestInput | null;
  renderDetails: (event: AccountEvent) => ReactNode;
  renderFailure: (failure: DiscoveryFailure) => ReactNode;
  /** The Prowler App integration is on (GET /api/config): offer to push the connected accounts. */
  prowler?: boolean;
}

export function RunSection({ request, renderDetails, renderFailure, prowler = false }: RunSectionProps) {
  const { view, run, cancel } = useOrgRun();
  const [selected, setSelected] = useState<string | null>(null);
  const running = view.status === 'starting' || view.status === 'running';
  const done = view.results.size;
  const details = selected ? view.results.get(selected) : undefined;
  const failed = view.summary?.failed.length ?? 0;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap gap-2">
        <Button disabled={!request} busy={running} onClick={() => request && void run(request)}>
          Verify{' '}
          {request?.targets?.kind === 'accounts'
            ? `${request.targets.accounts.length} accounts`
            : 'the accounts'}
        </Button>
        {running ? (
          <Button variant="secondary" onClick={cancel}>
            Cancel
          </Button>
        ) : null}
        {view.summary && failed > 0 && !running ? (
          <Button variant="secondary" onClick={() => void run({ retryOf: view.summary?.runId ?? '' })}>
            Verify the {failed} not OK again
          </Button>
        ) : null}
      </div>
      <p role="status" aria-live="polite" className="text-sm">
        {view.status === 'starting' ? 'Starting…' : null}
        {view.start && view.status === 'running'
          ? `${done} of ${view.start.total} verified, ${view.start.concurrency} at once.`
          : null}
        {view.summary
          ? `${view.summary.completed} of ${view.summary.total} verified${view.summary.cancelled ? ' (cancelled)' : ''}: ${view.summary.ok} OK, ${view.summary.connected} connected.`
          : null}
        {view.status === 'cancelled' && !view.summary
          ? `Cancelled after ${done} accounts: nothing more is sent to AWS.`
          : null}
      </p>
      {view.error ? (
        <Notice tone="error" title="The run stopped">
          {view.error}
        </Notice>
      ) : null}
      {view.failure ? (
        <div className="space-y-3">
          <Notice tone="error" title={`Not started: ${view.failure.code}`}>
            <p>{view.failure.message}</p>
          </Notice>
          {renderFailure(view.failure)}
        </div>
      ) : null}
      {view.summary ? (
        <table className="text-sm">
          <caption className="text-left font-semibold">By outcome</caption>
          <tbody>
            {Object.entries(view.summary.byCode)
              .sort(([, a], [, b]) => b - a)
              .map(([code, n]) => (
                <tr key={code}>
                  <th scope="row" className="pr-4 text-left font-mono font-normal">
                    {code}
                  </th>
                  <td className="text-right">{n}</td>
                </tr>
              ))}
          </tbody>
        </table>
      ) : null}
      {prowler && view.summary && !running && view.summary.connected > 0 ? (
        <ProwlerPushSection key={view.summary.runId} run={view.summary} />
      ) : null}
      {view.start ? (
        <ProgressTable
          accounts={view.start.accounts}
          results={view.results}
          selected={selected}
          onSelect={setSelected}
        />
      ) : null}
      {details ? (
        <section aria-label={`Account ${details.accountId}`} className="space-y-2">
          <h3 className="text-lg font-semibold">
            Account <span className="font-mono">{details.accountId}</span>
            {details.alias ? ` (${details.alias})` : ''}
          </h3>
          {renderDetails(details)}
        </section>
      ) : null}
    </div>
  );
}
