import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './errors.ts';

// Browser-facing protections (PRODUCT.md security rules, issue 8): a strict CSP with no inline
// script, no framing, nosniff; state-changing requests only from this origin; no CORS at all.

/**
 * The built app is plain files: one module script, stylesheets and images from 'self'. React sets
 * style properties through the CSSOM, which style-src does not restrict, so no 'unsafe-inline'.
 */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    // X-Frame-Options for browsers without frame-ancestors.
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // The server usually runs on http://127.0.0.1, where HSTS means nothing; a TLS proxy sets its own.
    strictTransportSecurity: false,
  });
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function hostnameOf(hostHeader: string): string {
  // "[::1]:8787" -> "[::1]", "127.0.0.1:8787" -> "127.0.0.1"
  const m = /^(\[[^\]]+\]|[^:]+)(:\d+)?$/.exec(hostHeader.trim().toLowerCase());
  return m?.[1] ?? '';
}

/**
 * Refuses cross-site state changes (Sec-Fetch-Site, then Origin against Host) and, when the server
 * listens on loopback, any Host that is not a loopback name: DNS rebinding would otherwise let a
 * web page talk to this server as if it were same-origin.
 */
export function originGuard(allowedHosts: readonly string[]) {
  return async (request: FastifyRequest) => {
    const host = request.headers.host ?? '';
    if (allowedHosts.length > 0 && !allowedHosts.includes(hostnameOf(host))) {
      throw new ApiError(
        403,
        'HOST_NOT_ALLOWED',
        `This server does not answer to the host name "${hostnameOf(host)}".`,
      );
    }
    if (!UNSAFE_METHODS.has(request.method)) return;
    const site = request.headers['sec-fetch-site'];
    if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') {
      throw new ApiError(403, 'CROSS_ORIGIN_REFUSED', 'Requests from other sites are refused.');
    }
    const origin = request.headers.origin;
    if (origin !== undefined) {
      let originHost: string | null = null;
      try {
        originHost = new URL(origin).host.toLowerCase();
      } catch {
        originHost = null;
      }
      if (originHost === null || originHost !== host.toLowerCase()) {
        throw new ApiError(403, 'CROSS_ORIGIN_REFUSED', 'Requests from other origins are refused.');
      }
    }
  };
}
