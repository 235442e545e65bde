import { type QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { Button } from '../components/ui/button.tsx';
import { Notice } from '../components/ui/notice.tsx';
import { configQuery } from '../features/connect/api/get-config.ts';
import { ErrorBoundary } from './error-boundary.tsx';
import { FlowChoice, isOrganizationFlow } from './flow-choice.tsx';
import { Layout } from './layout.tsx';
import { Wizard } from './wizard.tsx';

// The organization flow loads only when asked for: the first screen stays the wizard's.
const OrganizationPage = lazy(() =>
  import('./organization-page.tsx').then((m) => ({ default: m.OrganizationPage })),
);

function Shell() {
  const config = useQuery(configQuery);
  const organization = isOrganizationFlow();
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
    <Layout config={config.data} nav={config.data ? <FlowChoice organization={organization} /> : null}>
      <ErrorBoundary>
        {config.data && !organization ? <Wizard config={config.data} /> : null}
        {config.data && organization ? (
          <Suspense fallback={null}>
            <OrganizationPage config={config.data} />
          </Suspense>
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

/** The whole app; `client` comes from main.tsx in the browser and from first-screen.tsx on the server. */
export function App({ client }: { client: QueryClient }) {
  return (
    <QueryClientProvider client={client}>
      <Shell />
    </QueryClientProvider>
  );
}
