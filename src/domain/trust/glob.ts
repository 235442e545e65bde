// IAM wildcard matching (`*` any run of characters, including none and `/`; `?` exactly one), as
// StringLike, ArnLike and Action use it. The pattern is cut at its stars into segments; the first
// must start the text, the last must end it, and each one between is taken at its leftmost place
// after the previous one, which is always safe because what follows a `*` may start anywhere later.
// So nothing backtracks across a star: a segment without `?` is one indexOf, one with `?` a scan,
// O(pattern × text) at worst, with no recursion and no RegExp built from policy text. The
// evaluator bounds both sides (limits.ts), which bounds the time.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String

const STAR = -1;
const ONE = -2;

/**
 * A run of pattern text. `*` and `?` in it are wildcards only where `wildcards` is true: the value a
 * policy variable stands for, and the escapes `${*}` and `${?}`, are matched as written.
 */
export interface GlobPiece {
  text: string;
  wildcards: boolean;
}

/** The pattern as UTF-16 code units, wildcards as negative markers. */
export function globUnits(pieces: readonly GlobPiece[], ignoreCase = false): number[] {
  const units: number[] = [];
  for (const piece of pieces) {
    const text = ignoreCase ? piece.text.toLowerCase() : piece.text;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      units.push(piece.wildcards && c === 42 ? STAR : piece.wildcards && c === 63 ? ONE : c);
    }
  }
  return units;
}

/** Does `segment` (no stars) match `text` at `at`? */
function segmentAt(text: string, at: number, segment: readonly number[]): boolean {
  if (at < 0 || at + segment.length > text.length) return false;
  for (let i = 0; i < segment.length; i++) {
    const u = segment[i];
    if (u !== ONE && u !== text.charCodeAt(at + i)) return false;
  }
  return true;
}

/** First index >= from where `segment` matches, or -1. */
function findSegment(text: string, from: number, segment: readonly number[]): number {
  if (!segment.includes(ONE)) {
    let literal = '';
    for (const u of segment) literal += String.fromCharCode(u);
    return text.indexOf(literal, from);
  }
  for (let at = from; at + segment.length <= text.length; at++) {
    if (segmentAt(text, at, segment)) return at;
  }
  return -1;
}

/** Does `units[from, to)` match the whole of `text`? */
export function matchUnits(units: readonly number[], text: string, from = 0, to = units.length): boolean {
  const segments: number[][] = [[]];
  for (let i = from; i < to; i++) {
    const u = units[i] ?? 0;
    if (u === STAR) segments.push([]);
    else segments[segments.length - 1]?.push(u);
  }
  const first = segments[0] ?? [];
  if (segments.length === 1) return first.length === text.length && segmentAt(text, 0, first);
  const last = segments[segments.length - 1] ?? [];
  if (first.length + last.length > text.length) return false;
  if (!segmentAt(text, 0, first)) return false;
  const tailStart = text.length - last.length;
  if (!segmentAt(text, tailStart, last)) return false;
  let pos = first.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const segment = segments[i] ?? [];
    if (segment.length === 0) continue;
    const at = findSegment(text, pos, segment);
    if (at === -1 || at + segment.length > tailStart) return false;
    pos = at + segment.length;
  }
  return true;
}

/**
 * Case-sensitive unless `ignoreCase`. Works on UTF-16 code units, which is what `?` means for
 * the ASCII that ARNs and IAM names are made of.
 */
export function globMatch(pattern: string, text: string, ignoreCase = false): boolean {
  return matchUnits(
    globUnits([{ text: pattern, wildcards: true }], ignoreCase),
    ignoreCase ? text.toLowerCase() : text,
  );
}
