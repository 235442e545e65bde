// The tab's copy of a later step (src/domain/drawn-step.ts): where it is kept, which steps have
// one, and what it holds.

/** The copy of the screen, in the same tab's sessionStorage. */
export const DRAWN_STEP_STORAGE_KEY = 'aws-connect:wizard:drawn:v1';

/**
 * The steps drawn this way: every step after the first, which the server draws itself. None has a
 * field a secret is typed into (access keys are typed on the first step, and with them a reload
 * goes back to it).
 */
export const DRAWN_STEPS = ['template', 'trust', 'role', 'verify', 'result'] as const;
export type DrawnStepId = (typeof DRAWN_STEPS)[number];

/**
 * On a field whose value is one of the stored answers (or the server's config), so the copy shows
 * it as the app will. Any other field is drawn empty: what was typed there is not kept.
 */
export const KEPT_FIELD_ATTRIBUTE = 'data-kept';

export interface DrawnStep {
  step: DrawnStepId;
  /** The answers entry the screen was rendered from: another entry means another screen. */
  answers: string;
  /** #root's markup as React rendered it, with only the kept fields' values. */
  html: string;
}
