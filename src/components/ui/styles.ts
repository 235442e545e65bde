// Shared class lists, so every control has the same visible focus ring and contrast (WCAG 2.2 AA:
// 3:1 for the ring and borders, 4.5:1 for text, in both themes).

export const FOCUS_RING =
  'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:focus-visible:outline-blue-300';

export const INPUT =
  'block w-full min-w-0 rounded-md border border-slate-500 bg-white px-3 py-2 font-mono text-sm text-slate-900 placeholder:text-slate-500 aria-[invalid=true]:border-red-700 read-only:bg-slate-100 dark:border-slate-400 dark:bg-slate-950 dark:text-slate-100 dark:placeholder:text-slate-400 dark:aria-[invalid=true]:border-red-400 dark:read-only:bg-slate-800 ' +
  FOCUS_RING;

export const LINK =
  'text-blue-800 underline underline-offset-2 hover:text-blue-950 dark:text-blue-300 dark:hover:text-blue-200 ' +
  FOCUS_RING;

export function cx(...parts: (string | false | null | undefined)[]): string {
  return parts.filter(Boolean).join(' ');
}
