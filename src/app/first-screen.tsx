import { renderToString } from 'react-dom/server';
import type { ConfigResponse } from '../domain/api-contract.ts';
import type { ConnectionDetail, ConnectionList } from '../domain/connection-contract.ts';
import type { ConnectionStatus } from '../domain/connection-inputs.ts';
import { configQuery } from '../features/connect/api/get-config.ts';
import { connectionQuery, connectionsQuery } from '../features/connections/api.ts';
import { createQueryClient } from '../lib/query-client.ts';
import { App } from './app.tsx';
import { ConnectionsRoute } from './connections-route.tsx';
import { OrganizationPage } from './organization-page.tsx';

// The first screen as HTML, rendered once by the server at start (src/server/main.ts) for "/": a
// phone shows the wizard's first step as soon as the page and its CSS arrive, instead of after
// ~100 KB of JavaScript and a config request (Lighthouse mobile LCP, issue 7). The browser then
// renders the same screen with React and replaces this markup (src/main.tsx); nothing here is
// interactive until then. See docs/decisions/011-first-screen-from-the-server.md.

export function renderFirstScreen(config: ConfigResponse): string {
  const client = createQueryClient();
  client.setQueryData(configQuery.queryKey, config);
  return renderToString(<App client={client} />);
}

/** "/?flow=organization": the organization flow's first screen, so the page opens on it. */
export function renderOrganizationScreen(config: ConfigResponse): string {
  const client = createQueryClient();
  client.setQueryData(configQuery.queryKey, config);
  return renderToString(
    <App
      client={client}
      route={{ pathname: '/', search: '?flow=organization' }}
      organization={OrganizationPage}
    />,
  );
}

/** /connections, drawn with the list the server read from the store (issue 13). */
export function renderConnectionsPage(
  config: ConfigResponse,
  status: ConnectionStatus | null,
  list: ConnectionList,
): string {
  const client = createQueryClient();
  client.setQueryData(configQuery.queryKey, config);
  client.setQueryData(connectionsQuery(status).queryKey, list);
  return renderToString(
    <App
      client={client}
      route={{ pathname: '/connections', search: status ? `?status=${status}` : '' }}
      connections={ConnectionsRoute}
    />,
  );
}

/** /connections/<id>: the last report, drift, history and deliveries, before any JavaScript. */
export function renderConnectionPage(config: ConfigResponse, detail: ConnectionDetail): string {
  const client = createQueryClient();
  client.setQueryData(configQuery.queryKey, config);
  client.setQueryData(connectionQuery(detail.id).queryKey, detail);
  return renderToString(
    <App
      client={client}
      route={{ pathname: `/connections/${detail.id}`, search: '' }}
      connections={ConnectionsRoute}
    />,
  );
}
