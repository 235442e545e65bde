import type { IdentityResponse } from '../../../domain/diagnosis-contract.ts';
import { fillFromDetection } from '../store/detected-trust.ts';
import { wizardStore } from '../store/wizard-store.ts';

/**
 * Keeps who the source resolved to, for the live checks, and fills the trust settings the user has
 * not typed with it (store/detected-trust.ts), so step 2's template admits the scanner.
 */
export function rememberDetection(result: IdentityResponse) {
  const { answers } = wizardStore.getState();
  if (!result.ok) {
    if (answers.detected) wizardStore.update({ detected: null });
    return;
  }
  const detected = { identity: result.identity, suggestion: result.suggestion };
  if (JSON.stringify(detected) === JSON.stringify(answers.detected)) return;
  wizardStore.update({ detected, ...fillFromDetection(answers, result.suggestion) });
}
