import { createHash, createHmac, type Hash, type Hmac, timingSafeEqual } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { incompleteSignature } from './errors.ts';

// Signature Version 4 checks: the sandbox re-signs the request it received with the secret it knows,
// using the SDK's own signer (@smithy/signature-v4), and compares. Only the headers the client listed
// in SignedHeaders take part, exactly as sent, so any client that signs correctly for AWS passes.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytes(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** node:crypto behind the Checksum interface the signer expects: much faster than a JS SHA-256. */
class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

export interface AuthHeader {
  accessKeyId: string;
  /** yyyymmdd of the credential scope. */
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

/** Parses `AWS4-HMAC-SHA256 Credential=.../date/region/service/aws4_request, SignedHeaders=..., Signature=...`. */
export function parseAuthorization(header: string): AuthHeader {
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  if (algorithm !== ALGORITHM) {
    throw incompleteSignature(`Unsupported AWS 'algorithm': '${algorithm}'`);
  }
  const fields = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((k) => !fields.get(k));
  if (missing.length > 0) {
    throw incompleteSignature(
      `${missing.map((k) => `Authorization header requires '${k}' parameter.`).join(' ')} Authorization=${algorithm}`,
    );
  }
  const scope = (fields.get('Credential') ?? '').split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request' || !/^\d{8}$/.test(scope[1] ?? '')) {
    throw incompleteSignature(
      `Credential should be scoped to a valid region, not '${scope[2] ?? ''}'. Credential should be scoped with a valid terminator: 'aws4_request'.`,
    );
  }
  const [accessKeyId = '', scopeDate = '', region = '', service = ''] = scope;
  return {
    accessKeyId,
    scopeDate,
    region,
    service,
    signedHeaders: (fields.get('SignedHeaders') ?? '').split(';').filter(Boolean),
    signature: fields.get('Signature') ?? '',
  };
}

/** `20240102T030405Z` -> epoch ms, or null. */
export function parseAmzDate(value: string | undefined): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
}

export function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

export interface ReceivedRequest {
  method: string;
  /** The path as sent, without the query string. */
  path: string;
  query: Record<string, string | string[]>;
  /** Lower-case names, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/** True when the client's signature is the one the secret produces for this request. */
export async function signatureMatches(
  req: ReceivedRequest,
  auth: AuthHeader,
  signingDateMs: number,
  secretAccessKey: string,
): Promise<boolean> {
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = headerValue(req.headers[name]);
    if (value === undefined) return false;
    headers[name] = value;
  }
  // A declared body hash must be the body's own hash; the signer would otherwise trust it.
  const declared = headers['x-amz-content-sha256'];
  if (
    declared &&
    declared !== 'UNSIGNED-PAYLOAD' &&
    declared !== createHash('sha256').update(req.body).digest('hex')
  ) {
    return false;
  }
  const request = new HttpRequest({
    method: req.method,
    protocol: 'http:',
    hostname: (headers.host ?? 'localhost').replace(/:\d+$/, ''),
    path: req.path,
    query: req.query,
    headers,
    body: req.body,
  });
  // No session token in the credentials: the token header takes part only if the client signed it.
  const signer = new SignatureV4({
    service: auth.service,
    region: auth.region,
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey },
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const signed = await signer.sign(request, {
    signingDate: new Date(signingDateMs),
    signingRegion: auth.region,
    signingService: auth.service,
    signableHeaders: new Set(auth.signedHeaders),
  });
  const expected = /Signature=([0-9a-f]+)$/.exec(String(signed.headers.authorization ?? ''))?.[1] ?? '';
  const a = Buffer.from(expected);
  const b = Buffer.from(auth.signature);
  return a.length === b.length && timingSafeEqual(a, b);
}
