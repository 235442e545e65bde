import { type QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import type { ComponentType } from 'react';
import { Suspense } from 'react';
import { Button } from '../components/ui/button.tsx';
import { Notice } from '../components/ui/notice.tsx';
import type { ConfigResponse } from '../domain/api-contract.ts';
import { configQuery } from '../features/connect/api/get-config.ts';
import { loadable } from '../lib/loadable.ts';
import type { ConnectionsRouteProps } from './connections-route.tsx';
import { ErrorBoundary } from './error-boundary.tsx';
import { FlowChoice, isOrganizationFlow } from './flow-choice.tsx';
import { Layout } from './layout.tsx';
import { isConnectionsPath, type Route } from './routes.ts';
import { Wizard } from './wizard.tsx';

const hasWindow = typeof window !== 'undefined';

// The organization flow loads only when asked for: the first screen stays the wizard's. Both are
// preloaded before the first render of their own page (src/main.tsx).
export const OrganizationPage = loadable(() => import('./organization-page.tsx'), 'OrganizationPage');

// The connections pages load on demand: the wizard's first screen does not pay for them.
export const ConnectionsPage = loadable(() => import('./connections-route.tsx'), 'ConnectionsRoute');

/** The organization page's component, given when it is already loaded (the server's drawing, main.tsx). */
export type OrganizationComponent = ComponentType<{ config: ConfigResponse }>;

function Shell({
  route,
  connections: Drawn,
  organization: DrawnOrganization,
}: {
  route: Route;
  connections?: ComponentType<ConnectionsRouteProps>;
  organization?: OrganizationComponent;
}) {
  const config = useQuery(configQuery);
  const connections = isConnectionsPath(route.pathname);
  const organization = !connections && isOrganizationFlow(route.search);
  // Until the config is known the header's text and badge are unknown too: showing a partial
  // header that then grows moved the whole page (Lighthouse CLS 0.39 on a phone).
  if (config.isPending) {
    return (
      <p role="status" className="p-6 text-slate-700 dark:text-slate-300">
        Loading…
      </p>
    );
  }
  return (
    <Layout
      config={config.data}
      nav={
        config.data ? (
          <FlowChoice current={connections ? '/connections' : organization ? '/?flow=organization' : '/'} />
        ) : null
      }
    >
      <ErrorBoundary>
        {config.data ? (
          connections ? (
            Drawn ? (
              <Drawn route={route} config={config.data} />
            ) : (
              <Suspense fallback={<p role="status">Loading…</p>}>
                <ConnectionsPage route={route} config={config.data} />
              </Suspense>
            )
          ) : organization ? (
            DrawnOrganization ? (
              <DrawnOrganization config={config.data} />
            ) : (
              <Suspense fallback={null}>
                <OrganizationPage config={config.data} />
              </Suspense>
            )
          ) : (
            <Wizard config={config.data} />
          )
        ) : null}
        {config.isError ? (
          <Notice tone="error" title="The server did not answer" live>
            <p>{config.error.message}</p>
            <Button className="mt-2" onClick={() => config.refetch()}>
              Try again
            </Button>
          </Notice>
        ) : null}
      </ErrorBoundary>
    </Layout>
  );
}

/**
 * The whole app; `client` comes from main.tsx in the browser and from first-screen.tsx on the
 * server, which also says which page it draws (`route`); the browser reads its location.
 */
export function App({
  client,
  route,
  connections,
  organization,
}: {
  client: QueryClient;
  route?: Route;
  /** The server draws the connections pages with the component itself (renderToString has no lazy). */
  connections?: ComponentType<ConnectionsRouteProps>;
  /** The same for the organization page. */
  organization?: OrganizationComponent;
}) {
  const here =
    route ??
    (hasWindow
      ? { pathname: window.location.pathname, search: window.location.search }
      : { pathname: '/', search: '' });
  return (
    <QueryClientProvider client={client}>
      <Shell
        route={here}
        {...(connections ? { connections } : {})}
        {...(organization ? { organization } : {})}
      />
    </QueryClientProvider>
  );
}
