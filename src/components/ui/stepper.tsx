import type { MouseEvent } from 'react';
import { cx, FOCUS_RING } from './styles.ts';

export interface StepperItem {
  id: string;
  title: string;
  href: string;
  /** done: finished; current: on screen; todo: not yet reachable (the guard would send you back). */
  state: 'done' | 'current' | 'open' | 'todo';
}

export interface StepperProps {
  items: readonly StepperItem[];
  onNavigate: (id: string) => void;
}

function follow(onNavigate: (id: string) => void, id: string) {
  return (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    onNavigate(id);
  };
}

/** The wizard's progress: a list on wide screens, "Step n of N" on narrow ones. */
export function Stepper({ items, onNavigate }: StepperProps) {
  const currentIndex = items.findIndex((item) => item.state === 'current');
  const current = items[currentIndex];
  return (
    <nav aria-label="Wizard steps">
      <p className="text-sm text-slate-700 sm:hidden dark:text-slate-300">
        Step {currentIndex + 1} of {items.length}
        {current ? `: ${current.title}` : ''}
      </p>
      <ol className="hidden gap-1 sm:flex">
        {items.map((item, index) => {
          const label = (
            <>
              <span
                aria-hidden="true"
                className={cx(
                  'flex size-6 shrink-0 items-center justify-center rounded-full text-xs font-bold',
                  item.state === 'current' && 'bg-blue-700 text-white dark:bg-blue-300 dark:text-slate-950',
                  item.state === 'done' && 'bg-green-700 text-white dark:bg-green-300 dark:text-slate-950',
                  (item.state === 'open' || item.state === 'todo') &&
                    'border border-slate-500 text-slate-700 dark:border-slate-400 dark:text-slate-300',
                )}
              >
                {item.state === 'done' ? '✓' : index + 1}
              </span>
              <span className="leading-tight">{item.title}</span>
              {item.state === 'done' ? <span className="sr-only"> (done)</span> : null}
            </>
          );
          const base = 'flex min-h-10 min-w-0 items-center gap-2 rounded-md px-2 text-sm';
          return (
            <li key={item.id} className="min-w-0 flex-1">
              {item.state === 'todo' ? (
                <span className={cx(base, 'text-slate-600 dark:text-slate-400')}>{label}</span>
              ) : (
                <a
                  href={item.href}
                  onClick={follow(onNavigate, item.id)}
                  aria-current={item.state === 'current' ? 'step' : undefined}
                  className={cx(
                    base,
                    FOCUS_RING,
                    item.state === 'current'
                      ? 'font-semibold text-slate-950 dark:text-white'
                      : 'text-slate-800 hover:bg-slate-200 dark:text-slate-200 dark:hover:bg-slate-800',
                  )}
                >
                  {label}
                </a>
              )}
            </li>
          );
        })}
      </ol>
      <div
        aria-hidden="true"
        className="mt-2 h-1 overflow-hidden rounded-full bg-slate-300 dark:bg-slate-700"
      >
        <div
          className={cx(
            'h-full bg-blue-700 dark:bg-blue-300',
            PROGRESS_WIDTH[Math.max(0, currentIndex)] ?? 'w-full',
          )}
        />
      </div>
    </nav>
  );
}

// Static classes (no inline style attribute: the server's CSP has no 'unsafe-inline').
const PROGRESS_WIDTH = ['w-1/6', 'w-2/6', 'w-3/6', 'w-4/6', 'w-5/6', 'w-full'];
