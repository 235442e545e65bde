// "Wait for deployment" (issue 6, step 5): re-verify while the stack is being created, with
// exponential backoff up to a limit. IAM is eventually consistent, so a fresh role can refuse
// AssumeRole for a few seconds (docs/design.md#aws-facts-the-validation-follows).

export const WAIT_MAX_ATTEMPTS = 12;
const BASE_MS = 2_000;
const CAP_MS = 15_000;

/** The delay before attempt `attempt + 1`: 2 s, 4 s, 8 s, then 15 s. */
export function backoffMs(attempt: number): number {
  return Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attempt - 1));
}

/** The worst case the user waits, for the checkbox's label. */
export function waitBudgetMs(): number {
  let total = 0;
  for (let a = 1; a < WAIT_MAX_ATTEMPTS; a++) total += backoffMs(a);
  return total;
}
