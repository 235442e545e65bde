import type { Check } from '../../domain/diagnosis-contract.ts';
import { checkRows } from './guidance-model.ts';
import { StatusMark } from './status-mark.tsx';

export function ChecksList({ checks }: { checks: readonly Check[] }) {
  return (
    <ul className="space-y-2">
      {checkRows(checks).map((row) => (
        <li key={row.id} className="flex flex-wrap items-start gap-x-3 gap-y-1">
          <StatusMark tone={row.status} text={row.label} />
          <span className="min-w-0 flex-1">
            <span className="font-medium">{row.title}</span>
            {row.detail ? (
              <span className="block text-slate-700 dark:text-slate-300">{row.detail}</span>
            ) : null}
          </span>
        </li>
      ))}
    </ul>
  );
}
