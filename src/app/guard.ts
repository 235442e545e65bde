import type { StepInput } from '../features/connect/step-schemas.ts';
import type { StepDefinition } from './steps.ts';

// epic-stack's requireOnboardingEmail, for a wizard: a deep link ahead of the answers goes back to
// the first step that is not finished (issue 6, Behaviour).

export function isFinished(step: StepDefinition, input: StepInput): boolean {
  if (!step.schema || !step.select) return false;
  return step.schema.safeParse(step.select(input)).success;
}

/** Index of the first step whose answers do not pass its schema (the last step when all do). */
export function firstUnfinished(steps: readonly StepDefinition[], input: StepInput): number {
  const index = steps.findIndex((step) => step.schema !== null && !isFinished(step, input));
  return index === -1 ? steps.length - 1 : index;
}

export interface Resolution {
  index: number;
  /** The URL asked for a step that is not reachable (or unknown): it is replaced. */
  redirected: boolean;
  requestedIndex: number;
}

export function resolveStep(
  steps: readonly StepDefinition[],
  requested: string | null,
  input: StepInput,
): Resolution {
  const limit = firstUnfinished(steps, input);
  const requestedIndex = steps.findIndex((s) => s.id === requested);
  if (requestedIndex === -1) return { index: limit, redirected: true, requestedIndex };
  if (requestedIndex > limit) return { index: limit, redirected: true, requestedIndex };
  return { index: requestedIndex, redirected: false, requestedIndex };
}
