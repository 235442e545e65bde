import { Breakable } from '../../../components/ui/breakable.tsx';
import { StackedTable } from '../../../components/ui/stacked-table.tsx';

// How a caller maps to the IAMPrincipal parameter (docs/design.md#the-journey, step 3).
const ROWS = [
  {
    caller: 'IAM user prowler-app',
    arn: 'arn:aws:iam::111122223333:user/prowler-app',
    principal: 'user/prowler-app',
  },
  {
    caller: 'Role whose name starts with prowler',
    arn: 'arn:aws:sts::111122223333:assumed-role/prowler-worker/…',
    principal: 'role/prowler* (the default)',
  },
  {
    caller: 'Any other role, e.g. ScannerTask',
    arn: 'arn:aws:sts::111122223333:assumed-role/ScannerTask/…',
    principal: 'role/ScannerTask',
  },
  {
    caller: 'Role with a path, e.g. /ops/ScannerTask',
    arn: 'arn:aws:sts::111122223333:assumed-role/ScannerTask/…',
    principal: 'role/ops/ScannerTask',
  },
] as const;

export function MappingTable() {
  return (
    <div className="space-y-2">
      <StackedTable
        caption="Which IAMPrincipal for which caller"
        rowKey={(row) => row.caller}
        rows={ROWS}
        columns={[
          { header: 'The scanner runs as', cell: (row) => row.caller, className: 'font-medium' },
          {
            header: 'GetCallerIdentity shows',
            cell: (row) => <Breakable text={row.arn} />,
            className: 'font-mono',
          },
          { header: 'IAMPrincipal', cell: (row) => row.principal, className: 'font-mono' },
        ]}
      />
      <p className="text-sm text-slate-700 dark:text-slate-300">
        Role paths are invisible in an assumed-role ARN: if the scanner’s role has a path, add it yourself, or
        the role will refuse the scanner.
      </p>
    </div>
  );
}
