import type { AwsErrorInfo } from '../api-contract.ts';
import type { DiagnosisCode } from './codes.ts';

// The one place that maps AWS SDK errors to diagnosis codes (docs/architecture.md#errors: SDK errors are
// mapped by error.name in one place). By name, not instanceof, so this stays pure domain code
// that does not import the SDK. Error codes: https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html

export type AccessDeniedVariant = 'identity-policy' | 'explicit-deny' | 'not-authorized';

export interface AccessDeniedInfo {
  variant: AccessDeniedVariant;
  /** "service control policy", "permissions boundary", ... for explicit denies. */
  policyType?: string;
  /** The caller as AWS names it in "User: <arn> is not authorized ...". */
  callerArn?: string;
  resource?: string;
}

export interface Classified {
  code: DiagnosisCode;
  awsError: AwsErrorInfo;
  /** Set for AccessDenied: diagnose() refines it with the trust-policy evidence. */
  accessDenied?: AccessDeniedInfo;
  /** Worth another attempt after a backoff (throttling, 5xx, a reset connection). */
  retryable: boolean;
  throttled: boolean;
}

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'SlowDown',
]);
const TRANSIENT_SERVER = new Set([
  'InternalFailure',
  'InternalError',
  'ServiceUnavailable',
  'InternalServerError',
]);
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const KEY_INVALID = new Set(['InvalidClientTokenId', 'UnrecognizedClientException', 'InvalidAccessKeyId']);
const TOKEN_EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired']);
const SIGNATURE = new Set(['SignatureDoesNotMatch', 'InvalidSignatureException']);
const CLOCK_SKEW = new Set(['RequestTimeTooSkewed', 'RequestExpired', 'RequestInTheFuture']);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
  $metadata?: { httpStatusCode?: unknown; requestId?: unknown; attempts?: unknown };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Node network errors hide their code in .code, .cause.code or (happy eyeballs) .errors[0].code. */
function networkCode(e: ErrorLike): string | undefined {
  const candidates: unknown[] = [e.code, (e.cause as ErrorLike | undefined)?.code];
  if (Array.isArray(e.errors)) for (const inner of e.errors) candidates.push((inner as ErrorLike)?.code);
  for (const c of candidates) if (typeof c === 'string' && UNREACHABLE.has(c)) return c;
  return undefined;
}

const MAX_MESSAGE = 1000;

/**
 * AWS may append the canonical request or string-to-sign to a signature error, and those can
 * carry a session token: never keep them (docs/design.md#security-rules).
 */
export function sanitizeAwsMessage(message: string): string {
  const cut = message.search(/\n|The Canonical String|The String-to-Sign|canonical request/i);
  const kept = (cut >= 0 ? message.slice(0, cut) : message).trim();
  return kept.length > MAX_MESSAGE ? `${kept.slice(0, MAX_MESSAGE)}…` : kept;
}

/** Reads AWS's AccessDenied wording for sts:AssumeRole (docs/design.md#aws-facts-the-validation-follows). */
export function parseAccessDenied(message: string): AccessDeniedInfo {
  const who = /User: (\S+) is not authorized to perform: (\S+) on resource: (\S+?)(?=[\s,]|$)/.exec(message);
  const info: AccessDeniedInfo = { variant: 'not-authorized' };
  if (who?.[1]) info.callerArn = who[1];
  if (who?.[3]) info.resource = who[3];
  if (/because no identity-based policy allows/i.test(message)) info.variant = 'identity-policy';
  const deny = /with an explicit deny in (?:an? |the )?([A-Za-z][A-Za-z -]*?)\s*(?::|\.|$)/i.exec(message);
  if (deny?.[1]) {
    info.variant = 'explicit-deny';
    info.policyType = deny[1].trim();
  }
  return info;
}

export function classifyAwsError(err: unknown, call = 'aws'): Classified {
  const e: ErrorLike =
    typeof err === 'object' && err !== null ? (err as ErrorLike) : { message: String(err) };
  const net = networkCode(e);
  const name = str(e.name) ?? 'Error';
  const rawCode = net ?? str(e.Code) ?? (name === 'Error' ? str(e.code) : undefined) ?? name;
  const message = sanitizeAwsMessage(str(e.message) ?? rawCode);
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const awsError: AwsErrorInfo = { call, code: rawCode, message };
  const requestId = str(e.$metadata?.requestId);
  if (requestId) awsError.requestId = requestId;
  if (status !== undefined) awsError.httpStatus = status;

  const result = (code: DiagnosisCode, extra: Partial<Classified> = {}): Classified => ({
    code,
    awsError,
    retryable: false,
    throttled: false,
    ...extra,
  });

  if (name === 'CredentialsProviderError' || rawCode === 'MissingAuthenticationToken') {
    return result('SOURCE_NO_CREDENTIALS');
  }
  if (net) return result('STS_UNREACHABLE', { retryable: net === 'ECONNRESET' || net === 'EPIPE' });
  if (name === 'TimeoutError' || name === 'AbortError' || rawCode === 'ETIMEDOUT')
    return result('STS_TIMEOUT');
  if (KEY_INVALID.has(rawCode)) return result('SOURCE_KEY_INVALID');
  if (SIGNATURE.has(rawCode)) {
    // AWS reuses SignatureDoesNotMatch for a request signed too long ago or in the future.
    return result(
      /signature expired|not yet current/i.test(message) ? 'SOURCE_CLOCK_SKEW' : 'SOURCE_SECRET_INVALID',
    );
  }
  if (CLOCK_SKEW.has(rawCode)) return result('SOURCE_CLOCK_SKEW');
  if (TOKEN_EXPIRED.has(rawCode)) return result('SOURCE_TOKEN_EXPIRED');
  if (rawCode === 'RegionDisabledException') return result('REGION_DISABLED');
  if (THROTTLING.has(rawCode) || status === 429)
    return result('THROTTLED', { retryable: true, throttled: true });
  if (rawCode === 'ValidationError' && /durationSeconds/i.test(message))
    return result('DURATION_EXCEEDS_MAX');
  if (rawCode === 'AccessDenied' || rawCode === 'AccessDeniedException') {
    const accessDenied = parseAccessDenied(message);
    const code: DiagnosisCode =
      accessDenied.variant === 'identity-policy'
        ? 'CALLER_NOT_PERMITTED'
        : accessDenied.variant === 'explicit-deny'
          ? 'EXPLICIT_DENY'
          : 'UNKNOWN';
    return result(code, { accessDenied });
  }
  const transient = TRANSIENT_SERVER.has(rawCode) || (status !== undefined && status >= 500);
  return result('UNKNOWN', { retryable: transient });
}
