import { Fragment } from 'react';

// Identifiers and commands wrap only where a person would break them: an ARN after ":" and "/",
// a CLI argument list after ",", never inside a word (`CAPABILITY_NA|MED_IAM`) or at a hyphen
// (`prowler-|scan-role.yaml`). Each piece is a nowrap span; the breaks between pieces are <wbr>,
// which adds no character to the text a user selects and copies.

/** Splits after each character in `after`, keeping the characters: "a:b/c" -> ["a:", "b/", "c"]. */
export function breakPieces(text: string, after: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (after.includes(text[i]!) && i + 1 < text.length) {
      pieces.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  pieces.push(text.slice(start));
  return pieces.filter(Boolean);
}

export interface BreakableProps {
  text: string;
  /** Where a line may break; default ":/," (ARNs, account IDs, argument lists). */
  after?: string;
}

export function Breakable({ text, after = ':/,' }: BreakableProps) {
  const pieces = breakPieces(text, after);
  return (
    <>
      {pieces.map((piece, i) => (
        // Pieces repeat (":" in "iam::"), so the index is the only stable key.
        // biome-ignore lint/suspicious/noArrayIndexKey: static text, never reordered
        <Fragment key={i}>
          {i > 0 ? <wbr /> : null}
          <span className="whitespace-nowrap">{piece}</span>
        </Fragment>
      ))}
    </>
  );
}

/** A command or snippet line: breaks at spaces (kept as typed) and after commas. */
export function BreakableLine({ line }: { line: string }) {
  const parts = line.split(/(\s+)/);
  return (
    <>
      {parts.map((part, i) =>
        /^\s*$/.test(part) ? (
          part
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: static text, never reordered
          <Breakable key={i} text={part} after="," />
        ),
      )}
    </>
  );
}
