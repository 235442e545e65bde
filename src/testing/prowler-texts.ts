import type { DiagnosisCode } from '../domain/diagnosis/codes.ts';

/** Every `result.error` text Prowler's connection test is known to give (docs/prowler-api.md), and our reading. */
export const PROWLER_ERROR_TEXTS: ReadonlyArray<{
  text: string;
  rule: string;
  code: DiagnosisCode;
  confidence: 'confirmed' | 'suspected';
}> = [
  { text: 'Provider has no secret.', rule: 'no-secret', code: 'INVALID_INPUT', confidence: 'confirmed' },
  {
    text: 'AWSInvalidProviderIdError[1015]: The provided AWS credentials belong to a different account',
    rule: 'account-mismatch',
    code: 'ROLE_ACCOUNT_MISMATCH',
    confidence: 'confirmed',
  },
  {
    text: 'AWSIAMRoleARNMissingFieldsError[1007]: AWS IAM Role ARN missing fields',
    rule: 'role-arn-missing-fields',
    code: 'INVALID_INPUT',
    confidence: 'confirmed',
  },
  {
    text: 'AWSAssumeRoleError[1012]: AWS assume role error - Parameter validation failed:\nInvalid length for parameter ExternalId, value: 1, valid min length: 2',
    rule: 'external-id-invalid',
    code: 'INVALID_INPUT',
    confidence: 'confirmed',
  },
  {
    text: 'AWSAssumeRoleError[1012]: AWS assume role error - Could not connect to the endpoint URL: "http://127.0.0.1:1/"',
    rule: 'sts-unreachable',
    code: 'STS_UNREACHABLE',
    confidence: 'confirmed',
  },
  {
    text: 'AWSAssumeRoleError[1012]: AWS assume role error - An error occurred (InvalidClientTokenId) when calling the AssumeRole operation: The security token included in the request is invalid.',
    rule: 'assume-role-client-error',
    code: 'SOURCE_KEY_INVALID',
    confidence: 'confirmed',
  },
];
