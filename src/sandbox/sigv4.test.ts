import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { skewError } from './auth.ts';
import {
  formatAmzDate,
  parseAmzDate,
  parseAuthorization,
  type ReceivedRequest,
  signatureMatches,
} from './sigv4.ts';

// The SigV4 check in isolation: a request signed by the SDK's signer (with the JS SHA-256, not the
// sandbox's node:crypto one) verifies; any change to what was signed does not.

const KEYS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
const WHEN = new Date('2026-01-02T03:04:05Z');

async function signed(extraHeaders: Record<string, string> = {}): Promise<ReceivedRequest> {
  const req = new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4566,
    path: '/',
    headers: {
      host: '127.0.0.1:4566',
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      ...extraHeaders,
    },
    body: BODY,
  });
  const out = await new SignatureV4({
    service: 'sts',
    region: 'eu-west-1',
    credentials: KEYS,
    sha256: Sha256,
  }).sign(req, {
    signingDate: WHEN,
  });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(out.headers)) headers[k.toLowerCase()] = v;
  return { method: 'POST', path: '/', query: {}, headers, body: Buffer.from(BODY) };
}

const check = (req: ReceivedRequest, secret = KEYS.secretAccessKey) =>
  signatureMatches(req, parseAuthorization(String(req.headers.authorization)), WHEN.getTime(), secret);

describe('parseAuthorization', () => {
  it('reads the credential scope, signed headers and signature', () => {
    expect(
      parseAuthorization(
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260102/eu-west-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc123',
      ),
    ).toEqual({
      accessKeyId: 'AKIDEXAMPLE',
      scopeDate: '20260102',
      region: 'eu-west-1',
      service: 'sts',
      signedHeaders: ['host', 'x-amz-date'],
      signature: 'abc123',
    });
  });

  it.each([
    ['AWS3 Credential=x', /Unsupported AWS 'algorithm'/],
    [
      'AWS4-HMAC-SHA256 Credential=AKID/20260102/eu-west-1/sts/aws4_request',
      /requires 'SignedHeaders'.*requires 'Signature'/,
    ],
    ['AWS4-HMAC-SHA256 Credential=AKID/bad, SignedHeaders=host, Signature=ab', /Credential should be scoped/],
  ])('refuses %s with IncompleteSignature', (header, message) => {
    expect(() => parseAuthorization(header)).toThrow(message);
    try {
      parseAuthorization(header);
    } catch (e) {
      expect(e).toMatchObject({ code: 'IncompleteSignature', status: 400 });
    }
  });
});

describe('amz dates and the skew window', () => {
  it('round-trips the basic ISO 8601 form', () => {
    expect(formatAmzDate(WHEN.getTime())).toBe('20260102T030405Z');
    expect(parseAmzDate('20260102T030405Z')).toBe(WHEN.getTime());
    expect(parseAmzDate('2026-01-02T03:04:05Z')).toBeNull();
  });

  it.each([
    [
      -16,
      'Signature expired: 20260102T024805Z is now earlier than 20260102T024905Z (20260102T030405Z - 15 min.)',
    ],
    [
      16,
      'Signature not yet current: 20260102T032005Z is still later than 20260102T031905Z (20260102T030405Z + 15 min.)',
    ],
    [-14, null],
    [14, null],
  ])('a request signed %i minutes off', (minutes, message) => {
    const now = WHEN.getTime();
    expect(skewError(now + minutes * 60_000, now)?.message ?? null).toBe(message);
  });
});

describe('signatureMatches', () => {
  it('accepts what the SDK signer produced', async () => {
    expect(await check(await signed())).toBe(true);
  });

  it('accepts extra signed headers, such as botocore and proxies add', async () => {
    expect(await check(await signed({ 'x-amz-user-agent': 'botocore', 'x-custom': 'a  b' }))).toBe(true);
  });

  it('accepts a signed session token header', async () => {
    expect(await check(await signed({ 'x-amz-security-token': 'AQoTOKEN' }))).toBe(true);
  });

  it.each([
    ['the wrong secret', (r: ReceivedRequest) => r, 'x'.repeat(40)],
    ['a changed body', (r: ReceivedRequest) => ({ ...r, body: Buffer.from(`${BODY}&X=1`) }), undefined],
    [
      'a changed signed header',
      (r: ReceivedRequest) => ({ ...r, headers: { ...r.headers, host: 'evil:1' } }),
      undefined,
    ],
    [
      'a missing signed header',
      (r: ReceivedRequest) => ({ ...r, headers: { ...r.headers, 'content-type': undefined } }),
      undefined,
    ],
    ['a changed path', (r: ReceivedRequest) => ({ ...r, path: '/other' }), undefined],
    [
      'an added query parameter',
      (r: ReceivedRequest) => ({ ...r, query: { Action: 'AssumeRole' } }),
      undefined,
    ],
  ])('rejects %s', async (_, change, secret) => {
    expect(await check(change(await signed()), secret)).toBe(false);
  });

  it('rejects a body hash header that does not match the body', async () => {
    const req = await signed({ 'x-amz-content-sha256': 'a'.repeat(64) });
    expect(await check(req)).toBe(false);
  });
});
