import { ExpiredTokenException, RegionDisabledException, STSServiceException } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { classifyAwsError, parseAccessDenied, sanitizeAwsMessage } from './classify.ts';
import type { DiagnosisCode } from './codes.ts';

// Table of SDK errors as the SDK v3 shapes them (name = AWS error code, $metadata, Node's .code for
// network failures; shapes checked against real SDK calls in the integration tests) -> diagnosis code.

function awsError(name: string, message: string, httpStatusCode = 400): Error {
  return new STSServiceException({
    name,
    $fault: 'client',
    message,
    $metadata: { httpStatusCode, requestId: 'req-1' },
  });
}
function nodeError(code: string, message = `connect ${code} 127.0.0.1:9`): Error {
  return Object.assign(new Error(message), { code, $metadata: { attempts: 1 } });
}

const ROLE = 'arn:aws:iam::222222222222:role/ProwlerScan';
const CALLER = 'arn:aws:iam::111111111111:user/prowler-app';
const DENIED = `User: ${CALLER} is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`;

const CASES: [string, unknown, DiagnosisCode][] = [
  [
    'CredentialsProviderError',
    Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    }),
    'SOURCE_NO_CREDENTIALS',
  ],
  [
    'MissingAuthenticationToken',
    awsError('MissingAuthenticationToken', 'Request is missing Authentication Token'),
    'SOURCE_NO_CREDENTIALS',
  ],
  [
    'InvalidClientTokenId',
    awsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
    'SOURCE_KEY_INVALID',
  ],
  [
    'UnrecognizedClientException',
    awsError('UnrecognizedClientException', 'The security token is invalid.'),
    'SOURCE_KEY_INVALID',
  ],
  [
    'SignatureDoesNotMatch',
    awsError(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
      403,
    ),
    'SOURCE_SECRET_INVALID',
  ],
  [
    'SignatureDoesNotMatch, signature expired',
    awsError(
      'SignatureDoesNotMatch',
      'Signature expired: 20240101T000000Z is now earlier than 20240101T001500Z',
      403,
    ),
    'SOURCE_CLOCK_SKEW',
  ],
  [
    'SignatureDoesNotMatch, not yet current',
    awsError(
      'SignatureDoesNotMatch',
      'Signature not yet current: 20300101T000000Z is still later than 20240101T000000Z',
      403,
    ),
    'SOURCE_CLOCK_SKEW',
  ],
  [
    'RequestTimeTooSkewed',
    awsError(
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
      403,
    ),
    'SOURCE_CLOCK_SKEW',
  ],
  [
    'ExpiredToken',
    awsError('ExpiredToken', 'The security token included in the request is expired', 403),
    'SOURCE_TOKEN_EXPIRED',
  ],
  [
    'ExpiredTokenException (modelled class)',
    new ExpiredTokenException({
      message: 'The security token included in the request is expired',
      $metadata: {},
    }),
    'SOURCE_TOKEN_EXPIRED',
  ],
  [
    'RegionDisabledException (modelled class)',
    new RegionDisabledException({
      message: 'STS is not activated in this region for account:222222222222.',
      $metadata: {},
    }),
    'REGION_DISABLED',
  ],
  ['Throttling', awsError('Throttling', 'Rate exceeded'), 'THROTTLED'],
  ['ThrottlingException', awsError('ThrottlingException', 'Rate exceeded'), 'THROTTLED'],
  ['HTTP 429 with any code', awsError('SomethingElse', 'slow down', 429), 'THROTTLED'],
  ['ECONNREFUSED', nodeError('ECONNREFUSED'), 'STS_UNREACHABLE'],
  ['ENOTFOUND', nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND sts.example.invalid'), 'STS_UNREACHABLE'],
  ['ECONNRESET', nodeError('ECONNRESET', 'socket hang up'), 'STS_UNREACHABLE'],
  ['EPIPE', nodeError('EPIPE', 'write EPIPE'), 'STS_UNREACHABLE'],
  [
    'ECONNREFUSED inside an AggregateError (happy eyeballs)',
    Object.assign(new AggregateError([nodeError('ECONNREFUSED')], ''), { code: 'ECONNREFUSED' }),
    'STS_UNREACHABLE',
  ],
  [
    'TimeoutError from the http handler',
    Object.assign(new Error('a request has exceeded the configured 300 ms requestTimeout.'), {
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
    }),
    'STS_TIMEOUT',
  ],
  ['AbortError', Object.assign(new Error('Request aborted'), { name: 'AbortError' }), 'STS_TIMEOUT'],
  [
    'ValidationError on MaxSessionDuration',
    awsError(
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    ),
    'DURATION_EXCEEDS_MAX',
  ],
  [
    'ValidationError on role chaining',
    awsError(
      'ValidationError',
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    ),
    'DURATION_EXCEEDS_MAX',
  ],
  [
    'ValidationError on something else',
    awsError('ValidationError', "Value 'x' at 'roleSessionName' failed"),
    'UNKNOWN',
  ],
  [
    'AccessDenied, identity-based policy',
    awsError(
      'AccessDenied',
      `${DENIED} because no identity-based policy allows the sts:AssumeRole action`,
      403,
    ),
    'CALLER_NOT_PERMITTED',
  ],
  [
    'AccessDenied, explicit deny in an SCP',
    awsError('AccessDenied', `${DENIED} with an explicit deny in a service control policy`, 403),
    'EXPLICIT_DENY',
  ],
  [
    'AccessDenied, plain (trust policy): refined by diagnose()',
    awsError('AccessDenied', DENIED, 403),
    'UNKNOWN',
  ],
  ['InternalFailure', awsError('InternalFailure', 'An internal error occurred', 500), 'UNKNOWN'],
  ['A plain string thrown', 'boom', 'UNKNOWN'],
  ['null thrown', null, 'UNKNOWN'],
];

describe('classifyAwsError', () => {
  it.each(CASES)('%s', (_label, err, code) => {
    const result = classifyAwsError(err, 'sts:AssumeRole');
    expect(result.code).toBe(code);
    expect(result.awsError.call).toBe('sts:AssumeRole');
    expect(result.awsError.code.length).toBeGreaterThan(0);
  });

  it('keeps the raw code, message, request id and status of a service error', () => {
    const r = classifyAwsError(
      awsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
      'sts:GetCallerIdentity',
    );
    expect(r.awsError).toEqual({
      call: 'sts:GetCallerIdentity',
      code: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
      requestId: 'req-1',
      httpStatus: 403,
    });
  });

  it('names the network error code, not "Error"', () => {
    expect(classifyAwsError(nodeError('ECONNREFUSED')).awsError.code).toBe('ECONNREFUSED');
  });

  it.each([
    ['Throttling', awsError('Throttling', 'Rate exceeded'), true],
    ['HTTP 503', awsError('ServiceUnavailable', 'unavailable', 503), true],
    ['ECONNRESET', nodeError('ECONNRESET'), true],
    ['ECONNREFUSED', nodeError('ECONNREFUSED'), false],
    ['AccessDenied', awsError('AccessDenied', DENIED, 403), false],
    ['TimeoutError', Object.assign(new Error('t'), { name: 'TimeoutError' }), false],
  ])('retryable: %s -> %s', (_l, err, retryable) => {
    expect(classifyAwsError(err).retryable).toBe(retryable);
  });
});

describe('parseAccessDenied', () => {
  it.each([
    [DENIED, { variant: 'not-authorized', callerArn: CALLER, resource: ROLE }],
    [
      `${DENIED} because no identity-based policy allows the sts:AssumeRole action`,
      { variant: 'identity-policy', callerArn: CALLER, resource: ROLE },
    ],
    [
      `${DENIED} with an explicit deny in a service control policy`,
      { variant: 'explicit-deny', policyType: 'service control policy', callerArn: CALLER, resource: ROLE },
    ],
    [
      `${DENIED} with an explicit deny in a permissions boundary`,
      { variant: 'explicit-deny', policyType: 'permissions boundary', callerArn: CALLER, resource: ROLE },
    ],
    [
      `${DENIED} with an explicit deny in an identity-based policy: arn:aws:iam::111111111111:policy/deny-all`,
      { variant: 'explicit-deny', policyType: 'identity-based policy', callerArn: CALLER, resource: ROLE },
    ],
    [
      `User: arn:aws:sts::111111111111:assumed-role/prowler-worker/s1 is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`,
      {
        variant: 'not-authorized',
        callerArn: 'arn:aws:sts::111111111111:assumed-role/prowler-worker/s1',
        resource: ROLE,
      },
    ],
    ['Access denied', { variant: 'not-authorized' }],
  ])('%s', (message, expected) => {
    expect(parseAccessDenied(message)).toEqual(expected);
  });
});

describe('sanitizeAwsMessage', () => {
  it('drops the canonical request AWS may append (it can hold a session token)', () => {
    const msg =
      'The request signature we calculated does not match the signature you provided.\n\nThe Canonical String for this request should have been\n' +
      "'POST\n/\n\nx-amz-security-token:CANARYTOKEN'";
    const clean = sanitizeAwsMessage(msg);
    expect(clean).toBe('The request signature we calculated does not match the signature you provided.');
    expect(clean).not.toContain('CANARY');
  });

  it('caps very long messages', () => {
    expect(sanitizeAwsMessage('x'.repeat(5000)).length).toBeLessThanOrEqual(1001);
  });
});
