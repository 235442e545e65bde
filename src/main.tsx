import { type ReactNode, StrictMode, useLayoutEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { App, ConnectionsPage, OrganizationPage } from './app/app.tsx';
import { isOrganizationFlow } from './app/flow-choice.tsx';
import { stepHref } from './app/router.ts';
import { isConnectionsPath } from './app/routes.ts';
import { TrustChain } from './app/slots.tsx';
import { STEPS, type StepDefinition } from './app/steps.ts';
import { configResponseSchema, EMBEDDED_CONFIG_ID } from './domain/api-contract.ts';
import { DRAWN_STEP_ATTRIBUTE } from './domain/drawn-step.ts';
import { configQuery } from './features/connect/api/get-config.ts';
import { adoptDrawnSourceChoice } from './features/connect/source/drawn-choice.ts';
import type { FirstScreenData } from './features/connect/step-props.ts';
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
function render() {
  createRoot(root as HTMLElement).render(
    <StrictMode>
      <TakeOver>
        <App client={client} />
      </TakeOver>
    </StrictMode>,
  );
}

/**
 * A copy the tab kept is inert (src/server/static.ts): nothing typed or clicked into it is lost.
 * The page takes input again once React's first frame has replaced it, before that frame paints.
 */
function TakeOver({ children }: { children: ReactNode }) {
  useLayoutEffect(() => root?.removeAttribute('inert'), []);
  return children;
}

/** A step drawn from the tab's copy: its code, the data it shows, and the trust chain where it shows one. */
const drawnStepCode = (id: string | null) =>
  Promise.all([
    (STEPS.find((s) => s.id === id) as StepDefinition | undefined)?.Component.preload?.().then((m: unknown) =>
      (m as { firstScreenData?: FirstScreenData }).firstScreenData?.(
        client,
        client.getQueryData(configQuery.queryKey),
      ),
    ),
    (id === 'trust' || id === 'result') && TrustChain.preload(),
  ]);

// A page drawn before this code ran stays on screen until React draws the same one (no
// "Loading…" in between): its code comes first. The server draws the connections pages, with the
// data they are drawn from (issue 13), and the organization page; the tab's own copy draws the
// later steps, with the trust chain where they show it (a chunk of its own) and the data they
// list (docs/decisions/065, 066). The organization page's and a step's code is asked for once the
// drawing is on screen, so it does not compete with its first frame; the connections pages ask at
// once: their drawn buttons ("Verify now") do nothing until React has drawn them again, and they
// met the LCP budget anyway.
const drawn = (load: () => Promise<unknown>) =>
  new Promise((painted) => requestAnimationFrame(() => setTimeout(painted))).then(load);
const drawnCode = isConnectionsPath(window.location.pathname)
  ? ConnectionsPage.preload().then((m) => m.adoptEmbeddedData(client))
  : isOrganizationFlow(window.location.search)
    ? drawn(() => OrganizationPage.preload())
    : root.hasAttribute(DRAWN_STEP_ATTRIBUTE)
      ? drawn(() => drawnStepCode(root.getAttribute(DRAWN_STEP_ATTRIBUTE)))
      : undefined;
if (drawnCode) drawnCode.then(render, render);
else render();
