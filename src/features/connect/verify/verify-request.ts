import type { VerifyRequestInput } from '../../../domain/verify-request.ts';
import type { Answers } from '../store/answers.ts';
import type { Secrets } from '../store/secrets.ts';

const orUndefined = (value: string) => (value.trim() === '' ? undefined : value.trim());

/** The request for POST /api/verify, from the answers and the in-memory keys (never stored). */
export function verifyRequestFrom(
  answers: Answers,
  secrets: Secrets,
  externalId: string,
): VerifyRequestInput {
  const source =
    answers.sourceKind === 'access-keys'
      ? {
          kind: 'access-keys' as const,
          accessKeyId: secrets.accessKeyId,
          secretAccessKey: secrets.secretAccessKey,
          sessionToken: orUndefined(secrets.sessionToken),
        }
      : { kind: 'sdk-default' as const };
  return {
    source,
    roleArn: answers.role.roleArn.trim(),
    externalId,
    sessionName: orUndefined(answers.role.sessionName),
    durationSeconds: answers.role.durationSeconds ?? undefined,
    trustedAccountId: orUndefined(answers.trust.trustedAccountId),
    iamPrincipal: orUndefined(answers.trust.iamPrincipal),
    accountId: orUndefined(answers.role.accountId),
    // The region chosen for the stack is where the scanner starts: its STS endpoint is checked too
    // (REGION_DISABLED when the account has not enabled it).
    region: orUndefined(answers.template.region),
    // The stack's name goes into the fix commands and the trust doctor.
    stackName: orUndefined(answers.template.stackName),
  };
}
