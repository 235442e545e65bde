// Belt and braces for the secrets rule (docs/design.md#security-rules): whatever AWS or the SDK put into a message,
// no secret value of this verification survives into the report.

const MIN_SECRET_LENGTH = 8;
export const REDACTED = '[redacted]';

export function scrubSecrets<T>(value: T, secrets: readonly string[]): T {
  const needles = secrets.filter((s) => s.length >= MIN_SECRET_LENGTH);
  if (needles.length === 0) return value;
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
