import { type QueryClient, useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Notice } from '../components/ui/notice.tsx';
import type { ConfigResponse } from '../domain/api-contract.ts';
import { EMBEDDED_DATA_ID, embeddedDataSchema } from '../domain/connection-contract.ts';
import { CONNECTION_STATUSES, type ConnectionStatus } from '../domain/connection-inputs.ts';
import { connectionQuery, connectionsQuery } from '../features/connections/api.ts';
import { ConnectionsList } from '../features/connections/connections-list.tsx';
import { ConnectionPage } from './connection-page.tsx';
import type { Route } from './routes.ts';

// /connections and /connections/<id> (issue 13): real paths, served as the page by the server
// (drawn with their data) and by any static server as the shell.

export function statusFilter(search: string): ConnectionStatus | null {
  const value = new URLSearchParams(search).get('status');
  return (CONNECTION_STATUSES as readonly string[]).includes(value ?? '')
    ? (value as ConnectionStatus)
    : null;
}

/** The data the server drew this page with (static.ts sendDrawnPage), into the query cache. */
export function adoptEmbeddedData(client: QueryClient): void {
  const text = document.getElementById(EMBEDDED_DATA_ID)?.textContent;
  if (!text) return;
  try {
    const parsed = embeddedDataSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return;
    if (parsed.data.kind === 'connections')
      client.setQueryData(connectionsQuery(parsed.data.status).queryKey, parsed.data.list);
    else client.setQueryData(connectionQuery(parsed.data.detail.id).queryKey, parsed.data.detail);
  } catch {
    // Not JSON: the page fetches its data.
  }
}

function List({ status, config }: { status: ConnectionStatus | null; config: ConfigResponse }) {
  const list = useQuery(connectionsQuery(status));
  useEffect(() => {
    document.title = `Connections · ${config.productName}`;
  }, [config.productName]);
  if (list.data) return <ConnectionsList list={list.data} status={status} />;
  if (list.isError)
    return (
      <Notice tone="error" title="The connections could not be loaded" live>
        <p>{list.error.message}</p>
      </Notice>
    );
  return <p role="status">Loading the connections…</p>;
}

function Detail({ id, config }: { id: string; config: ConfigResponse }) {
  const detail = useQuery(connectionQuery(id));
  useEffect(() => {
    if (detail.data)
      document.title = `${detail.data.alias ?? 'Connection'} · Connections · ${config.productName}`;
  }, [detail.data, config.productName]);
  if (detail.data) return <ConnectionPage config={config} detail={detail.data} />;
  if (detail.isError)
    return (
      <Notice tone="error" title="This connection could not be loaded" live>
        <p>{detail.error.message}</p>
      </Notice>
    );
  return <p role="status">Loading the connection…</p>;
}

export interface ConnectionsRouteProps {
  route: Route;
  config: ConfigResponse;
}

export function ConnectionsRoute({ route, config }: ConnectionsRouteProps) {
  const id = route.pathname.slice('/connections/'.length);
  return route.pathname.startsWith('/connections/') && id ? (
    <Detail id={decodeURIComponent(id)} config={config} />
  ) : (
    <List status={statusFilter(route.search)} config={config} />
  );
}
