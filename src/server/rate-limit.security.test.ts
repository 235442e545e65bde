import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, errorBodySchema } from '../domain/api-contract.ts';
import { type LiveStack, okVerifyBody, startLiveStack } from '../testing/live-stack.ts';
import { type RawAnswer, rawRequest } from '../testing/raw-http.ts';
import { escapesUnreserved } from './canonical-url.ts';

// Issue 11, item 1: the router decodes percent-escapes, so /%61pi/verify runs /api/verify. The
// limit must count every spelling that reaches an /api route, and spellings that escape an
// unreserved character (RFC 3986 section 6.2.2.2) are refused outright. Raw sockets, because HTTP
// clients (and Fastify's inject) normalise the request target before it is sent.

const UNRESERVED = /[A-Za-z0-9\-._~]/;

const escapeChar = (c: string, upper: boolean) => {
  const hex = c.charCodeAt(0).toString(16).padStart(2, '0');
  return `%${upper ? hex.toUpperCase() : hex}`;
};

/** The path with one unreserved character escaped, for each character, then all of them. */
function escapedSpellings(path: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const c = path[i] as string;
    if (UNRESERVED.test(c)) out.push(path.slice(0, i) + escapeChar(c, i % 2 === 0) + path.slice(i + 1));
  }
  out.push([...path].map((c) => (UNRESERVED.test(c) ? escapeChar(c, true) : c)).join(''));
  return out;
}

/** Spellings the router sends to the route unchanged: a query, a fragment, the absolute form. */
function routedSpellings(path: string, port: number): string[] {
  return [path, `${path}?x=1`, `${path}#x`, `http://127.0.0.1:${port}${path}`];
}

interface Route {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

const ROUTES: Route[] = [
  { method: 'GET', path: API.config },
  { method: 'POST', path: API.identity, body: JSON.stringify({ source: { kind: 'sdk-default' } }) },
  { method: 'POST', path: API.verify, body: JSON.stringify(okVerifyBody()) },
  {
    method: 'POST',
    path: API.sandboxStacks,
    body: JSON.stringify({ accountId: '888888888888', parameters: {} }),
  },
  { method: 'GET', path: API.sandboxScenario },
];

function codeOf(answer: RawAnswer): string {
  return errorBodySchema.parse(JSON.parse(answer.text)).error.code;
}

describe('escapes of unreserved characters', () => {
  it('are found in the path, in either case, and nowhere else', () => {
    // Every escape %00-%FF, against the RFC's list of unreserved characters.
    for (let byte = 0; byte < 256; byte++) {
      const c = String.fromCharCode(byte);
      for (const upper of [false, true]) {
        expect(escapesUnreserved(`/x${escapeChar(c, upper)}y`), escapeChar(c, upper)).toBe(
          UNRESERVED.test(c),
        );
      }
    }
    expect(escapesUnreserved('/api/verify?step=%61')).toBe(false);
    expect(escapesUnreserved('/api/verify#%61')).toBe(false);
    expect(escapesUnreserved('/caf%C3%A9/%2F%20')).toBe(false);
    expect(escapesUnreserved('http://127.0.0.1:1/%61pi/verify')).toBe(true);
  });
});

describe('every spelling of every /api route', () => {
  let stack: LiveStack;
  let port: number;
  beforeAll(async () => {
    stack = await startLiveStack({ env: { AWS_CONNECT_RATE_LIMIT_PER_MINUTE: '3' } });
    port = Number(new URL(stack.url).port);
  });
  afterAll(() => stack?.close());

  it('a spelling that escapes an unreserved character is refused with 400, before the limit and AWS', async () => {
    stack.aws!.reset();
    for (const route of [...ROUTES, { method: 'GET', path: API.health } as Route]) {
      for (const target of escapedSpellings(route.path)) {
        const answer = await rawRequest(port, route.method, target, { body: route.body });
        expect(answer.status, `${route.method} ${target}: ${answer.text.slice(0, 200)}`).toBe(400);
        expect(codeOf(answer)).toBe('NON_CANONICAL_URL');
      }
    }
    expect(stack.aws!.count()).toBe(0);
    // None of those was counted: the limit of 3 still has room.
    expect((await rawRequest(port, 'GET', API.config)).status).toBe(200);
  });

  it('once the limit answered 429, no spelling of any route gets through', async () => {
    let status = 0;
    for (let i = 0; i < 5 && status !== 429; i++) status = (await rawRequest(port, 'GET', API.config)).status;
    expect(status).toBe(429);
    stack.aws!.reset();
    for (const route of ROUTES) {
      for (const target of routedSpellings(route.path, port)) {
        const answer = await rawRequest(port, route.method, target, { body: route.body });
        expect(answer.status, `${route.method} ${target}: ${answer.text.slice(0, 200)}`).toBe(429);
        expect(codeOf(answer)).toBe('RATE_LIMITED');
      }
      for (const target of escapedSpellings(route.path)) {
        const answer = await rawRequest(port, route.method, target, { body: route.body });
        expect(answer.status, `${route.method} ${target}`).toBe(400);
      }
    }
    expect(stack.aws!.count()).toBe(0);
    // Health stays answerable for monitors, by design.
    expect((await rawRequest(port, 'GET', API.health)).status).toBe(200);
  });
});
