import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { principalArnFromCaller, suggestTrustSettings } from '../../domain/arn.ts';
import type { CallFailure } from '../../domain/diagnosis/diagnose.ts';
import { identityView } from '../../domain/diagnosis/diagnosis-view.ts';
import { enteredKeyFacts, failureFacts } from '../../domain/diagnosis/facts.ts';
import { type GuidanceEnv, guidanceFor } from '../../domain/diagnosis/guidance.ts';
import type { IdentityResponse } from '../../domain/diagnosis-contract.ts';
import type { CredentialSource } from '../../domain/inputs.ts';
import { type CallPolicy, callAws, Limiter } from './aws-call.ts';
import { stsClient } from './aws-clients.ts';
import { scrubSecrets } from './scrub.ts';
import { resolveSource } from './source.ts';
import type { VerifyContext } from './verify.ts';

// Who a credential source resolves to (docs/design.md#the-journey, step 1), and the trust settings that would
// admit it (step 3). One sts:GetCallerIdentity, which needs no permission: a failure is an
// authentication or network problem.

function failed(
  failure: CallFailure,
  endpoint: string | undefined,
  source: CredentialSource,
  env: GuidanceEnv,
): IdentityResponse {
  const facts = [
    ...enteredKeyFacts(failure.error.code, source.kind === 'access-keys' ? source.accessKeyId : undefined),
    ...failureFacts(endpoint && !failure.endpoint ? { ...failure, endpoint } : failure),
  ];
  const diagnosis = { code: failure.error.code, facts };
  const guidance = guidanceFor(
    identityView({ diagnosis, awsError: failure.error.awsError }, source.kind),
    env,
  );
  return { ok: false, diagnosis, guidance, awsError: failure.error.awsError };
}

export async function resolveIdentity(
  source: CredentialSource,
  ctx: VerifyContext,
): Promise<IdentityResponse> {
  const secrets = source.kind === 'access-keys' ? [source.secretAccessKey, source.sessionToken ?? ''] : [];
  const creds = await resolveSource(source, ctx.defaultCredentials, ctx.timeoutMs);
  if (!creds.ok) return failed(creds.failure, undefined, source, ctx.guidance);
  secrets.push(creds.value.secretAccessKey, creds.value.sessionToken ?? '');
  let endpoint: string | undefined;
  const policy: CallPolicy = {
    timeoutMs: ctx.timeoutMs,
    maxAttempts: ctx.maxAttempts ?? 3,
    baseDelayMs: ctx.baseDelayMs ?? 100,
    limiter: new Limiter(1),
    timings: [],
    endpoint: () => endpoint,
  };
  const sts = stsClient({
    region: ctx.region,
    endpoints: ctx.endpoints,
    timeoutMs: ctx.timeoutMs,
    agents: ctx.agents,
    credentials: creds.value,
    onEndpoint: (e) => {
      endpoint = e;
    },
  });
  const result = await callAws('sts:GetCallerIdentity', policy, (abortSignal) =>
    sts.send(new GetCallerIdentityCommand({}), { abortSignal }),
  );
  if (!result.ok) return scrubSecrets(failed(result.failure, endpoint, source, ctx.guidance), secrets);
  const arn = result.value.Arn ?? '';
  const account = result.value.Account ?? '';
  const principal = principalArnFromCaller(arn);
  const suggestion = suggestTrustSettings(arn) ?? {
    trustedAccountId: account,
    iamPrincipal: '*',
    notes: [
      `The template's aws:PrincipalArn condition cannot name ${arn} precisely; "*" admits every principal of account ${account}.`,
    ],
  };
  return {
    ok: true,
    identity: {
      arn,
      account,
      userId: result.value.UserId ?? '',
      principalArn: principal?.principalArn ?? arn,
      pathUnknown: principal?.pathUnknown ?? false,
    },
    suggestion,
  };
}
