import { useEffect, useState, useTransition } from 'react';

// A tiny History API router (docs/decisions: URL-driven steps): the step is `?step=<id>`, which
// any static server and the Node server serve without rewrites. History state stays empty: no
// answer, and never a secret, is put there (issue 6).

const EVENT = 'aws-connect:navigate';

function subscribe(listener: () => void) {
  window.addEventListener('popstate', listener);
  window.addEventListener(EVENT, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(EVENT, listener);
  };
}

// The server renders the first screen without a window (src/app/first-screen.tsx): there the
// page is "/" with no step.
const hasWindow = typeof window !== 'undefined';

function readStep(): string | null {
  return hasWindow ? new URLSearchParams(window.location.search).get('step') : null;
}

/**
 * The step in the URL. Changes land in a transition: while the next step's code loads, the current
 * step stays on screen (and its inputs, secrets included, leave the DOM only when it is replaced).
 */
export function useStepParam(): { step: string | null; pending: boolean } {
  const [step, setStep] = useState(readStep);
  const [pending, startTransition] = useTransition();
  useEffect(() => subscribe(() => startTransition(() => setStep(readStep()))), []);
  return { step, pending };
}

export function stepHref(id: string): string {
  const url = new URL(hasWindow ? window.location.href : 'http://localhost/');
  url.search = '';
  url.searchParams.set('step', id);
  url.hash = '';
  return `${url.pathname}${url.search}`;
}

export function navigateToStep(id: string, { replace = false }: { replace?: boolean } = {}) {
  const href = stepHref(id);
  if (replace) window.history.replaceState(null, '', href);
  else if (`${window.location.pathname}${window.location.search}` !== href)
    window.history.pushState(null, '', href);
  window.dispatchEvent(new Event(EVENT));
}
