import type { IdentityResponse } from '../../../domain/api-contract.ts';
import { wizardStore } from '../store/wizard-store.ts';

/**
 * Keeps who the source resolved to, for step 3's "Use detected identity" and live check. The trusted
 * AccountId is unambiguous, so an empty one is filled; IAMPrincipal is left to the user (step 3).
 */
export function rememberDetection(result: IdentityResponse) {
  const { answers } = wizardStore.getState();
  if (!result.ok) {
    if (answers.detected) wizardStore.update({ detected: null });
    return;
  }
  const detected = { identity: result.identity, suggestion: result.suggestion };
  if (JSON.stringify(detected) === JSON.stringify(answers.detected)) return;
  wizardStore.update({
    detected,
    ...(answers.trust.trustedAccountId
      ? {}
      : { trust: { trustedAccountId: result.suggestion.trustedAccountId } }),
  });
}
