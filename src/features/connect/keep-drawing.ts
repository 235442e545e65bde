import { useEffect } from 'react';
import {
  DRAWN_STEP_STORAGE_KEY,
  type DrawnStep,
  type DrawnStepId,
  KEPT_FIELD_ATTRIBUTE,
} from '../../domain/drawn-copy.ts';
import { TRANSIENT_ATTRIBUTE, WIZARD_STORAGE_KEY } from '../../domain/drawn-step.ts';

// While a later step is on screen, leaving the page (a reload, a closed tab, a link followed)
// keeps a copy of the screen in this tab's sessionStorage; a page that opens on that step again
// draws it before the app's code arrives (src/server/static.ts drawnStepScript, decisions 065 and
// 066). The copy is the markup React rendered from the stored answers, which hold no secret, with
// the values of the fields that show those answers, and no other value.

/** A screen the app would not draw again as it is: mid-action, with errors, or an action's outcome. */
const NOT_AS_REDRAWN = `[aria-busy="true"], [aria-invalid="true"], input[type="password"], [${TRANSIENT_ATTRIBUTE}]`;

/**
 * The markup with the kept fields' current values written into it, and every other field empty:
 * an uncontrolled field's value is not in the markup at all, a controlled one's is, and the trust
 * doctor's output is "sent once", never stored. A reload starts those fields empty anyway.
 */
function drawnMarkup(root: HTMLElement): string {
  const copy = root.cloneNode(true) as HTMLElement;
  const fields = 'input, textarea, select';
  const originals = [
    ...root.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(fields),
  ];
  const copies = [
    ...copy.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(fields),
  ];
  originals.forEach((field, i) => {
    const drawn = copies[i];
    if (!drawn) return;
    const kept = field.hasAttribute(KEPT_FIELD_ATTRIBUTE);
    if (field instanceof HTMLSelectElement) {
      // The options are the app's own words: the one chosen is drawn chosen.
      [...(drawn as HTMLSelectElement).options].forEach((option, j) => {
        option.toggleAttribute('selected', field.options[j]?.selected === true);
      });
    } else if (field instanceof HTMLTextAreaElement) {
      drawn.textContent = kept ? field.value : '';
    } else if (field.type === 'checkbox' || field.type === 'radio') {
      drawn.toggleAttribute('checked', kept && field.checked);
    } else if (kept) {
      drawn.setAttribute('value', field.value);
    } else {
      drawn.removeAttribute('value');
    }
  });
  // React renders "Uses {product} from" as three text nodes; markup parsed again would make them
  // one, whose box differs from theirs by a fraction of a pixel, and the largest-contentful-paint
  // entry would then count the app's first frame as a new, larger paint. A comment between them
  // keeps them apart, as React's own server markup does.
  const walker = document.createTreeWalker(copy, NodeFilter.SHOW_TEXT);
  const joined: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode())
    if (node.previousSibling?.nodeType === Node.TEXT_NODE) joined.push(node as Text);
  for (const text of joined) text.before(document.createComment(''));
  return copy.innerHTML;
}

function keepDrawing(step: DrawnStepId): void {
  try {
    const root = document.getElementById('root');
    const answers = sessionStorage.getItem(WIZARD_STORAGE_KEY);
    if (!root || !answers || root.querySelector(NOT_AS_REDRAWN)) {
      sessionStorage.removeItem(DRAWN_STEP_STORAGE_KEY);
      return;
    }
    const drawn: DrawnStep = { step, answers, html: drawnMarkup(root) };
    sessionStorage.setItem(DRAWN_STEP_STORAGE_KEY, JSON.stringify(drawn));
  } catch {
    // Storage full or disabled: the page then waits for the app's code, as without a copy.
  }
}

function dropCopy(): void {
  try {
    sessionStorage.removeItem(DRAWN_STEP_STORAGE_KEY);
  } catch {
    // Storage disabled: there is no copy either.
  }
}

/**
 * The step on screen keeps its copy while it is shown, and drops it when the user moves on. Only
 * a later step, and only where a reload lands on that step itself (`survivesReload`): access keys
 * live in this tab's memory, so without them a reload goes back to step 1, and a copy would paint
 * a screen that is not shown.
 */
export function useKeepDrawing(step: DrawnStepId, survivesReload: boolean): void {
  useEffect(() => {
    if (!survivesReload) {
      dropCopy();
      return;
    }
    const keep = () => keepDrawing(step);
    window.addEventListener('pagehide', keep);
    return () => {
      window.removeEventListener('pagehide', keep);
      dropCopy();
    };
  }, [step, survivesReload]);
}
