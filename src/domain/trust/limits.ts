import type { TrustRequest } from './explanation.ts';

// How much the evaluator reads. Wildcard matching costs at worst pattern length × value length
// (glob.ts), so both sides are bounded, well above anything IAM itself accepts, and a document
// past the bound gets a sentence instead of minutes of work. The browser simulator, the CLI and
// every other caller run this same code, so all of them refuse with the same words.

const number = new Intl.NumberFormat('en');

/**
 * Characters of pasted text or of a policy file, white space included. The document is bounded
 * below; this bounds what is parsed to find it: `aws iam get-role` output adds the role's metadata,
 * up to 50 tags and a URL-encoded or pretty-printed document, and stays far under it.
 */
export const MAX_POLICY_TEXT_CHARS = 100_000;

/**
 * The document itself, counted as IAM counts, without white space. IAM holds a role trust policy
 * to 2,048 characters unless the account's quota was raised, and no IAM policy of any kind may
 * exceed 10,240 ("Policies have a maximum size between 2048 characters and 10,240 characters"),
 * so every document a role can hold is accepted.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html#policies-grammar-notes
 */
export const MAX_POLICY_CHARS = 10_240;

/** A request value (the caller's ARN, a context value): an ARN is at most 2,048 characters. */
export const MAX_REQUEST_VALUE_CHARS = 2_048;

export function policyTextTooLong(text: string): string | null {
  if (text.length <= MAX_POLICY_TEXT_CHARS) return null;
  return `The text is ${number.format(text.length)} characters; the evaluator reads at most ${number.format(MAX_POLICY_TEXT_CHARS)}, far more than a trust policy, even inside aws iam get-role output.`;
}

function nonSpace(text: string, budget: number): number {
  let n = 0;
  for (let i = 0; i < text.length && n <= budget; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) n++;
  }
  return n;
}

/** Characters of the document as compact JSON, without white space; stops counting past `limit`. */
function weight(doc: unknown, limit: number): number {
  const pending: unknown[] = [doc];
  let count = 0;
  while (pending.length > 0 && count <= limit) {
    const v = pending.pop();
    const budget = limit - count;
    if (typeof v === 'string') count += nonSpace(v, budget) + 2;
    else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint')
      count += String(v).length;
    else if (v === null) count += 4;
    else if (Array.isArray(v)) {
      count += 1 + Math.max(v.length, 1);
      if (count <= limit) pending.push(...v);
    } else if (typeof v === 'object') {
      const keys = Object.keys(v);
      count += 1 + Math.max(keys.length, 1);
      for (const key of keys) {
        if (count > limit) break;
        count += nonSpace(key, budget) + 3;
        pending.push((v as Record<string, unknown>)[key]);
      }
    }
  }
  return count;
}

const TOO_LARGE = `The trust policy has more than ${number.format(MAX_POLICY_CHARS)} characters (white space not counted), more than IAM accepts in any policy; a role trust policy holds ${number.format(2_048)} unless the account's quota was raised. It is not evaluated.`;

export function policyTooLarge(doc: unknown): string | null {
  try {
    return weight(doc, MAX_POLICY_CHARS) > MAX_POLICY_CHARS ? TOO_LARGE : null;
  } catch {
    return 'The trust policy could not be read as a JSON document.';
  }
}

function tooLong(what: string, value: string): string {
  return `The request's ${what} is ${number.format(value.length)} characters; the evaluator takes at most ${number.format(MAX_REQUEST_VALUE_CHARS)} (the longest an ARN can be).`;
}

export function requestTooLarge(request: Pick<TrustRequest, 'principalArn' | 'context'>): string | null {
  if (typeof request.principalArn === 'string' && request.principalArn.length > MAX_REQUEST_VALUE_CHARS)
    return tooLong('caller ARN', request.principalArn);
  for (const [key, raw] of Object.entries(request.context ?? {})) {
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      if (typeof value === 'string' && value.length > MAX_REQUEST_VALUE_CHARS)
        return tooLong(key.slice(0, 80), value);
    }
  }
  return null;
}
