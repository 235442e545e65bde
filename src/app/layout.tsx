import type { ReactNode } from 'react';
import type { ConfigResponse } from '../domain/api-contract.ts';
import { useAnswers } from '../features/connect/store/wizard-store.ts';
import { regionInUse } from '../features/connect/verify/region-in-use.ts';

export function Layout({
  config,
  nav,
  children,
}: {
  config: ConfigResponse | undefined;
  /** Beside the title: the header's one navigation. */
  nav?: ReactNode;
  children: ReactNode;
}) {
  const answers = useAnswers();
  return (
    // A column at least a screen tall whose main part takes the spare height: the footer sits at
    // the bottom of a short page instead of a screen below its content (main used to be
    // min-h-dvh by itself, so every page scrolled into blank space).
    <div className="flex min-h-dvh flex-col bg-slate-50 text-slate-900 dark:bg-slate-950 dark:text-slate-100">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-10 focus:rounded-md focus:bg-white focus:p-2 focus:text-slate-950"
      >
        Skip to the wizard
      </a>
      <header className="border-b border-slate-300 bg-white dark:border-slate-700 dark:bg-slate-900">
        <div className="mx-auto flex max-w-4xl flex-wrap items-center justify-between gap-2 px-4 py-3">
          <h1 className="text-lg font-bold">
            Connect an AWS account
            {config ? <span className="font-normal"> to {config.productName}</span> : null}
          </h1>
          {nav}
          {config?.sandbox ? (
            <span className="rounded-full bg-violet-100 px-3 py-1 text-xs font-semibold text-violet-950 dark:bg-violet-900 dark:text-violet-50">
              Sandbox: nothing reaches real AWS
            </span>
          ) : null}
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-4xl flex-1 px-4 py-6 sm:py-8">
        {children}
      </main>
      <footer className="mx-auto w-full max-w-4xl px-4 pb-6 text-xs text-slate-700 dark:text-slate-300">
        {/* The region a verification calls STS in now: step 2's stack region once chosen. */}
        {config
          ? `aws-connect ${config.version} · ${config.flavour} · region ${regionInUse(answers, config).region}`
          : 'aws-connect'}
      </footer>
    </div>
  );
}
