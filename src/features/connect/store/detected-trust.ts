import type { TrustSuggestion } from '../../../domain/api-contract.ts';
import { type Answers, EMPTY_ANSWERS, type TrustOrigin } from './answers.ts';
import type { AnswersPatch } from './wizard-store.ts';

// The trust settings follow the identity step 1 detected until the user types their own: the
// template, its commands and "Deploy to sandbox" then admit the scanner from the start, instead of
// the default role/prowler* that refuses an IAM user (docs/decisions/032-detected-identity-fills-the-trust-settings.md).

type TrustField = keyof TrustOrigin;
const FIELDS: readonly TrustField[] = ['trustedAccountId', 'iamPrincipal'];
// The values a field holds before anyone chose one (the store's defaults: no AccountId, role/prowler*).
const UNSET: Record<TrustField, readonly string[]> = {
  trustedAccountId: ['', EMPTY_ANSWERS.trust.trustedAccountId],
  iamPrincipal: ['', EMPTY_ANSWERS.trust.iamPrincipal],
};

/** The patch that fills every field the user has not typed with what was detected. */
export function fillFromDetection(answers: Answers, suggestion: TrustSuggestion): AnswersPatch {
  const trust: Partial<Answers['trust']> = {};
  const trustOrigin: Partial<TrustOrigin> = {};
  for (const field of FIELDS) {
    const from = answers.trustOrigin[field];
    const untouched =
      from === 'detected' || (from === 'default' && UNSET[field].includes(answers.trust[field]));
    if (!untouched) continue;
    trust[field] = suggestion[field];
    trustOrigin[field] = 'detected';
  }
  return { trust, trustOrigin };
}

/** The origin of a field the form just changed: still "detected" only while it holds that value. */
export function originAfterEdit(answers: Answers, field: TrustField, value: string): TrustOrigin[TrustField] {
  const suggested = answers.detected?.suggestion[field];
  return answers.trustOrigin[field] === 'detected' && value.trim() === suggested ? 'detected' : 'entered';
}

/** Both settings hold the detected identity's values. */
export function detectedApplied(answers: Answers): boolean {
  const { detected, trust } = answers;
  if (!detected) return false;
  return FIELDS.every((field) => trust[field].trim() === detected.suggestion[field]);
}
