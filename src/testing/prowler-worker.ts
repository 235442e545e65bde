import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { ConnectionOutcome } from './prowler-fake.ts';

// What Prowler's worker does for a connection test (docs/prowler-api.md), for the fake to run
// against a real STS (the sandbox): AssumeRole with the secret's role and External ID, as the
// worker's own identity; GetCallerIdentity in us-east-1 with the assumed credentials; then "is the
// account the provider's uid?". Failures are written as Prowler writes them (its exception and
// number, then botocore's wording of the AWS error), so our reading of them meets AWS's real text.

export interface WorkerIdentity {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const ARN = /^arn:[^:]+:iam::\d{12}:role\/.+/;

function assumeRoleError(text: string): string {
  return `AWSAssumeRoleError[1012]: AWS assume role error - ${text}`;
}

export function stsWorker(identity: WorkerIdentity): ConnectionOutcome {
  return async ({ provider, secret }) => {
    const roleArn = String(secret.secret.role_arn ?? '');
    const externalId = String(secret.secret.external_id ?? '');
    if (!ARN.test(roleArn))
      return {
        connected: false,
        error: 'AWSIAMRoleARNMissingFieldsError[1007]: AWS IAM Role ARN missing fields',
      };
    // botocore checks the length before sending; the JS SDK does not.
    if (externalId.length < 2) {
      return {
        connected: false,
        error: assumeRoleError(
          `Parameter validation failed:\nInvalid length for parameter ExternalId, value: ${externalId.length}, valid min length: 2`,
        ),
      };
    }
    const sts = (credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
      new STSClient({
        region: 'us-east-1',
        endpoint: identity.endpoint,
        credentials: credentials ?? {
          accessKeyId: identity.accessKeyId,
          secretAccessKey: identity.secretAccessKey,
        },
        maxAttempts: 1,
      });
    let assumed: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
    try {
      const out = await sts().send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          ExternalId: externalId,
          RoleSessionName: String(secret.secret.role_session_name ?? 'ProwlerAssessmentSession'),
          DurationSeconds: Number(secret.secret.session_duration ?? 3600),
        }),
      );
      const c = out.Credentials!;
      assumed = {
        accessKeyId: c.AccessKeyId!,
        secretAccessKey: c.SecretAccessKey!,
        sessionToken: c.SessionToken!,
      };
    } catch (err) {
      const e = err as Error & { code?: string; cause?: { code?: string } };
      if (
        e.code === 'ECONNREFUSED' ||
        e.cause?.code === 'ECONNREFUSED' ||
        /ECONNREFUSED/.test(String(e.message))
      ) {
        return {
          connected: false,
          error: assumeRoleError(`Could not connect to the endpoint URL: "${identity.endpoint}/"`),
        };
      }
      return {
        connected: false,
        error: assumeRoleError(
          `An error occurred (${e.name}) when calling the AssumeRole operation: ${e.message}`,
        ),
      };
    }
    const who = await sts(assumed).send(new GetCallerIdentityCommand({}));
    if (who.Account !== provider.uid) {
      return {
        connected: false,
        error: 'AWSInvalidProviderIdError[1015]: The provided AWS credentials belong to a different account',
      };
    }
    return { connected: true, error: null };
  };
}
