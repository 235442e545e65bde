import type { TemplateParams } from '../../../domain/template/role-template.ts';

const ROWS = [
  {
    name: 'ExternalId',
    key: 'externalId',
    means: 'Issued by this installation. AWS admits the scanner only when it sends this value.',
  },
  { name: 'AccountId', key: 'trustedAccountId', means: 'The AWS account the scanner’s identity lives in.' },
  {
    name: 'IAMPrincipal',
    key: 'iamPrincipal',
    means: 'Which principals in that account may assume the role.',
  },
] as const;

export function ParameterTable({ params }: { params: Partial<TemplateParams> }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[18rem] border-collapse text-left text-sm">
        <caption className="sr-only">Stack parameters baked into the template</caption>
        <thead>
          <tr className="border-b border-slate-400 dark:border-slate-500">
            <th scope="col" className="py-2 pr-3 font-semibold">
              Parameter
            </th>
            <th scope="col" className="py-2 pr-3 font-semibold">
              Value
            </th>
            <th scope="col" className="hidden py-2 font-semibold sm:table-cell">
              What it means
            </th>
          </tr>
        </thead>
        <tbody>
          {ROWS.map((row) => (
            <tr key={row.name} className="border-b border-slate-200 align-top dark:border-slate-700">
              <th scope="row" className="py-2 pr-3 font-mono font-medium">
                {row.name}
              </th>
              <td className="break-all py-2 pr-3 font-mono">
                {params[row.key] ?? (
                  <span className="font-sans italic text-slate-700 dark:text-slate-300">
                    set it in Trust settings
                  </span>
                )}
              </td>
              <td className="hidden py-2 text-slate-700 sm:table-cell dark:text-slate-300">{row.means}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
