import type { FastifyRequest } from 'fastify';
import { ApiError } from './errors.ts';

// The router decodes percent-escapes before matching, so /%61pi/verify runs /api/verify. RFC 3986
// section 6.2.2.2: an escaped unreserved character (ALPHA, DIGIT, "-", ".", "_", "~") means the
// same as the character itself, and URI producers should never escape one. No browser or SDK does,
// so such a path is refused rather than given a second name for every route (issue 11).
// https://www.rfc-editor.org/rfc/rfc3986#section-6.2.2.2

/** %30-%39, %41-%5A, %61-%7A, %2D, %2E, %5F, %7E, in either case. No nested quantifier: linear. */
const UNRESERVED_ESCAPE = /%(?:3[0-9]|[46][1-9a-f]|[57][0-9a]|2[de]|5f|7e)/i;

/** True when the request target's path (before "?" or "#") escapes an unreserved character. */
export function escapesUnreserved(target: string): boolean {
  const end = target.search(/[?#]/);
  return UNRESERVED_ESCAPE.test(end === -1 ? target : target.slice(0, end));
}

/** onRequest hook: before the rate limit, so that the limit sees routes by one name only. */
export async function refuseNonCanonicalUrl(request: FastifyRequest): Promise<void> {
  if (!escapesUnreserved(request.raw.url ?? '')) return;
  throw new ApiError(
    400,
    'NON_CANONICAL_URL',
    'The request URL escapes a letter, digit or one of "-._~" (such as %61 for "a"); send those characters as they are.',
  );
}
