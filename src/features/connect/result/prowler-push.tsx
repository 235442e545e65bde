import { Button } from '../../../components/ui/button.tsx';
import { Notice } from '../../../components/ui/notice.tsx';
import type { ConfigResponse } from '../../../domain/api-contract.ts';
import type { VerifyReport } from '../../../domain/diagnosis-contract.ts';
import { useProwlerPush } from '../api/post-prowler-push.ts';
import { useAnswers } from '../store/wizard-store.ts';
import { ProwlerVerdicts } from './prowler-verdicts.tsx';

/** "Push to Prowler" on the result step (issue 16), shown only when the integration is on. */
export function ProwlerPush({ config, report }: { config: ConfigResponse; report: VerifyReport }) {
  const { role } = useAnswers();
  const push = useProwlerPush();
  if (!config.prowler) return null;
  const { request: r } = report;
  const answer = push.data?.push;
  const failure = push.error?.message ?? (answer && !answer.pushed ? answer.failure.message : null);
  const onPush = () =>
    push.mutate({
      roleArn: r.roleArn,
      externalId: r.externalId,
      accountId: r.accountId,
      // Only what the user set: our verify's default session name is not Prowler's business.
      sessionName: role.sessionName,
      durationSeconds: role.durationSeconds ?? undefined,
      ours: {
        code: report.diagnosis.code,
        connected: report.connected,
        sourceKind: r.sourceKind,
        callerArn: report.caller?.arn,
        roleArn: r.roleArn,
        externalId: r.externalId,
        finishedAt: report.finishedAt,
      },
    });
  return (
    <section aria-labelledby="prowler-push" className="space-y-3">
      <h3 id="prowler-push" className="text-lg font-semibold">
        Prowler App
      </h3>
      <Button busy={push.isPending} onClick={onPush}>
        {push.data || push.error ? 'Push to Prowler again' : 'Push to Prowler'}
      </Button>
      <div aria-live="polite" className="space-y-3">
        {failure ? (
          <Notice tone="error" title="The push did not go through">
            <p>{failure}</p>
            {answer && !answer.pushed && answer.steps.length ? (
              <p>Done before it: {answer.steps.map((s) => s.detail).join('; ')}.</p>
            ) : null}
          </Notice>
        ) : null}
        {answer?.pushed ? <ProwlerVerdicts response={push.data!} push={answer} /> : null}
      </div>
    </section>
  );
}
