// Belt and braces for the secrets rule (docs/design.md#security-rules): whatever AWS or the SDK put into a message,
// no secret value of this verification survives into the report.

const MIN_SECRET_LENGTH = 8;
export const REDACTED = '[redacted]';

/** Has a character JSON.stringify escapes: such a secret may be in a string yet not in its JSON. */
function jsonEscapes(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}

export function scrubSecrets<T>(value: T, secrets: readonly string[]): T {
  const needles = secrets.filter((s) => s.length >= MIN_SECRET_LENGTH);
  if (needles.length === 0) return value;
  // Nearly every report holds none of its secrets: one native pass over its JSON says so, and the
  // value goes out as it is, instead of being copied whole (a verification's report is its largest
  // object, and the copy showed in the server's profile, bench/throughput.ts). Only plain JSON
  // data is looked at this way: anything else is copied as before.
  if (!needles.some(jsonEscapes) && isPlainJson(value)) {
    const json = JSON.stringify(value);
    if (needles.every((s) => !json.includes(s))) return value;
  }
  const scrub = (v: unknown): unknown => {
    if (typeof v === 'string')
      return needles.reduce((text, s) => (text.includes(s) ? text.split(s).join(REDACTED) : text), v);
    if (Array.isArray(v)) return v.map(scrub);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).map(([k, inner]) => [k, scrub(inner)]),
      );
    }
    return v;
  };
  return scrub(value) as T;
}

/**
 * Strings, finite numbers, booleans, null, and arrays and plain objects of them (undefined
 * properties allowed): what JSON.stringify writes out whole, so a secret in any string is in the JSON.
 */
function isPlainJson(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every((item) => item !== undefined && isPlainJson(item));
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    for (const key in v) {
      const inner = (v as Record<string, unknown>)[key];
      if (inner !== undefined && !isPlainJson(inner)) return false;
    }
    return Object.getOwnPropertySymbols(v).length === 0;
  }
  return false;
}
