import { renderToString } from 'react-dom/server';
import type { ConfigResponse } from '../domain/api-contract.ts';
import { configQuery } from '../features/connect/api/get-config.ts';
import { createQueryClient } from '../lib/query-client.ts';
import { App } from './app.tsx';

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
