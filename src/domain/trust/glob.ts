// IAM wildcard matching (`*` any run of characters, including none and `/`; `?` exactly one),
// as StringLike, ArnLike and Action use it. No RegExp is built from policy text: a greedy
// segment match never backtracks across a `*`, so `*a*a*a…b` against a long string stays
// O(pattern × text) at worst and near-linear in practice.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String

/** Does `segment` (no `*`, may hold `?`) match `text` at `at`? */
function segmentAt(text: string, at: number, segment: string): boolean {
  if (at + segment.length > text.length) return false;
  for (let i = 0; i < segment.length; i++) {
    const p = segment.charCodeAt(i);
    if (p !== 63 /* ? */ && p !== text.charCodeAt(at + i)) return false;
  }
  return true;
}

/** First index >= from where `segment` matches, or -1. */
function findSegment(text: string, from: number, segment: string): number {
  if (!segment.includes('?')) return text.indexOf(segment, from);
  for (let at = from; at + segment.length <= text.length; at++) {
    if (segmentAt(text, at, segment)) return at;
  }
  return -1;
}

/**
 * Case-sensitive unless `ignoreCase`. Works on UTF-16 code units, which is what `?` means for
 * the ASCII that ARNs and IAM names are made of.
 */
export function globMatch(pattern: string, text: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const t = ignoreCase ? text.toLowerCase() : text;
  const segments = p.split('*');
  if (segments.length === 1) return p.length === t.length && segmentAt(t, 0, p);
  const first = segments[0] ?? '';
  const last = segments[segments.length - 1] ?? '';
  if (first.length + last.length > t.length) return false;
  if (!segmentAt(t, 0, first)) return false;
  const tailStart = t.length - last.length;
  if (!segmentAt(t, tailStart, last)) return false;
  // Middle segments: leftmost match is always safe, because what follows a `*` may start anywhere later.
  let pos = first.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const segment = segments[i] ?? '';
    if (segment === '') continue;
    const at = findSegment(t, pos, segment);
    if (at === -1 || at + segment.length > tailStart) return false;
    pos = at + segment.length;
  }
  return true;
}
