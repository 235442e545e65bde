// A later step drawn again when its tab reloads, from the tab's own copy of the screen (issue 15:
// a page a user lands on must not wait for the app's code to paint; docs/decisions/065 and 066).
// The wizard writes the copy (src/features/connect/keep-drawing.ts); the page's inline script
// draws it before the app's code arrives (drawnStepScript in src/server/static.ts); the app then
// renders the same screen over it (src/main.tsx). What the first screen's code needs is here; what
// only the later steps and the server need is in drawn-copy.ts, so it does not ride with the first
// screen (issue 7 budgets).

/** The wizard's answers in sessionStorage (src/features/connect/store/wizard-store.ts). */
export const WIZARD_STORAGE_KEY = 'aws-connect:wizard:v1';

/** Set on #root by the inline script when it drew the copy: the app waits for that step's code. */
export const DRAWN_STEP_ATTRIBUTE = 'data-drawn-step';

/**
 * On a part of the screen a reload does not bring back (the outcome of an action: a deployment's
 * answer, a failed verification, a notice about a link). While one is shown no copy is kept: the
 * app's first screen would differ from it.
 */
export const TRANSIENT_ATTRIBUTE = 'data-transient';
