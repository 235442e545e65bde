import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { newExternalId } from './external-id.ts';
import type { Scope } from './store/connections.ts';
import type { Store } from './store/database.ts';
import { externalIdForSession } from './store/sessions.ts';

// Whose External ID a request may use, and whose connections it sees (issue 13, part 7).
// Self-hosted: one installation, one External ID, every connection. Hosted: many customers on
// one server identity, so each browser session gets its own External ID, kept server-side with
// the session; a visitor can then never present another customer's ID as one this server issued
// (docs/decisions/031-external-id-per-session.md).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html

export const SESSION_COOKIE = 'aws_connect_session';
/** A session lasts 30 days without a visit; the cookie is renewed on each one. */
const SESSION_MAX_AGE_S = 30 * 24 * 3600;

export interface Tenancy {
  kind: 'installation' | 'session';
  /** The External ID this request may verify with in sdk-default mode (hosted: issues a session). */
  externalId(request: FastifyRequest, reply: FastifyReply): Promise<string>;
  /** Whose saved connections this request sees, and who owns the ones it saves. */
  scope(request: FastifyRequest, reply: FastifyReply): Promise<{ scope: Scope; owner: string | null }>;
}

export function installationTenancy(externalId: string): Tenancy {
  return {
    kind: 'installation',
    externalId: async () => externalId,
    scope: async () => ({ scope: 'all', owner: null }),
  };
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

/** Over https (directly, or as a TLS proxy says) the cookie is Secure; a forged header only breaks the forger's own session. */
function isHttps(request: FastifyRequest): boolean {
  return request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';
}

const SESSION_RE = /^[A-Za-z0-9_-]{43}$/;
const hashOf = (value: string) => createHash('sha256').update(value).digest('hex');

export function sessionTenancy(store: Store, now: () => number = Date.now): Tenancy {
  /** The session's hash, starting a session (and setting its cookie) when the request has none. */
  const session = (request: FastifyRequest, reply: FastifyReply): string => {
    const memo = (request as { awsConnectSession?: string }).awsConnectSession;
    if (memo) return memo;
    let value = cookieValue(request.headers.cookie, SESSION_COOKIE);
    if (!value || !SESSION_RE.test(value)) value = randomBytes(32).toString('base64url');
    reply.header(
      'set-cookie',
      `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${SESSION_MAX_AGE_S}; HttpOnly; SameSite=Strict${isHttps(request) ? '; Secure' : ''}`,
    );
    const hash = hashOf(value);
    (request as { awsConnectSession?: string }).awsConnectSession = hash;
    return hash;
  };
  return {
    kind: 'session',
    externalId: (request, reply) =>
      externalIdForSession(store.db, session(request, reply), newExternalId(), now()),
    scope: async (request, reply) => {
      const owner = session(request, reply);
      return { scope: { owner }, owner };
    },
  };
}
