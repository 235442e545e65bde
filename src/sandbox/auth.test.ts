import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxHandle, startSandbox } from './server.ts';
import { expectAwsError, type Keys, signedPost, sts } from './test-clients.ts';
import { EXTERNAL_ID, KEYS, testScenario } from './test-scenario.ts';

// SigV4 on every request (issue 4): the SDK v3 for what an SDK sends, raw signed requests for what
// it never sends (no signature, tampered bodies, wrong scope).

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await startSandbox({ scenario: testScenario(), externalId: EXTERNAL_ID });
});
afterAll(() => sb.close());
afterEach(() => {
  sb.world.setFaults({});
});

const whoAmI = (keys: Keys, extra = {}) => sts(sb.url, keys, extra).send(new GetCallerIdentityCommand({}));
const GCI = 'Action=GetCallerIdentity&Version=2011-06-15';
const INVALID = 'The security token included in the request is invalid.';

describe('credentials', () => {
  it.each([
    [
      'an unknown access key',
      { accessKeyId: 'AKIAEXAMPLEUNKNOWN01', secretAccessKey: 'x'.repeat(40) },
      'InvalidClientTokenId',
      403,
      INVALID,
    ],
    ["serverCredentials('unknown-key')", null, 'InvalidClientTokenId', 403, INVALID],
    ['an inactive key', KEYS.inactive, 'InvalidClientTokenId', 403, INVALID],
    [
      'a long-term key sent with a session token',
      { ...KEYS.scanner, sessionToken: 'AQoEXAMPLE' },
      'InvalidClientTokenId',
      403,
      INVALID,
    ],
    [
      'a temporary key with the wrong token',
      { ...KEYS.expired, sessionToken: 'AQoWRONG' },
      'InvalidClientTokenId',
      403,
      INVALID,
    ],
    [
      'a temporary key without its token',
      { accessKeyId: KEYS.expired.accessKeyId, secretAccessKey: KEYS.expired.secretAccessKey },
      'InvalidClientTokenId',
      403,
      INVALID,
    ],
    [
      'expired temporary credentials',
      KEYS.expired,
      'ExpiredToken',
      403,
      'The security token included in the request is expired',
    ],
    [
      'the wrong secret',
      { ...KEYS.scanner, secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      'SignatureDoesNotMatch',
      403,
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    ],
  ])('%s -> %s', async (_, keys, name, status, message) => {
    const used = keys ?? sb.world.serverCredentials('unknown-key');
    expect(used).not.toBeNull();
    await expectAwsError(whoAmI(used as Keys), { name, status, message });
  });

  it("serverCredentials: 'scanner' is the scenario's scanner user, 'none' is nothing", async () => {
    expect(sb.world.serverCredentials('none')).toBeNull();
    const out = await whoAmI(sb.world.serverCredentials('scanner') as Keys);
    expect(out.Arn).toBe('arn:aws:iam::111111111111:user/prowler-app');
  });
});

describe('request signing', () => {
  it('answers MissingAuthenticationToken (403) in the STS error shape when nothing is signed', async () => {
    const res = await signedPost(sb.url, GCI, null);
    expect(res.status).toBe(403);
    const id = res.headers.get('x-amzn-requestid');
    expect(res.text).toBe(
      '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>' +
        '<Code>MissingAuthenticationToken</Code><Message>Request is missing Authentication Token</Message></Error>' +
        `<RequestId>${id}</RequestId></ErrorResponse>\n`,
    );
    expect(res.headers.get('content-type')).toBe('text/xml');
  });

  it.each([
    [-20, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/],
    [
      20,
      /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/,
    ],
  ])('refuses a request signed %i minutes off: SignatureDoesNotMatch', async (minutes, message) => {
    const res = await signedPost(sb.url, GCI, KEYS.scanner, {
      signingDate: new Date(Date.now() + minutes * 60_000),
    });
    expect(res.status).toBe(403);
    expect(res.text).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(/<Message>(.*)<\/Message>/.exec(res.text)?.[1]).toMatch(message);
  });

  it('accepts a request signed 10 minutes off (STS allows 15)', async () => {
    const res = await signedPost(sb.url, GCI, KEYS.scanner, {
      signingDate: new Date(Date.now() - 10 * 60_000),
    });
    expect(res.status).toBe(200);
  });

  it.each([
    ['a body changed after signing', { sendBody: `${GCI}&Extra=1` }, 403, 'SignatureDoesNotMatch'],
    [
      'a body hash header that lies',
      { headers: { 'x-amz-content-sha256': 'a'.repeat(64) } },
      403,
      'SignatureDoesNotMatch',
    ],
    ['the signing scope of another service', { service: 'iam' }, 403, 'SignatureDoesNotMatch'],
    [
      'an unsupported algorithm',
      { headers: { authorization: 'AWS3-HTTPS AWSAccessKeyId=AKIA' } },
      400,
      'IncompleteSignature',
    ],
  ])('refuses %s', async (_, opts, status, code) => {
    const res = await signedPost(sb.url, GCI, KEYS.scanner, opts);
    expect(res.status).toBe(status);
    expect(res.text).toContain(`<Code>${code}</Code>`);
  });

  it('signs headers the way botocore does (extra signed headers, no body hash header)', async () => {
    const res = await signedPost(sb.url, GCI, KEYS.scanner, {
      headers: { 'x-amz-user-agent': 'botocore/1.0' },
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<Arn>arn:aws:iam::111111111111:user/prowler-app</Arn>');
  });

  it('answers InvalidAction for an action it does not implement', async () => {
    const res = await signedPost(sb.url, 'Action=GetSessionToken&Version=2011-06-15', KEYS.scanner);
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>InvalidAction</Code>');
  });
});

describe('clock skew through the SDK (it corrects its clock from the Date header and retries)', () => {
  const SKEW = 20 * 60;
  it('ends in the skew error when the sandbox clock is off and Date is withheld (the default)', async () => {
    sb.world.setFaults({ clockSkewSeconds: SKEW });
    const err = await expectAwsError(whoAmI(KEYS.scanner, { maxAttempts: 3 }), {
      name: 'SignatureDoesNotMatch',
      status: 403,
      message: /^Signature expired: .* - 15 min\.\)$/,
    });
    expect((err as { $metadata?: { attempts?: number } }).$metadata?.attempts).toBe(1);
  });

  it('recovers when the sandbox sends its (skewed) Date: the SDK adopts it and retries once', async () => {
    sb.world.setFaults({ clockSkewSeconds: SKEW, dateHeader: 'send' });
    const out = await whoAmI(KEYS.scanner, { maxAttempts: 3 });
    expect(out.$metadata.attempts).toBe(2);
  });
});
