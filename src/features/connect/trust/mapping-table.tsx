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
      <div className="overflow-x-auto">
        <table className="w-full min-w-[18rem] border-collapse text-left text-sm">
          <caption className="mb-1 text-left font-semibold">Which IAMPrincipal for which caller</caption>
          <thead>
            <tr className="border-b border-slate-400 dark:border-slate-500">
              <th scope="col" className="py-2 pr-3 font-semibold">
                The scanner runs as
              </th>
              <th scope="col" className="hidden py-2 pr-3 font-semibold md:table-cell">
                GetCallerIdentity shows
              </th>
              <th scope="col" className="py-2 font-semibold">
                IAMPrincipal
              </th>
            </tr>
          </thead>
          <tbody>
            {ROWS.map((row) => (
              <tr key={row.caller} className="border-b border-slate-200 align-top dark:border-slate-700">
                <td className="py-2 pr-3">{row.caller}</td>
                <td className="hidden break-all py-2 pr-3 font-mono md:table-cell">{row.arn}</td>
                <td className="py-2 font-mono">{row.principal}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        Role paths are invisible in an assumed-role ARN: if the scanner’s role has a path, add it yourself, or
        the role will refuse the scanner.
      </p>
    </div>
  );
}
