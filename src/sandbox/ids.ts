import { createHash, randomBytes } from 'node:crypto';

// Identifiers shaped like AWS's: unique IDs (AIDA user, AROA role) are stable per account and name so
// a reloaded scenario keeps them; temporary keys are random.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(buf: Buffer, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += BASE32[(buf[i % buf.length] ?? 0) % 32];
  return out;
}

export function stableId(prefix: 'AIDA' | 'AROA', ...parts: string[]): string {
  return prefix + base32(createHash('sha256').update(parts.join('\0')).digest(), 17);
}

export function temporaryAccessKeyId(): string {
  return `ASIA${base32(randomBytes(16), 16)}`;
}

export function randomSecret(): string {
  return randomBytes(30).toString('base64');
}

/** Long and opaque, like STS's; never parsed, only looked up. */
export function randomSessionToken(): string {
  return `IQoJb3JpZ2luX2VjE${randomBytes(240).toString('base64')}`;
}

export function requestId(): string {
  return crypto.randomUUID();
}
