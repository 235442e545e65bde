// The errors STS and IAM answer, with their HTTP status, code and wording as AWS sends them.
// https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/CommonErrors.html

export type Service = 'sts' | 'iam' | 'cloudformation';

export class AwsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
  }
}

export const missingAuthenticationToken = () =>
  new AwsError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');

export const incompleteSignature = (detail: string) => new AwsError(400, 'IncompleteSignature', detail);

export const invalidClientTokenId = () =>
  new AwsError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');

/**
 * Expired session credentials: 403 from STS and IAM alike. (400 is the modelled
 * ExpiredTokenException of AssumeRoleWithSAML/WebIdentity, about the token passed in, not the caller's.)
 * https://github.com/aws/aws-sdk-java-v2/issues/1649 shows STS answering 403 ExpiredToken.
 */
export const expiredToken = () =>
  new AwsError(403, 'ExpiredToken', 'The security token included in the request is expired');

export const signatureDoesNotMatch = (
  message = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
) => new AwsError(403, 'SignatureDoesNotMatch', message);

export const regionDisabled = (accountId: string) =>
  new AwsError(
    403,
    'RegionDisabledException',
    `STS is not activated in this region for account:${accountId}. Your account administrator can activate STS in this region using the IAM Console.`,
  );

export const accessDenied = (message: string) => new AwsError(403, 'AccessDenied', message);

export const validationError = (message: string) => new AwsError(400, 'ValidationError', message);

export const noSuchEntity = (message: string) => new AwsError(404, 'NoSuchEntity', message);

export const malformedPolicyDocument = (message: string) =>
  new AwsError(400, 'MalformedPolicyDocument', message);

export const invalidInput = (message: string) => new AwsError(400, 'InvalidInput', message);

export const alreadyExists = (stackName: string) =>
  new AwsError(400, 'AlreadyExistsException', `Stack [${stackName}] already exists`);

export const insufficientCapabilities = (capability: string) =>
  new AwsError(400, 'InsufficientCapabilitiesException', `Requires capabilities : [${capability}]`);

export const invalidAction = (action: string, version: string) =>
  new AwsError(400, 'InvalidAction', `Could not find operation ${action} for version ${version}`);

export const missingAction = () => new AwsError(400, 'MissingAction', 'Missing Action');

export const throttling = () => new AwsError(400, 'Throttling', 'Rate exceeded');

export const serverError = (status: 500 | 503) =>
  status === 503
    ? new AwsError(
        503,
        'ServiceUnavailable',
        'The request has failed due to a temporary failure of the server.',
      )
    : new AwsError(
        500,
        'InternalFailure',
        'The request processing has failed because of an unknown error, exception or failure.',
      );
