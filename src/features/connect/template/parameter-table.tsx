import { Breakable } from '../../../components/ui/breakable.tsx';
import { StackedTable } from '../../../components/ui/stacked-table.tsx';
import type { TemplateParams } from '../../../domain/template/role-template.ts';
import type { TrustOrigin } from '../store/answers.ts';

export type ValueOrigin = 'issued' | TrustOrigin[keyof TrustOrigin];

// Where each value came from, in the user's terms (every fact labelled by its source).
const ORIGIN_LABEL: Record<ValueOrigin, string | null> = {
  issued: 'issued by this installation',
  detected: 'detected from GetCallerIdentity',
  entered: 'you entered it',
  default: 'the template’s default',
};

const ROWS = [
  {
    name: 'ExternalId',
    key: 'externalId',
    means: 'AWS admits the scanner only when it sends this value.',
  },
  { name: 'AccountId', key: 'trustedAccountId', means: 'The AWS account the scanner’s identity lives in.' },
  {
    name: 'IAMPrincipal',
    key: 'iamPrincipal',
    means: 'Which principals in that account may assume the role.',
  },
] as const;

type Row = (typeof ROWS)[number];

export interface ParameterTableProps {
  params: Partial<TemplateParams>;
  origin: TrustOrigin;
}

export function ParameterTable({ params, origin }: ParameterTableProps) {
  const originOf = (row: Row): ValueOrigin => (row.key === 'externalId' ? 'issued' : origin[row.key]);
  return (
    <StackedTable
      caption="Stack parameters baked into the template"
      captionHidden
      rowKey={(row) => row.name}
      rows={ROWS}
      columns={[
        { header: 'Parameter', cell: (row) => row.name, className: 'font-mono' },
        {
          header: 'Value',
          cell: (row) => {
            const value = params[row.key];
            if (!value)
              return (
                <span className="italic text-slate-700 dark:text-slate-300">set it in Trust settings</span>
              );
            return (
              <>
                <span className="font-mono">
                  <Breakable text={value} />
                </span>
                <span className="block text-xs text-slate-700 dark:text-slate-300">
                  {ORIGIN_LABEL[originOf(row)]}
                </span>
              </>
            );
          },
        },
        {
          header: 'What it means',
          cell: (row) => row.means,
          className: 'text-slate-700 dark:text-slate-300',
        },
      ]}
    />
  );
}
