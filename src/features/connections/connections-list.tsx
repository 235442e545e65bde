import { Breakable } from '../../components/ui/breakable.tsx';
import { FOCUS_RING, LINK } from '../../components/ui/styles.ts';
import type { ConnectionList } from '../../domain/connection-contract.ts';
import { CONNECTION_STATUSES, type ConnectionStatus } from '../../domain/connection-inputs.ts';
import { STATUS_LABEL, StatusBadge } from './status-badge.tsx';
import { when } from './when.ts';

// The Connections page (issue 13): the fleet at a glance, filtered by status; links are plain
// anchors so the server-drawn page works before the JavaScript arrives.

const FILTERS: (ConnectionStatus | null)[] = [null, ...CONNECTION_STATUSES];

export function ConnectionsList({ list, status }: { list: ConnectionList; status: ConnectionStatus | null }) {
  return (
    <div className="space-y-4">
      <h2 className="text-xl font-bold">Connections</h2>
      <nav aria-label="Filter by status">
        <ul className="flex flex-wrap gap-2 text-sm">
          {FILTERS.map((f) => (
            <li key={f ?? 'all'}>
              <a
                href={f ? `/connections?status=${f}` : '/connections'}
                aria-current={f === status ? 'page' : undefined}
                className={`rounded-full px-3 py-1 ring-1 ring-slate-500 aria-[current=page]:bg-slate-900 aria-[current=page]:text-white dark:aria-[current=page]:bg-slate-100 dark:aria-[current=page]:text-slate-950 ${FOCUS_RING}`}
              >
                {f ? STATUS_LABEL(f) : 'All'}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {list.items.length === 0 ? (
        <div className="rounded-lg p-6 ring-1 ring-slate-300 dark:ring-slate-700">
          <p className="font-semibold">
            {status
              ? `No connection is ${STATUS_LABEL(status).toLowerCase()}.`
              : 'No connection is saved yet.'}
          </p>
          <p className="mt-1 text-sm">
            Connect an account with the wizard, then choose “Save connection” on its result.{' '}
            <a className={LINK} href="/">
              Connect an AWS account
            </a>
          </p>
        </div>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">
              {list.total} saved connection{list.total === 1 ? '' : 's'}
              {status ? `, status ${STATUS_LABEL(status)}` : ''}
            </caption>
            <thead>
              <tr className="border-b border-slate-400">
                <th scope="col" className="py-2 pr-3">
                  Connection
                </th>
                <th scope="col" className="hidden py-2 pr-3 sm:table-cell">
                  Account
                </th>
                <th scope="col" className="py-2 pr-3">
                  Status
                </th>
                <th scope="col" className="hidden py-2 pr-3 sm:table-cell">
                  Last verified
                </th>
                <th scope="col" className="py-2 pr-3">
                  Diagnosis
                </th>
                <th scope="col" className="py-2">
                  Actions
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((c) => (
                <tr key={c.id} className="border-b border-slate-200 align-top dark:border-slate-800">
                  <td className="py-2 pr-3">
                    <span className="font-semibold">{c.alias ?? c.roleArn.split('/').pop()}</span>
                    <span className="block font-mono text-xs">
                      <Breakable text={c.roleArn} />
                    </span>
                  </td>
                  <td className="hidden py-2 pr-3 font-mono sm:table-cell">{c.accountId}</td>
                  <td className="py-2 pr-3">
                    <StatusBadge status={c.status} />
                    {c.monitored ? null : <span className="block text-xs">not monitored (access keys)</span>}
                  </td>
                  <td className="hidden py-2 pr-3 sm:table-cell">{when(c.lastVerifiedAt)}</td>
                  <td className="py-2 pr-3 font-mono text-xs">
                    <Breakable text={c.diagnosisCode ?? '—'} after="_" />
                    {c.confidence ? <span className="block font-sans">{c.confidence}</span> : null}
                  </td>
                  <td className="py-2">
                    <a className={LINK} href={`/connections/${c.id}`}>
                      Open<span className="sr-only"> {c.alias ?? c.roleArn}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
