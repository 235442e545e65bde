import type { ConfigResponse } from '../../../domain/api-contract.ts';
import type { VerifyReport } from '../../../domain/diagnosis-contract.ts';
import { useProwlerPush } from '../api/post-prowler-push.ts';
import { useAnswers } from '../store/wizard-store.ts';
import { ProwlerPushPanel } from './prowler-push-panel.tsx';

/** "Push to Prowler" on the result step (issue 16), shown only when the integration is on. */
export function ProwlerPush({ config, report }: { config: ConfigResponse; report: VerifyReport }) {
  const { role } = useAnswers();
  const push = useProwlerPush();
  if (!config.prowler) return null;
  const { request: r } = report;
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
  return <ProwlerPushPanel busy={push.isPending} data={push.data} error={push.error} onPush={onPush} />;
}
