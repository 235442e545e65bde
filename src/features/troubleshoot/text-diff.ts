// The trust-chain picture highlights where the expected (policy) value and the actual (request)
// value part ways (issue 6). A common prefix/suffix split is enough for ARNs, account IDs and
// External IDs, and it is linear, so a 16 KB pasted value cannot stall the page.

export interface DiffParts {
  /** Shared leading text. */
  prefix: string;
  /** The expected value's differing middle ('' when the expected value only lacks text). */
  expected: string;
  /** The actual value's differing middle. */
  actual: string;
  /** Shared trailing text (never overlapping the prefix). */
  suffix: string;
  /** Both values are identical. */
  equal: boolean;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Splits two strings into a shared prefix, the two differing middles and a shared suffix. */
export function diffParts(expected: string, actual: string): DiffParts {
  const max = Math.min(expected.length, actual.length);
  let start = 0;
  while (start < max && expected.charCodeAt(start) === actual.charCodeAt(start)) start++;
  // Never cut an astral character (emoji, rare CJK) in half.
  if (start > 0 && start < max && isHighSurrogate(expected.charCodeAt(start - 1))) start--;
  let end = 0;
  while (
    end < max - start &&
    expected.charCodeAt(expected.length - 1 - end) === actual.charCodeAt(actual.length - 1 - end)
  ) {
    end++;
  }
  if (end > 0 && end < max - start && isLowSurrogate(expected.charCodeAt(expected.length - end))) end--;
  return {
    prefix: expected.slice(0, start),
    expected: expected.slice(start, expected.length - end),
    actual: actual.slice(start, actual.length - end),
    suffix: expected.slice(expected.length - end),
    equal: expected === actual,
  };
}

/** How much two strings share at their ends: the measure for "closest policy value". */
function sharedLength(parts: DiffParts): number {
  return parts.prefix.length + parts.suffix.length;
}

/**
 * Among several policy values (ORed in IAM), the one to compare against the request value:
 * the one sharing the most text with it, first on ties. Null when there is nothing to compare.
 */
export function closestDiff(expectedValues: readonly string[], actual: string | null): DiffParts | null {
  if (actual === null) return null;
  let best: DiffParts | null = null;
  for (const value of expectedValues) {
    const parts = diffParts(value, actual);
    if (best === null || sharedLength(parts) > sharedLength(best)) best = parts;
  }
  return best;
}
