import { useEffect } from 'react';
import {
  DRAWN_STEP,
  DRAWN_STEP_STORAGE_KEY,
  type DrawnStep,
  WIZARD_STORAGE_KEY,
} from '../domain/drawn-step.ts';

// While the result is on screen, leaving the page (a reload, a closed tab, a link followed) keeps
// a copy of the screen in this tab's sessionStorage; a page that opens on the result again draws
// it before the app's code arrives (src/server/static.ts drawnStepScript, decision 065). The copy
// is the markup React rendered from the stored answers, which hold no secret.

/**
 * The markup without what was typed into the screen's fields: React writes a controlled field's
 * value into the markup, and the trust doctor's output is "sent once", never stored. A reload
 * starts those fields empty anyway, so the copy shows them as the app will.
 */
function withoutTyped(root: HTMLElement): string {
  const copy = root.cloneNode(true) as HTMLElement;
  for (const area of copy.querySelectorAll('textarea')) area.textContent = '';
  for (const input of copy.querySelectorAll('input')) input.removeAttribute('value');
  return copy.innerHTML;
}

function keepDrawing(): void {
  try {
    const root = document.getElementById('root');
    const answers = sessionStorage.getItem(WIZARD_STORAGE_KEY);
    const busy = root?.querySelector('[aria-busy="true"], input[type="password"]');
    if (!root || !answers || busy) {
      sessionStorage.removeItem(DRAWN_STEP_STORAGE_KEY);
      return;
    }
    const drawn: DrawnStep = { step: DRAWN_STEP, answers, html: withoutTyped(root) };
    sessionStorage.setItem(DRAWN_STEP_STORAGE_KEY, JSON.stringify(drawn));
  } catch {
    // Storage full or disabled: the page then waits for the app's code, as without a copy.
  }
}

/**
 * The result step keeps its copy while it is shown, and drops it when the user moves on. Only
 * where a reload lands on the result itself (`survivesReload`): access keys live in this tab's
 * memory, so without them a reload goes back to step 1, and a copy would paint a screen that is
 * not shown.
 */
export function useKeepDrawing(survivesReload: boolean): void {
  useEffect(() => {
    const drop = () => {
      try {
        sessionStorage.removeItem(DRAWN_STEP_STORAGE_KEY);
      } catch {
        // Storage disabled: there is no copy either.
      }
    };
    if (!survivesReload) {
      drop();
      return;
    }
    window.addEventListener('pagehide', keepDrawing);
    return () => {
      window.removeEventListener('pagehide', keepDrawing);
      drop();
    };
  }, [survivesReload]);
}
