import { type ComponentType, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, type OrganizationComponent } from './app/app.tsx';
import type { ConnectionsRouteProps } from './app/connections-route.tsx';
import { isOrganizationFlow } from './app/flow-choice.tsx';
import { stepHref } from './app/router.ts';
import { isConnectionsPath } from './app/routes.ts';
import { configResponseSchema, EMBEDDED_CONFIG_ID } from './domain/api-contract.ts';
import { configQuery } from './features/connect/api/get-config.ts';
import { adoptDrawnSourceChoice } from './features/connect/source/drawn-choice.ts';
import { createQueryClient } from './lib/query-client.ts';
import './app/styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

const client = createQueryClient();
// The config the server wrote into the page (src/server/static.ts); without it, the app fetches it.
const embedded = document.getElementById(EMBEDDED_CONFIG_ID)?.textContent;
if (embedded) {
  try {
    const config = configResponseSchema.safeParse(JSON.parse(embedded));
    if (config.success) client.setQueryData(configQuery.queryKey, config.data);
  } catch {
    // Not JSON: fetch it instead.
  }
}

// The user stays on the step they were using (a URL without a step would resume further on).
if (adoptDrawnSourceChoice(root)) window.history.replaceState(null, '', stepHref('source'));

// When the server rendered the first screen into #root, this first render replaces that markup
// with the same screen, now interactive (a fresh render, not hydration: answers restored from
// sessionStorage may differ from the server's empty ones).
function render(connections?: ComponentType<ConnectionsRouteProps>, organization?: OrganizationComponent) {
  createRoot(root as HTMLElement).render(
    <StrictMode>
      <App
        client={client}
        {...(connections ? { connections } : {})}
        {...(organization ? { organization } : {})}
      />
    </StrictMode>,
  );
}

// A connections page (issue 13): its code and the data the server drew it with load first, so the
// drawn page stays on screen until React draws the same one (no "Loading…" in between).
if (isConnectionsPath(window.location.pathname)) {
  import('./app/connections-route.tsx').then(
    (m) => {
      m.adoptEmbeddedData(client);
      render(m.ConnectionsRoute);
    },
    () => render(),
  );
} else if (isOrganizationFlow(window.location.search)) {
  // The organization page the server drew stays on screen until React draws the same one.
  import('./app/organization-page.tsx').then(
    (m) => render(undefined, m.OrganizationPage),
    () => render(),
  );
} else {
  render();
}
