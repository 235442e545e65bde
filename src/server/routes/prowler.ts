import type { FastifyInstance } from 'fastify';
import { prowlerPushEndpoint } from '../../domain/prowler-push-request.ts';
import { compareVerdicts } from '../../domain/prowler-verdict.ts';
import { ApiError } from '../errors.ts';
import { type PushOptions, pushToProwler } from '../prowler/push.ts';
import { parseBody } from '../validate.ts';

// POST /api/prowler/push (issue 16). 200 for every push that ran, pushed or not: a failure of
// Prowler's API is part of the answer with the steps done before it (docs/decisions/039); 400
// before any call to Prowler when the input is not valid.

export function prowlerRoutes(
  app: FastifyInstance,
  issuedExternalId: string,
  prowler: PushOptions | null,
): void {
  app.post(prowlerPushEndpoint.path, async (req) => {
    if (!prowler) {
      throw new ApiError(
        404,
        'PROWLER_NOT_CONFIGURED',
        'The Prowler App integration is off: set PROWLER_API_URL and PROWLER_API_KEY on the server.',
      );
    }
    const { ours, ...input } = parseBody(prowlerPushEndpoint.request, req.body);
    // Prowler's worker is a deputy too: it assumes whatever role it is given. Only the tenant's
    // External ID goes out, the one the wizard baked into the template.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
    if (input.externalId !== issuedExternalId) {
      throw new ApiError(
        400,
        'EXTERNAL_ID_NOT_ISSUED',
        'Only the Prowler tenant ID is pushed as the External ID.',
        [
          {
            path: 'externalId',
            message: `Use the External ID this server shows, ${issuedExternalId} (the Prowler tenant ID): Prowler assumes the role with it.`,
          },
        ],
      );
    }
    const push = await pushToProwler(input, prowler);
    const comparison = push.pushed
      ? compareVerdicts(ours ?? null, push.prowler, {
          roleArn: input.roleArn,
          externalId: input.externalId,
          accountId: push.providerUid,
        })
      : null;
    req.log.info(
      push.pushed
        ? {
            pushed: true,
            providerUid: push.providerUid,
            prowlerConnected: push.prowler.connected,
            rule: push.prowler.diagnosis?.rule,
          }
        : { pushed: false, stage: push.failure.stage, kind: push.failure.kind, status: push.failure.status },
      'prowler push finished',
    );
    return { push, ours: ours ?? null, comparison };
  });
}
