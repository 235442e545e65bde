import { createHmac, timingSafeEqual } from 'node:crypto';
import { WEBHOOK_REPLAY_WINDOW_S } from '../../domain/webhook.ts';

// The webhook signature (docs/webhooks.md): `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
// The timestamp is inside the signed text, so a captured delivery cannot be replayed later with a
// fresh one; the receiver checks it against its clock (WEBHOOK_REPLAY_WINDOW_S).

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function signatureHeader(secret: string, body: string, now: number = Date.now()): string {
  const t = Math.floor(now / 1000);
  return `t=${t},v1=${signatureOf(secret, t, body)}`;
}

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: string };

/** What a receiver does: parse the header, refuse stale timestamps, compare in constant time. */
export function verifySignature(
  secret: string,
  header: string | undefined,
  body: string,
  now: number = Date.now(),
  windowS: number = WEBHOOK_REPLAY_WINDOW_S,
): SignatureCheck {
  const parts = new Map(
    (header ?? '').split(',').map((p) => {
      const i = p.indexOf('=');
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1)) return { ok: false, reason: 'malformed header' };
  if (Math.abs(now / 1000 - t) > windowS) return { ok: false, reason: 'timestamp outside the replay window' };
  const expected = Buffer.from(signatureOf(secret, t, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(v1, 'hex'))) return { ok: false, reason: 'signature mismatch' };
  return { ok: true, timestamp: t };
}
