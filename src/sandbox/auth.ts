import {
  type AwsError,
  expiredToken,
  incompleteSignature,
  invalidClientTokenId,
  missingAuthenticationToken,
  type Service,
  signatureDoesNotMatch,
} from './errors.ts';
import type { Caller } from './model.ts';
import {
  type AuthHeader,
  formatAmzDate,
  parseAmzDate,
  parseAuthorization,
  type ReceivedRequest,
  signatureMatches,
} from './sigv4.ts';
import type { SandboxWorld } from './world.ts';

// Who sent this request, checked in the order AWS answers: a signature at all, a known key (and its
// session token), an unexpired session, a request time within STS's 15-minute window, the
// signature itself. STS's window is 15 minutes, as its own error text says
// ("... is now earlier than ... (... - 15 min.)").
// https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html

export const SKEW_TOLERANCE_MS = 15 * 60_000;

export interface Authenticated {
  caller: Caller;
  auth: AuthHeader;
}

function header(req: ReceivedRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function skewError(signedAt: number, now: number): AwsError | null {
  const fmt = formatAmzDate;
  if (signedAt < now - SKEW_TOLERANCE_MS) {
    return signatureDoesNotMatch(
      `Signature expired: ${fmt(signedAt)} is now earlier than ${fmt(now - SKEW_TOLERANCE_MS)} (${fmt(now)} - 15 min.)`,
    );
  }
  if (signedAt > now + SKEW_TOLERANCE_MS) {
    return signatureDoesNotMatch(
      `Signature not yet current: ${fmt(signedAt)} is still later than ${fmt(now + SKEW_TOLERANCE_MS)} (${fmt(now)} + 15 min.)`,
    );
  }
  return null;
}

export async function authenticate(
  world: SandboxWorld,
  req: ReceivedRequest,
  /** The SigV4 scope's service: sts, iam, or organizations (organizations.ts). */
  service: Service | 'organizations',
): Promise<Authenticated> {
  const authorization = header(req, 'authorization');
  if (!authorization) throw missingAuthenticationToken();
  const auth = parseAuthorization(authorization);
  const signedAt = parseAmzDate(header(req, 'x-amz-date'));
  if (signedAt === null) {
    throw incompleteSignature(
      `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${authorization.split(' ')[0]}`,
    );
  }
  const credential = world.credential(auth.accessKeyId);
  if (!credential) throw invalidClientTokenId();
  const token = header(req, 'x-amz-security-token');
  if (credential.kind === 'session') {
    if (token !== credential.session.sessionToken) throw invalidClientTokenId();
    if (credential.session.expiresAt <= world.now()) throw expiredToken();
  } else if (token !== undefined || !credential.active) {
    throw invalidClientTokenId();
  }
  const skew = skewError(signedAt, world.now());
  if (skew) throw skew;
  if (auth.service !== service) {
    throw signatureDoesNotMatch(`Credential should be scoped to correct service: '${service}'. `);
  }
  if (!(await signatureMatches(req, auth, signedAt, credential.secretAccessKey)))
    throw signatureDoesNotMatch();
  return { caller: credential.caller, auth };
}
