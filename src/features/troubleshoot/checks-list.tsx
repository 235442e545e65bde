import type { Check } from '../../domain/diagnosis-contract.ts';
import { checkRows } from './guidance-model.ts';
import { StatusMark } from './status-mark.tsx';

export function ChecksList({ checks }: { checks: readonly Check[] }) {
  return (
    // One badge column for every row (a subgrid), so each title starts at the same x whatever its
    // badge says ("Passed" and "Skipped" differ in width).
    <ul className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-3 gap-y-2">
      {checkRows(checks).map((row) => (
        <li key={row.id} className="col-span-2 grid grid-cols-subgrid items-start">
          <span className="justify-self-start">
            <StatusMark tone={row.status} text={row.label} />
          </span>
          <span className="min-w-0">
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
