// IAM wildcard matching (`*` any run of characters, including none and `/`; `?` exactly one), as
// StringLike, ArnLike and Action use it. The classic two-pointer matcher: it remembers only the
// last `*` and resumes one character further when the text after it fails, so it never
// backtracks across earlier stars. The worst case is O(pattern × text), with no recursion and no
// RegExp built from policy text; the evaluator bounds both sides (limits.ts), which bounds the time.
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

/** Does `units[from, to)` match the whole of `text`? */
export function matchUnits(units: readonly number[], text: string, from = 0, to = units.length): boolean {
  let p = from;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    const u = p < to ? units[p] : undefined;
    if (u === ONE || u === text.charCodeAt(t)) {
      p++;
      t++;
    } else if (u === STAR) {
      star = p++;
      resume = t;
    } else if (star !== -1) {
      p = star + 1;
      resume++;
      t = resume;
    } else {
      return false;
    }
  }
  while (p < to && units[p] === STAR) p++;
  return p === to;
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
