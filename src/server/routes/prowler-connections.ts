import type { FastifyInstance } from 'fastify';
import { connectionPushEndpoint } from '../../domain/prowler-connection-push.ts';
import { compareVerdicts } from '../../domain/prowler-verdict.ts';
import type { ConnectionService } from '../connections/service.ts';
import { ApiError } from '../errors.ts';
import { type PushOptions, pushToProwler } from '../prowler/push.ts';
import { notVerifiedMessage, savedPushOf } from '../prowler/saved-connection.ts';
import { getConnection } from '../store/connections.ts';
import type { Tenancy } from '../tenancy.ts';
import { parseBody } from '../validate.ts';

// POST /api/connections/:id/prowler-push (issue 16): a saved connection into Prowler App by its
// id, so the page never sends the External ID again. Scoped like the other connection routes
// (hosted: the session's own connections only, 404 for any other); 200 for every push that ran,
// as /api/prowler/push (docs/decisions/039); 409 for a connection whose last verification did not
// assume the role, unless forced (docs/decisions/048).

const ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function prowlerConnectionRoutes(
  app: FastifyInstance,
  svc: ConnectionService,
  tenancy: Tenancy,
  prowler: PushOptions | null,
): void {
  app.post(connectionPushEndpoint.path, async (req, reply) => {
    if (!prowler) {
      throw new ApiError(
        404,
        'PROWLER_NOT_CONFIGURED',
        'The Prowler App integration is off: set PROWLER_API_URL and PROWLER_API_KEY on the server.',
      );
    }
    const id = (req.params as { id?: string }).id ?? '';
    const body = parseBody(connectionPushEndpoint.request, req.body ?? {});
    const { scope } = await tenancy.scope(req, reply);
    const row = ID_RE.test(id) ? await getConnection(svc.store.db, id, scope) : undefined;
    if (!row) throw new ApiError(404, 'NOT_FOUND', `No saved connection has the id "${id.slice(0, 64)}".`);
    const saved = savedPushOf(row);
    // Prowler's worker is a deputy: only the External ID this request may use goes out, as for
    // /api/verify and /api/prowler/push. https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
    const issued = await tenancy.externalId(req, reply);
    if (saved.input.externalId !== issued) {
      throw new ApiError(
        400,
        'EXTERNAL_ID_NOT_ISSUED',
        `This connection was saved with External ID ${saved.input.externalId}, not the one this server issues now (${issued}, the one Prowler assumes the role with): redeploy the role with it and save the connection again.`,
      );
    }
    if (!saved.verified && body.force !== true) {
      throw new ApiError(409, 'CONNECTION_NOT_VERIFIED', notVerifiedMessage(saved, 'send {"force": true}'));
    }
    const push = await pushToProwler(saved.input, prowler);
    const comparison = push.pushed
      ? compareVerdicts(saved.ours, push.prowler, {
          roleArn: saved.input.roleArn,
          externalId: saved.input.externalId,
          accountId: push.providerUid,
        })
      : null;
    req.log.info(
      push.pushed
        ? {
            connection: id,
            pushed: true,
            providerUid: push.providerUid,
            prowlerConnected: push.prowler.connected,
          }
        : { connection: id, pushed: false, stage: push.failure.stage, kind: push.failure.kind },
      'prowler push of a saved connection finished',
    );
    return { connection: id, push, ours: saved.ours, comparison };
  });
}
