import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

/** The unexpected (a bug, a failed chunk load): say so plainly and offer a reload. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('aws-connect: the page failed', error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    // A step's code is fetched on demand: after an upgrade the old file names are gone.
    const stale = /dynamically imported module|Importing a module script failed/i.test(
      this.state.error.message,
    );
    return (
      <div
        role="alert"
        className="space-y-3 rounded-lg border-l-4 border-red-700 bg-white p-4 dark:border-red-300 dark:bg-slate-900"
      >
        <h2 className="text-xl font-semibold">
          {stale ? 'A newer version of this wizard is installed' : 'Something went wrong on this page'}
        </h2>
        <p>{stale ? 'Reload to load it.' : this.state.error.message}</p>
        <p>Your answers (except access keys) are kept: reloading resumes where you were.</p>
        <button
          type="button"
          onClick={() => window.location.reload()}
          className="min-h-10 rounded-md bg-blue-700 px-4 py-2 font-semibold text-white focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:bg-blue-300 dark:text-slate-950"
        >
          Reload
        </button>
      </div>
    );
  }
}
