import { Sha256 } from '@aws-crypto/sha256-js';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { expect } from 'vitest';

// Test support for the sandbox's integration tests: real SDK v3 clients with explicit endpoint and
// credentials (never the default chain or instance metadata), and a raw signed request for the
// cases an SDK will not produce (missing auth, odd headers). Imported by *.test.ts only.

process.env.AWS_EC2_METADATA_DISABLED = 'true';

export interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export function sts(url: string, credentials: Keys, extra: Partial<STSClientConfig> = {}): STSClient {
  return new STSClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1, ...extra });
}

export function iam(url: string, credentials: Keys): IAMClient {
  return new IAMClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
}

export function cloudformation(url: string, credentials: Keys, region = 'us-east-1'): CloudFormationClient {
  return new CloudFormationClient({ endpoint: url, region, credentials, maxAttempts: 1 });
}

export interface AwsErrorShape {
  name: string;
  status: number;
  message?: string | RegExp;
}

/** Awaits a rejected SDK call and checks code, HTTP status and (optionally) the message. */
export async function expectAwsError(call: Promise<unknown>, want: AwsErrorShape): Promise<Error> {
  const err = await call.then(
    () => {
      throw new Error(`expected ${want.name}, the call succeeded`);
    },
    (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number } },
  );
  expect({ name: err.name, status: err.$metadata?.httpStatusCode }).toEqual({
    name: want.name,
    status: want.status,
  });
  if (typeof want.message === 'string') expect(err.message).toBe(want.message);
  else if (want.message) expect(err.message).toMatch(want.message);
  return err;
}

/** A SigV4-signed query-protocol POST, sent with fetch; returns status, headers and the raw XML. */
export async function signedPost(
  url: string,
  body: string,
  keys: Keys | null,
  opts: {
    service?: string;
    region?: string;
    signingDate?: Date;
    /** Extra headers, signed; an `authorization` here replaces the signature. */
    headers?: Record<string, string>;
    /** Send this body instead of the signed one. */
    sendBody?: string;
  } = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const u = new URL(url);
  let request = new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: u.hostname,
    port: Number(u.port),
    path: '/',
    headers: {
      host: u.host,
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      ...opts.headers,
    },
    body,
  });
  if (keys) {
    const signer = new SignatureV4({
      service: opts.service ?? 'sts',
      region: opts.region ?? 'us-east-1',
      credentials: keys,
      sha256: Sha256,
    });
    request = (await signer.sign(request, { signingDate: opts.signingDate ?? new Date() })) as HttpRequest;
  }
  const { authorization, ...extra } = opts.headers ?? {};
  const headers = { ...request.headers, ...extra, ...(authorization ? { authorization } : {}) };
  const res = await fetch(`${url}/`, { method: 'POST', headers, body: opts.sendBody ?? body });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
