// A later step drawn again when its tab reloads, from the tab's own copy of the screen (issue 15:
// the result step's first paint must not wait for the app's code; docs/decisions/065). The
// wizard writes the copy (src/app/drawn-result.ts); the page's inline script draws it before the
// app's code arrives (drawnStepScript in src/server/static.ts); the app then renders the same screen.

/** The wizard's answers in sessionStorage (src/features/connect/store/wizard-store.ts). */
export const WIZARD_STORAGE_KEY = 'aws-connect:wizard:v1';

/** The copy of the screen, in the same tab's sessionStorage. */
export const DRAWN_STEP_STORAGE_KEY = 'aws-connect:wizard:drawn:v1';

/** Set on #root by the inline script when it drew the copy: the app waits for that step's code. */
export const DRAWN_STEP_ATTRIBUTE = 'data-drawn-step';

/** The only step drawn this way: it has no input a secret is typed into. */
export const DRAWN_STEP = 'result';

export interface DrawnStep {
  step: typeof DRAWN_STEP;
  /** The answers entry the screen was rendered from: another entry means another screen. */
  answers: string;
  /** #root's markup as React rendered it. */
  html: string;
}
