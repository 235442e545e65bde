import { Suspense, useEffect } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Notice } from '../../../components/ui/notice.tsx';
import { useSdkIdentity } from '../api/post-identity.ts';
import type { ConnectSlots } from '../step-props.ts';
import { IdentitySummary } from './identity-summary.tsx';
import { rememberDetection } from './remember-detection.ts';

/** Live: who the server's default chain resolves to, or the guidance when it resolves to nothing. */
export function SdkIdentity({ Problem, subject }: { Problem: ConnectSlots['Problem']; subject: string }) {
  const identity = useSdkIdentity();
  const { data } = identity;

  useEffect(() => {
    if (data) rememberDetection(data);
  }, [data]);

  const recheck = (
    <Button variant="secondary" busy={identity.isFetching} onClick={() => identity.refetch()}>
      Check again
    </Button>
  );

  if (identity.isPending) {
    // Reserves about the height of the identity summary that replaces it, so the Continue
    // button does not jump when the answer arrives.
    return (
      <p role="status" className="min-h-44 text-sm text-slate-700 dark:text-slate-300">
        Asking AWS who {subject.toLowerCase()} runs as (sts:GetCallerIdentity)…
      </p>
    );
  }
  if (identity.isError) {
    return (
      <div className="space-y-3">
        <Notice tone="error" title="Could not ask the server" live>
          <p>{identity.error.message}</p>
        </Notice>
        {recheck}
      </div>
    );
  }
  if (!data) return null;
  if (data.ok) {
    return (
      <div className="space-y-3">
        <IdentitySummary subject={subject} identity={data.identity} />
        {recheck}
      </div>
    );
  }
  return (
    <div className="space-y-3">
      <Suspense fallback={<p className="text-sm">Loading the fix…</p>}>
        <Problem guidance={data.guidance} facts={data.diagnosis.facts} awsError={data.awsError} />
      </Suspense>
      <div className="flex flex-wrap items-center gap-3">
        {recheck}
        <span className="text-sm text-slate-700 dark:text-slate-300">
          after you fix it, or continue and fix it before you verify.
        </span>
      </div>
    </div>
  );
}
