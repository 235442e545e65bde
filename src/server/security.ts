import { IncomingMessage, ServerResponse, STATUS_CODES } from 'node:http';
import { Socket } from 'node:net';
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { ApiError, errorBody, markRefused, refusalOf } from './errors.ts';
import { canonicalHost } from './host-guard.ts';

// Browser-facing protections (docs/design.md#security-rules, issue 8): a strict CSP with no inline
// script, no framing, nosniff; state-changing requests only from this origin; no CORS at all.

/**
 * The built app is plain files: one module script, stylesheets and images from 'self'. The page's
 * own stylesheet and its one small inline script are admitted by their sha256
 * (registerSecurityHeaders). React sets style
 * properties through the CSSOM, which style-src does not restrict, so no 'unsafe-inline'.
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

// Not typed as HelmetOptions: @fastify/helmet's types see helmet's CommonJS declarations, this
// file its ESM ones, and the two CSP option types do not match; a literal fits both.
const HELMET_OPTIONS = {
  contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
  // X-Frame-Options for browsers without frame-ancestors.
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  // The server usually runs on http://127.0.0.1, where HSTS means nothing; a TLS proxy sets its own.
  strictTransportSecurity: false,
} as const;

/**
 * `inline`: the page's inlined stylesheets and its one inline script (static.ts loadWebBuild),
 * admitted by hash only.
 */
export async function registerSecurityHeaders(
  app: FastifyInstance,
  inline: { styleHashes: readonly string[]; scriptHashes: readonly string[] } = {
    styleHashes: [],
    scriptHashes: [],
  },
): Promise<void> {
  // helmet's onRequest hook runs before routing's handlers and body parsing, so error-handler,
  // not-found and rate-limit answers carry the headers too.
  await app.register(fastifyHelmet, {
    ...HELMET_OPTIONS,
    contentSecurityPolicy: {
      ...HELMET_OPTIONS.contentSecurityPolicy,
      directives: {
        ...CSP_DIRECTIVES,
        scriptSrc: [...CSP_DIRECTIVES.scriptSrc, ...inline.scriptHashes],
        styleSrc: [...CSP_DIRECTIVES.styleSrc, ...inline.styleHashes],
      },
    },
  });
}

// Three answers are written by Fastify outside the request lifecycle, where no hook runs, helmet's
// included: an undecodable URL (frameworkErrors), a request that is not valid HTTP (clientError)
// and the 503 while closing. They take the same headers from here, computed once by helmet
// itself from the options above, so the two sets cannot drift apart.

/** helmet's headers as plain values: its middleware run once against a response that is never sent. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = (() => {
  const req = new IncomingMessage(new Socket());
  const res = new ServerResponse(req);
  helmet(HELMET_OPTIONS)(req, res, () => undefined);
  return Object.fromEntries(Object.entries(res.getHeaders()).map(([name, value]) => [name, String(value)]));
})();

/**
 * Replaces Fastify's defaultClientErrorHandler (same statuses, same socket handling): that one
 * writes a bare answer straight to the socket, without these headers or our error body.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'REQUEST_TIMEOUT', 'The request did not arrive in time.']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'HEADERS_TOO_LARGE', 'The request headers are too large.']
        : [400, 'BAD_REQUEST', 'The request is not valid HTTP.'];
  markRefused(socket, new ApiError(status, code, message));
  const body = JSON.stringify(errorBody(code, message, []));
  const headers = {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  if (socket.writable)
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head.join('')}\r\n${body}`);
  socket.destroy(err);
}

/**
 * Answers 503 while the server closes from an onRequest hook (after helmet's), instead of Fastify's
 * return503OnClosing, which answers before any hook. Register after registerSecurityHeaders.
 */
export function refuseWhileClosing(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async () => {
    if (closing) throw new ApiError(503, 'SHUTTING_DOWN', 'The server is shutting down; try again shortly.');
  });
}

/**
 * onRequest hook: a request whose connection is already gone is not worked on. Node dispatches a
 * request as soon as its headers are parsed; bytes after them in the same packet (a malformed
 * chunk) can make clientErrorHandler answer and close the connection before the next hook runs.
 * Register after registerSecurityHeaders, whose hook gives the parser that turn.
 */
export async function refuseClosedConnections(request: FastifyRequest): Promise<void> {
  const socket = request.raw.socket;
  if (!socket.destroyed) return;
  throw (
    refusalOf(socket) ??
    new ApiError(400, 'CONNECTION_CLOSED', 'The connection closed before the request was read.')
  );
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The host a request names: its Host header, and the authority of an absolute-form target. */
function namedHosts(request: FastifyRequest): string[] {
  const hosts = [request.headers.host ?? ''];
  const target = request.raw.url ?? '';
  if (!target.startsWith('/') && target !== '*') {
    try {
      hosts.push(new URL(target).host);
    } catch {
      hosts.push('');
    }
  }
  return hosts;
}

/**
 * Refuses any Host not in `allowedHosts` (canonical names from host-guard.ts): DNS rebinding would
 * otherwise let a web page talk to this server as if it were same-origin. Then refuses cross-site
 * state changes (Sec-Fetch-Site, then Origin against Host). An empty list refuses every request.
 */
export function originGuard(allowedHosts: readonly string[]) {
  const allowed = new Set(allowedHosts);
  return async (request: FastifyRequest) => {
    for (const named of namedHosts(request)) {
      const name = canonicalHost(named);
      if (name === null || !allowed.has(name)) {
        throw new ApiError(
          403,
          'HOST_NOT_ALLOWED',
          `This server does not answer to the host name "${named.slice(0, 100)}".`,
        );
      }
    }
    const host = request.headers.host ?? '';
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
