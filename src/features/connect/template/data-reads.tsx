import { ADDITION_ACTIONS } from '../../../domain/template/additions.ts';

// "Read-only" is not "configuration only": a reviewer should know which additions read data.
const DATA_READS = ADDITION_ACTIONS.filter((a) => a.readsData);

export function DataReads() {
  if (DATA_READS.length === 0) return null;
  return (
    <div className="text-sm">
      <p>
        Read-only is not only configuration:{' '}
        {DATA_READS.length === 1 ? 'one addition reads' : 'these additions read'} data in the account.
      </p>
      <ul className="ml-5 list-disc">
        {DATA_READS.map((a) => (
          <li key={a.action}>
            <code>{a.action}</code> reads {a.readsData}.
          </li>
        ))}
      </ul>
    </div>
  );
}
