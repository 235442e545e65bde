import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CONNECTION_API } from '../../domain/connection-contract.ts';
import {
  createConnectionRequestSchema,
  listConnectionsQuerySchema,
  reverifyRequestSchema,
  updateConnectionRequestSchema,
} from '../../domain/connection-inputs.ts';
import { type ConnectionService, reverify, verifyAndSave } from '../connections/service.ts';
import { toDetail, toSummary } from '../connections/views.ts';
import { ApiError } from '../errors.ts';
import {
  deleteConnection,
  deliveriesOf,
  getConnection,
  historyOf,
  listConnections,
  type Scope,
  transitionsOf,
  updateConnection,
} from '../store/connections.ts';
import type { Tenancy } from '../tenancy.ts';
import { parseBody } from '../validate.ts';
import { confusedDeputyGuard, partitionGuard } from './verify.ts';

// Saved connections (issue 13): verify and save, list, detail, re-verify, edit, delete. The same
// guards as /api/verify apply (security.ts hooks: Host, Origin, rate limit, body size; the
// External ID guard for the server's own identity), and every body is parsed by its domain schema.

const ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function notFound(id: string): ApiError {
  return new ApiError(404, 'NOT_FOUND', `No saved connection has the id "${id.slice(0, 64)}".`);
}

function idOf(req: FastifyRequest): string {
  const id = (req.params as { id?: string }).id ?? '';
  if (!ID_RE.test(id)) throw notFound(id);
  return id;
}

async function detail(svc: ConnectionService, id: string, scope: Scope) {
  const row = await getConnection(svc.store.db, id, scope);
  if (!row) throw notFound(id);
  const [history, transitions, deliveries] = await Promise.all([
    historyOf(svc.store.db, id),
    transitionsOf(svc.store.db, id),
    deliveriesOf(svc.store.db, id),
  ]);
  return toDetail(row, history, transitions, deliveries);
}

export function connectionRoutes(app: FastifyInstance, svc: ConnectionService, tenancy: Tenancy): void {
  app.post(CONNECTION_API.list, async (req, reply) => {
    const request = parseBody(createConnectionRequestSchema, req.body);
    if (request.source.kind === 'sdk-default')
      confusedDeputyGuard(request, await tenancy.externalId(req, reply));
    partitionGuard(request);
    const { owner } = await tenancy.scope(req, reply);
    const { row, report } = await verifyAndSave(svc, request, owner, String(req.id));
    req.log.info(
      { connection: row.id, diagnosis: report.diagnosis.code, status: row.status },
      'connection saved',
    );
    return reply.code(201).send({ id: row.id, status: row.status, report, connection: toSummary(row) });
  });

  app.get(CONNECTION_API.list, async (req, reply) => {
    const query = parseBody(listConnectionsQuerySchema, req.query ?? {});
    const { scope } = await tenancy.scope(req, reply);
    const { rows, total } = await listConnections(svc.store.db, { scope, ...query });
    reply.header('cache-control', 'no-store');
    return { items: rows.map(toSummary), total, limit: query.limit, offset: query.offset };
  });

  app.get(CONNECTION_API.one, async (req, reply) => {
    const { scope } = await tenancy.scope(req, reply);
    reply.header('cache-control', 'no-store');
    return detail(svc, idOf(req), scope);
  });

  app.post(CONNECTION_API.verify, async (req, reply) => {
    const id = idOf(req);
    const body = parseBody(reverifyRequestSchema, req.body ?? {});
    const { scope } = await tenancy.scope(req, reply);
    const row = await getConnection(svc.store.db, id, scope);
    if (!row) throw notFound(id);
    if (row.source_kind === 'access-keys' && !body.source) {
      throw new ApiError(400, 'INVALID_INPUT', 'Some fields need attention.', [
        {
          path: 'source',
          message:
            'This connection verifies with access keys, which are never stored: send them again (source.accessKeyId, source.secretAccessKey).',
        },
      ]);
    }
    if (row.source_kind === 'sdk-default' && body.source) {
      throw new ApiError(400, 'INVALID_INPUT', 'Some fields need attention.', [
        { path: 'source', message: "This connection verifies with the server's own identity: send no keys." },
      ]);
    }
    const done = await reverify(svc, row, {
      trigger: 'manual',
      ...(body.source ? { keys: body.source } : {}),
      requestId: String(req.id),
    });
    if (!done) throw notFound(id);
    return { id, status: done.row.status, report: done.report, connection: toSummary(done.row) };
  });

  app.patch(CONNECTION_API.one, async (req, reply) => {
    const id = idOf(req);
    const patch = parseBody(updateConnectionRequestSchema, req.body);
    const { scope } = await tenancy.scope(req, reply);
    if (!(await updateConnection(svc.store.db, id, scope, patch, Date.now()))) throw notFound(id);
    return detail(svc, id, scope);
  });

  app.delete(CONNECTION_API.one, async (req, reply) => {
    const id = idOf(req);
    const { scope } = await tenancy.scope(req, reply);
    if (!(await deleteConnection(svc.store.db, id, scope))) throw notFound(id);
    return reply.code(204).send();
  });
}
