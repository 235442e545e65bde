import { useState } from 'react';
import { Breakable } from '../components/ui/breakable.tsx';
import { Button } from '../components/ui/button.tsx';
import { Notice } from '../components/ui/notice.tsx';
import { LINK } from '../components/ui/styles.ts';
import type { ConfigResponse } from '../domain/api-contract.ts';
import type { ConnectionDetail } from '../domain/connection-contract.ts';
import { useDeleteConnection, useReverify } from '../features/connections/api.ts';
import { DeliveriesTable, DriftList, HistoryTable } from '../features/connections/connection-records.tsx';
import { StatusBadge } from '../features/connections/status-badge.tsx';
import { when } from '../features/connections/when.ts';
import { ReportGuidancePanel } from '../features/troubleshoot/guidance-panel.tsx';
import { ConnectionProwlerPush } from './connection-prowler-push.tsx';

// One saved connection (issue 13): its last report with the same guidance panel as the wizard's
// result, drift from the template, history and alert deliveries. Drawn by the server first
// (first-screen.tsx renderConnectionPage), then by React with the same data.

function Actions({ detail }: { detail: ConnectionDetail }) {
  const reverify = useReverify(detail.id);
  const remove = useDeleteConnection(detail.id);
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-3">
        {detail.monitored ? (
          <Button busy={reverify.isPending} onClick={() => reverify.mutate()}>
            Verify now
          </Button>
        ) : (
          <p className="text-sm">
            This connection uses access keys, which are never kept: to verify it again, run the wizard with
            the keys.
          </p>
        )}
        {confirming ? (
          <Button
            variant="secondary"
            busy={remove.isPending}
            onClick={() =>
              remove.mutate(undefined, { onSuccess: () => window.location.assign('/connections') })
            }
          >
            Yes, delete it and its history
          </Button>
        ) : (
          <Button variant="secondary" onClick={() => setConfirming(true)}>
            Delete
          </Button>
        )}
      </div>
      {reverify.isError || remove.isError ? (
        <Notice tone="error" title="That did not work" live>
          <p>{(reverify.error ?? remove.error)?.message}</p>
        </Notice>
      ) : null}
      {reverify.isSuccess ? <Notice live>Verified again: {reverify.data.status}.</Notice> : null}
    </div>
  );
}

export function ConnectionPage({ config, detail }: { config: ConfigResponse; detail: ConnectionDetail }) {
  const report = detail.report;
  const name = detail.alias ?? detail.roleArn.split('/').pop() ?? detail.id;
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <a className={LINK} href="/connections">
          All connections
        </a>
      </p>
      <div className="space-y-1">
        <h2 className="flex flex-wrap items-center gap-3 text-xl font-bold">
          {name} <StatusBadge status={detail.status} />
        </h2>
        <p className="font-mono text-sm">
          <Breakable text={detail.roleArn} />
        </p>
        <p className="text-sm">
          Account {detail.accountId} · last verified {when(detail.lastVerifiedAt)}
          {detail.monitored ? ` · next check ${when(detail.nextCheckAt)}` : ' · not monitored'}
        </p>
      </div>
      <Actions detail={detail} />
      {config.prowler ? <ConnectionProwlerPush detail={detail} /> : null}
      {report === null ? (
        <Notice tone="warning" title="No report to show">
          <p>
            {detail.reportOutdated
              ? 'The last report was saved by another version of the product; verify again to see it here.'
              : 'This connection has not been verified yet.'}
          </p>
        </Notice>
      ) : report.diagnosis.code === 'OK' ? (
        <Notice tone="success" title="Connected">
          <p>
            The scanner can assume{' '}
            <span className="font-mono">
              <Breakable text={report.request.roleArn} />
            </span>{' '}
            and read this account (verified {when(report.finishedAt)}).
          </p>
        </Notice>
      ) : (
        <ReportGuidancePanel report={report} headingLevel={3} />
      )}
      <DriftList detail={detail} />
      <HistoryTable detail={detail} />
      <DeliveriesTable detail={detail} />
    </div>
  );
}
