import { CopyButton } from '../../components/ui/copy-button.tsx';
import { FOCUS_RING } from '../../components/ui/styles.ts';
import type { AwsErrorInfo } from '../../domain/api-contract.ts';

// The raw AWS error, folded away: most people need the guidance, support needs the request id.
export function AwsErrorDetails({ awsError }: { awsError: AwsErrorInfo }) {
  const rows: [string, string | undefined][] = [
    ['Call', awsError.call],
    ['Code', awsError.code],
    ['Message', awsError.message],
    ['HTTP status', awsError.httpStatus === undefined ? undefined : String(awsError.httpStatus)],
    ['Request ID', awsError.requestId],
  ];
  return (
    <details className="rounded-md border border-slate-300 dark:border-slate-600">
      <summary className={`cursor-pointer rounded-md px-3 py-2 font-medium ${FOCUS_RING}`}>
        Raw AWS error ({awsError.code})
      </summary>
      <dl className="grid gap-x-4 gap-y-1 px-3 pb-3 @lg:grid-cols-[8rem_1fr]">
        {rows
          .filter((row): row is [string, string] => row[1] !== undefined && row[1] !== '')
          .map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-sm font-medium text-slate-700 dark:text-slate-300">{label}</dt>
              <dd className="mb-1 flex flex-wrap items-start gap-2 @lg:mb-0">
                <code className="min-w-0 flex-1 font-mono text-sm wrap-anywhere whitespace-pre-wrap">
                  {value}
                </code>
                {label === 'Request ID' ? <CopyButton value={value} label="the AWS request ID" /> : null}
              </dd>
            </div>
          ))}
      </dl>
    </details>
  );
}
