import { Breakable } from '../../../components/ui/breakable.tsx';
import type { VerifyReport } from '../../../domain/diagnosis-contract.ts';

function expiryText(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const minutes = Math.round((at.getTime() - Date.now()) / 60_000);
  const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }).format(minutes, 'minute');
  return `${at.toLocaleString()} (${relative})`;
}

function Tick({ ok, children }: { ok: boolean; children: React.ReactNode }) {
  return (
    <li className="flex gap-2">
      <span
        aria-hidden="true"
        className={
          ok ? 'font-bold text-green-800 dark:text-green-300' : 'font-bold text-red-700 dark:text-red-300'
        }
      >
        {ok ? '✓' : '✗'}
      </span>
      <span>
        <span className="sr-only">{ok ? 'Present: ' : 'Missing: '}</span>
        {children}
      </span>
    </li>
  );
}

/** Green: who assumed what, until when, and what the role may do (issue 6, step 6). */
export function SuccessSummary({ report }: { report: VerifyReport }) {
  const { assumed, audit, caller } = report;
  const enforced = report.checks.find((c) => c.id === 'external-id-enforced');
  return (
    <div className="space-y-4">
      <dl className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="font-semibold">Assumed role</dt>
        <dd className="font-mono" data-testid="assumed-role">
          <Breakable text={assumed?.arn ?? report.request.roleArn} />
        </dd>
        <dt className="font-semibold">Role ARN</dt>
        <dd className="font-mono">
          <Breakable text={report.request.roleArn} />
        </dd>
        {caller ? (
          <>
            <dt className="font-semibold">Assumed by</dt>
            <dd className="font-mono">
              <Breakable text={caller.arn} />
            </dd>
          </>
        ) : null}
        {assumed ? (
          <>
            <dt className="font-semibold">Credentials expire</dt>
            <dd data-testid="expiry">{expiryText(assumed.expiration)}</dd>
          </>
        ) : null}
        <dt className="font-semibold">External ID enforced</dt>
        <dd>
          {enforced
            ? `${enforced.status === 'pass' ? 'Yes' : enforced.status === 'skipped' ? 'Not checked' : 'No'}: ${enforced.detail}`
            : 'Not checked'}
        </dd>
      </dl>
      {audit ? (
        <div>
          <h3 className="font-semibold">Permissions</h3>
          <ul className="mt-1 space-y-1 text-sm">
            {audit.managedPolicies.map((p) => (
              <Tick key={p.arn} ok={p.present}>
                AWS managed policy <span className="font-mono">{p.name}</span>
              </Tick>
            ))}
            <Tick ok={audit.additionsPolicy.present}>
              Inline read-only additions <span className="font-mono">{audit.additionsPolicy.name}</span>
            </Tick>
          </ul>
          {audit.maxSessionDuration ? (
            <p className="mt-1 text-sm">Maximum session duration: {audit.maxSessionDuration} seconds.</p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
