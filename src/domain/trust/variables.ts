import type { GlobPiece } from './glob.ts';

// Policy variables in condition values: `${aws:username}`, `${aws:PrincipalTag/team}`, … are
// replaced by the request's value for that key, `${key, 'default'}` falls back to the default,
// and `${*}`, `${?}`, `${$}` stand for the characters themselves. A variable the request has no
// value for makes the condition fail ("any attempt to match it fails"); a multivalued key cannot be
// a variable. The value put in is matched as written: a `*` in a user's tag is not a wildcard.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html

/** What a variable can be looked up in: request context values by lower-cased key name. */
export type VariableSource = ReadonlyMap<string, { key: string; values: string[] }>;

export type Resolved =
  | {
      ok: true;
      /** The value with its variables put in, as glob pieces (only the policy's own text has wildcards). */
      pieces: GlobPiece[];
      /** The same as plain text, for the equality operators. */
      text: string;
      /** "${aws:username} = prowler-app" for each variable put in. */
      substituted: string[];
    }
  | { ok: false; variable: string; reason: string };

const ESCAPES = new Map([
  ['*', '*'],
  ['?', '?'],
  ['$', '$'],
]);

/** `aws:username` or `aws:userid, 'anonymous'` (the documented "comma and space" form). */
function parseVariable(inner: string): { name: string; fallback?: string } {
  const comma = inner.indexOf(',');
  if (comma !== -1) {
    const rest = inner.slice(comma + 1).trim();
    const quoted = rest.length >= 2 && rest.startsWith("'") && rest.endsWith("'");
    if (quoted && !rest.slice(1, -1).includes("'"))
      return { name: inner.slice(0, comma).trim(), fallback: rest.slice(1, -1) };
  }
  return { name: inner.trim() };
}

/** `source` null: the policy predates variables (Version 2012-10-17), so `${…}` is plain text. */
export function resolveVariables(value: string, source: VariableSource | null): Resolved {
  if (source === null)
    return { ok: true, pieces: [{ text: value, wildcards: true }], text: value, substituted: [] };
  const pieces: GlobPiece[] = [];
  const substituted: string[] = [];
  let text = '';
  const put = (part: string, wildcards: boolean) => {
    if (part === '') return;
    pieces.push({ text: part, wildcards });
    text += part;
  };
  let at = 0;
  for (;;) {
    const open = value.indexOf('${', at);
    const close = open === -1 ? -1 : value.indexOf('}', open + 2);
    if (close === -1) break;
    put(value.slice(at, open), true);
    at = close + 1;
    const written = value.slice(open, at);
    const inner = value.slice(open + 2, close);
    const escaped = ESCAPES.get(inner);
    if (escaped !== undefined) {
      put(escaped, false);
      continue;
    }
    const { name, fallback } = parseVariable(inner);
    const found = source.get(name.toLowerCase());
    const values = found?.values ?? [];
    if (values.length > 1) {
      return {
        ok: false,
        variable: written,
        reason: `${found?.key ?? name} has ${values.length} values in the request, and a multivalued key cannot be a policy variable`,
      };
    }
    const inserted = values[0] ?? fallback;
    if (inserted === undefined)
      return { ok: false, variable: written, reason: `${name} has no value in this request` };
    put(inserted, false);
    substituted.push(`${written} = ${inserted}`);
  }
  put(value.slice(at), true);
  return { ok: true, pieces, text, substituted };
}
