import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { classifyAwsError } from '../../domain/diagnosis/classify.ts';
import type { Outcome } from '../../domain/diagnosis/diagnose.ts';
import type { CredentialSource } from '../../domain/inputs.ts';

// The credentials a verification calls AWS with (docs/design.md#the-journey, step 1): the server's default chain,
// or exactly the keys the user pasted, for this request only (never stored, never logged).

export async function resolveSource(
  source: CredentialSource,
  defaultCredentials: AwsCredentialIdentityProvider,
  timeoutMs: number,
): Promise<Outcome<AwsCredentialIdentity>> {
  if (source.kind === 'access-keys') {
    return {
      ok: true,
      value: {
        accessKeyId: source.accessKeyId,
        secretAccessKey: source.secretAccessKey,
        ...(source.sessionToken ? { sessionToken: source.sessionToken } : {}),
      },
    };
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            Object.assign(new Error(`The default credential chain did not answer within ${timeoutMs} ms.`), {
              name: 'TimeoutError',
            }),
          ),
        timeoutMs,
      );
    });
    const value = await Promise.race([defaultCredentials(), timeout]);
    return { ok: true, value };
  } catch (err) {
    const error = classifyAwsError(err, 'credentials:default-chain');
    // Every failure of the chain itself (no provider, a broken profile, an expired SSO session)
    // means the server has no usable identity: that is the guidance the operator needs.
    if (error.code === 'UNKNOWN') error.code = 'SOURCE_NO_CREDENTIALS';
    return { ok: false, failure: { error, attempts: 1 } };
  } finally {
    clearTimeout(timer);
  }
}

/** AKIA…WXYZ: enough to recognise the key, useless to anyone else. */
export function maskAccessKeyId(id: string): string {
  return id.length <= 8 ? `${id.slice(0, 4)}…` : `${id.slice(0, 4)}…${id.slice(-4)}`;
}
