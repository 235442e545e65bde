import { useEffect, useRef, useState } from 'react';
import { cx, FOCUS_RING } from './styles.ts';

// The live region is always rendered (empty until used) so screen readers announce "Copied".

export async function writeClipboard(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No Clipboard API (plain http on another host) or refused: fall back to a selection copy.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'fixed -left-[9999px] top-0';
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

export interface CopyButtonProps {
  value: string;
  /** What is copied, for the accessible name: "Copy <label>". */
  label: string;
  className?: string;
}

export function CopyButton({ value, label, className }: CopyButtonProps) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  async function copy() {
    const ok = await writeClipboard(value);
    setState(ok ? 'copied' : 'failed');
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), 2500);
  }

  return (
    <span className={cx('inline-flex shrink-0 items-center', className)}>
      <span role="status" className="mr-2 text-sm text-slate-700 empty:mr-0 dark:text-slate-300">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed: select and copy by hand' : ''}
      </span>
      <button
        type="button"
        onClick={copy}
        aria-label={`Copy ${label}`}
        className={cx(
          'min-h-8 rounded-md border border-slate-500 bg-white px-2.5 py-1 text-sm font-medium text-slate-900 hover:bg-slate-100 dark:border-slate-400 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700',
          FOCUS_RING,
        )}
      >
        Copy
      </button>
    </span>
  );
}
