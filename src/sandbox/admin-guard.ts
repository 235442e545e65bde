import type { IncomingMessage } from 'node:http';

// The admin API (/__sandbox/) replaces the world, deploys stacks, sets faults and hands out the
// scenario with its demo keys. It has no authentication: what keeps it to this machine's own tools
// is that a web page cannot use it (docs/decisions/015-sandbox-admin-guard.md).
// - DNS rebinding: a page on attacker.example, re-resolved to 127.0.0.1, is same-origin with the
//   sandbox as far as the browser knows, but its requests carry Host: attacker.example.
// - Cross-site requests: a form or a no-cors fetch can POST text/plain from any page without a
//   preflight; only a JSON Content-Type forces one, and the sandbox grants no CORS.
// https://fetch.spec.whatwg.org/#cors-safelisted-request-header
// https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Sec-Fetch-Site

export interface AdminRefusal {
  status: 403 | 415;
  code: 'HOST_NOT_ALLOWED' | 'CROSS_ORIGIN_REFUSED' | 'UNSUPPORTED_MEDIA_TYPE';
  message: string;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const IPV4_LOOPBACK = /^127(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** "[::1]:8788" -> "[::1]", "LocalHost:8788" -> "localhost"; "" when it is not a host[:port]. */
export function hostnameOf(hostHeader: string): string {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(:\d{1,5})?$/.exec(hostHeader.trim().toLowerCase());
  return m?.[1] ?? '';
}

/**
 * Names that only ever mean this machine: localhost, a 127.0.0.0/8 address, [::1]. An address
 * cannot be rebound; "localhost" resolves to loopback by definition (RFC 6761, section 6.3).
 */
export function isLoopbackHostname(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || IPV4_LOOPBACK.test(hostname);
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Why this admin request is refused, or null. `allowedHosts`: further Host names (lower case,
 * without port) accepted besides the loopback ones.
 */
export function adminRefusal(
  req: IncomingMessage,
  allowedHosts: readonly string[] = [],
): AdminRefusal | null {
  const host = req.headers.host ?? '';
  const hostname = hostnameOf(host);
  if (!hostname || !(isLoopbackHostname(hostname) || allowedHosts.includes(hostname))) {
    return {
      status: 403,
      code: 'HOST_NOT_ALLOWED',
      message: `The sandbox admin API answers only to loopback host names (127.0.0.1, localhost, [::1]), not "${hostname || host}".`,
    };
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return { status: 403, code: 'CROSS_ORIGIN_REFUSED', message: 'Requests from web pages are refused.' };
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let originHost: string | null = null;
    try {
      originHost = new URL(origin).host.toLowerCase();
    } catch {
      originHost = null;
    }
    if (originHost === null || originHost !== host.trim().toLowerCase()) {
      return {
        status: 403,
        code: 'CROSS_ORIGIN_REFUSED',
        message: 'Requests from other origins are refused.',
      };
    }
  }
  return null;
}

/** A write must say it is JSON: no form or text/plain body, which any page can send. */
export function writeRefusal(req: IncomingMessage): AdminRefusal | null {
  if (!WRITE_METHODS.has(req.method ?? '') || mediaType(req.headers['content-type']) === 'application/json')
    return null;
  return {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Send the sandbox admin API Content-Type: application/json (also when the body is empty).',
  };
}
