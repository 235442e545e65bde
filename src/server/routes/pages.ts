import type { FastifyInstance } from 'fastify';
import type { ConfigResponse } from '../../domain/api-contract.ts';
import type { ConnectionDetail, ConnectionList } from '../../domain/connection-contract.ts';
import { type ConnectionStatus, connectionStatusSchema } from '../../domain/connection-inputs.ts';
import type { ConnectionService } from '../connections/service.ts';
import { toDetail, toSummary } from '../connections/views.ts';
import { SESSION_EXTERNAL_ID_PLACEHOLDER, sendDrawnPage, type WebPages } from '../static.ts';
import {
  deliveriesOf,
  getConnection,
  historyOf,
  listConnections,
  transitionsOf,
} from '../store/connections.ts';
import type { Tenancy } from '../tenancy.ts';

// /connections and /connections/:id as pages drawn by the server with the data from the store
// (issue 13: the connection page paints before the JavaScript arrives, decision 011). Without a
// renderer the not-found handler serves the shell and the app fetches the same data.

export interface ConnectionPageRenderers {
  list(config: ConfigResponse, status: ConnectionStatus | null, list: ConnectionList): string;
  detail(config: ConfigResponse, detail: ConnectionDetail): string;
}

export function pageRoutes(
  app: FastifyInstance,
  deps: {
    pages: WebPages;
    svc: ConnectionService;
    tenancy: Tenancy;
    config: ConfigResponse;
    render: ConnectionPageRenderers;
  },
): void {
  const { pages, svc, tenancy, render } = deps;
  // The page carries the session's own External ID (static.ts writes it in per request).
  const config =
    tenancy.kind === 'session' && pages.sessionExternalId
      ? { ...deps.config, externalId: SESSION_EXTERNAL_ID_PLACEHOLDER }
      : deps.config;

  app.get('/connections', async (request, reply) => {
    const raw = (request.query as { status?: string }).status;
    const parsed = connectionStatusSchema.safeParse(raw);
    const status = parsed.success ? parsed.data : null;
    const { scope } = await tenancy.scope(request, reply);
    const { rows, total } = await listConnections(svc.store.db, {
      scope,
      status: status ?? undefined,
      limit: 50,
      offset: 0,
    });
    const list: ConnectionList = { items: rows.map(toSummary), total, limit: 50, offset: 0 };
    return sendDrawnPage(request, reply, pages, {
      html: render.list(config, status, list),
      data: { kind: 'connections', status, list },
    });
  });

  app.get('/connections/:id', async (request, reply) => {
    const id = (request.params as { id: string }).id;
    const { scope } = await tenancy.scope(request, reply);
    const row = /^[0-9a-f-]{36}$/.test(id) ? await getConnection(svc.store.db, id, scope) : undefined;
    if (!row) {
      // The app shows its own "could not be loaded" for an unknown id; the status says so too.
      reply.code(404);
      return sendDrawnPage(request, reply, pages, {
        html: '<p>No saved connection has this address.</p>',
        data: { kind: 'connections', status: null, list: { items: [], total: 0, limit: 50, offset: 0 } },
      });
    }
    const [history, transitions, deliveries] = await Promise.all([
      historyOf(svc.store.db, id),
      transitionsOf(svc.store.db, id),
      deliveriesOf(svc.store.db, id),
    ]);
    const detail = toDetail(row, history, transitions, deliveries);
    return sendDrawnPage(request, reply, pages, {
      html: render.detail(config, detail),
      data: { kind: 'connection', detail },
    });
  });
}
