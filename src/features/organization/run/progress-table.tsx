import { useState } from 'react';
import { cx, FOCUS_RING } from '../../../components/ui/styles.ts';
import type { AccountEvent, PlannedAccount } from '../../../domain/org-contract.ts';
import { ROW_HEIGHT, rowWindow, VIRTUALIZE_AFTER } from './window.ts';

// The live table of a run: every planned account, its outcome as soon as its event arrives. Past a
// few hundred rows only the rows in view are in the DOM (aria-rowcount and aria-rowindex still tell
// assistive technology where each row is). A row's button opens that account's guidance; its
// "saved" link, the connection the run saved it as.

const VIEWPORT = 440;

function outcome(e: AccountEvent | undefined): { text: string; tone: string } {
  if (!e) return { text: 'Waiting', tone: 'text-slate-700 dark:text-slate-300' };
  if (e.ok) return { text: 'OK', tone: 'text-green-800 dark:text-green-300' };
  if (e.connected) return { text: `Connected, ${e.code}`, tone: 'text-amber-800 dark:text-amber-300' };
  return { text: e.code, tone: 'text-red-800 dark:text-red-300' };
}

/** The height of the rows not drawn, so the scroll bar stays true. */
function Spacer({ height }: { height: number }) {
  return (
    <tr>
      <td colSpan={3} className="p-0" style={{ height }} />
    </tr>
  );
}

export interface ProgressTableProps {
  accounts: readonly PlannedAccount[];
  results: ReadonlyMap<string, AccountEvent>;
  selected: string | null;
  onSelect: (accountId: string) => void;
}

export function ProgressTable({ accounts, results, selected, onSelect }: ProgressTableProps) {
  const [scrollTop, setScrollTop] = useState(0);
  const w = rowWindow(accounts.length, scrollTop, VIEWPORT);
  const virtual = accounts.length > VIRTUALIZE_AFTER;
  return (
    <section
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus (axe scrollable-region-focusable)
      tabIndex={0}
      aria-label="Accounts of this run"
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      className={cx('overflow-auto rounded-md ring-1 ring-slate-300 dark:ring-slate-700', FOCUS_RING)}
      style={{ maxHeight: VIEWPORT }}
    >
      <table className="w-full text-left text-sm" aria-rowcount={accounts.length + 1}>
        <thead className="sticky top-0 bg-slate-100 dark:bg-slate-800">
          <tr aria-rowindex={1}>
            <th scope="col" className="px-3 py-2">
              Account
            </th>
            <th scope="col" className="px-3 py-2">
              Name
            </th>
            <th scope="col" className="px-3 py-2">
              Outcome
            </th>
          </tr>
        </thead>
        <tbody>
          {w.before > 0 ? <Spacer height={w.before} /> : null}
          {accounts.slice(w.first, w.last).map((a, i) => {
            const e = results.get(a.accountId);
            const o = outcome(e);
            return (
              <tr
                key={a.accountId}
                aria-rowindex={w.first + i + 2}
                data-selected={selected === a.accountId || undefined}
                style={virtual ? { height: ROW_HEIGHT } : undefined}
                className="border-t border-slate-200 data-selected:bg-blue-50 dark:border-slate-700 dark:data-selected:bg-slate-800"
              >
                <td className="px-3 py-1 font-mono">
                  {e ? (
                    <button
                      type="button"
                      onClick={() => onSelect(a.accountId)}
                      className={cx(
                        'rounded text-blue-800 underline underline-offset-2 dark:text-blue-300',
                        FOCUS_RING,
                      )}
                    >
                      {a.accountId}
                    </button>
                  ) : (
                    a.accountId
                  )}
                </td>
                <td className="max-w-48 truncate px-3 py-1">{a.alias ?? ''}</td>
                <td className={cx('px-3 py-1 font-semibold', o.tone)}>
                  {o.text}
                  {e && e.attempts > 1 ? <span className="font-normal"> ({e.attempts} attempts)</span> : null}
                  {e?.connectionId ? (
                    <>
                      {' · '}
                      <a
                        href={`/connections/${e.connectionId}`}
                        aria-label={`Saved connection of ${a.accountId}`}
                        className={cx('font-normal text-blue-800 underline dark:text-blue-300', FOCUS_RING)}
                      >
                        saved
                      </a>
                    </>
                  ) : null}
                </td>
              </tr>
            );
          })}
          {w.after > 0 ? <Spacer height={w.after} /> : null}
        </tbody>
      </table>
    </section>
  );
}
