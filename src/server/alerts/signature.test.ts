import { describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from './signature.ts';

const SECRET = 'webhook-secret-for-the-signature-table';
const BODY = '{"type":"connection.status_changed"}';
const NOW = 1_800_000_000_000;

describe('webhook signature', () => {
  const header = signatureHeader(SECRET, BODY, NOW);

  it('is t=<unix seconds>,v1=<64 hex> and verifies with the same secret and body', () => {
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature(SECRET, header, BODY, NOW)).toEqual({ ok: true, timestamp: 1_800_000_000 });
  });

  it.each([
    ['another body', SECRET, header, `${BODY} `, NOW, 'signature mismatch'],
    ['another secret', 'another-secret-of-sixteen+', header, BODY, NOW, 'signature mismatch'],
    ['a replay 301 s later', SECRET, header, BODY, NOW + 301_000, 'timestamp outside the replay window'],
    [
      'a timestamp moved forward',
      SECRET,
      header.replace('t=1800000000', 't=1800000100'),
      BODY,
      NOW,
      'signature mismatch',
    ],
    ['no header', SECRET, undefined, BODY, NOW, 'malformed header'],
    ['a truncated hmac', SECRET, header.slice(0, -2), BODY, NOW, 'malformed header'],
  ])('refuses %s', (_name, secret, h, body, now, reason) => {
    expect(verifySignature(secret, h, body, now)).toEqual({ ok: false, reason });
  });

  it('accepts a delivery 299 s old (inside the documented window)', () => {
    expect(verifySignature(SECRET, header, BODY, NOW + 299_000).ok).toBe(true);
  });
});
