import type { DiagnosisCode } from '../../../domain/diagnosis/codes.ts';

// An identity check that fails because of one pasted value puts its message on that field too.
export const KEY_FIELD_ERRORS: Partial<
  Record<DiagnosisCode, { field: 'accessKeyId' | 'secretAccessKey' | 'sessionToken'; message: string }>
> = {
  SOURCE_KEY_INVALID: {
    field: 'accessKeyId',
    message:
      'AWS does not know this access key ID (InvalidClientTokenId): it was mistyped, deleted or deactivated.',
  },
  SOURCE_SECRET_INVALID: {
    field: 'secretAccessKey',
    message:
      'This secret does not belong to the access key ID (SignatureDoesNotMatch): paste the pair again.',
  },
  SOURCE_TOKEN_EXPIRED: {
    field: 'sessionToken',
    message: 'These temporary credentials have expired (ExpiredToken): get a fresh key, secret and token.',
  },
};
