import { Button } from '../../../components/ui/button.tsx';
import { Card } from '../../../components/ui/card.tsx';
import { Notice } from '../../../components/ui/notice.tsx';
import type { ConfigResponse, VerifyReport } from '../../../domain/api-contract.ts';
import type { ProwlerPushRequestInput } from '../../../domain/prowler-api.ts';
import { useProwlerPush } from '../api/post-prowler-push.ts';
import { useAnswers } from '../store/wizard-store.ts';
import { ProwlerVerdicts } from './prowler-verdicts.tsx';

/** The push request: the role as verified, the session options only when the user set them. */
function pushRequest(
  report: VerifyReport,
  role: { sessionName: string; durationSeconds: number | null },
): ProwlerPushRequestInput {
  const { request } = report;
  return {
    roleArn: request.roleArn,
    externalId: request.externalId,
    ...(request.accountId ? { accountId: request.accountId } : {}),
    ...(role.sessionName.trim() ? { sessionName: role.sessionName } : {}),
    ...(role.durationSeconds ? { durationSeconds: role.durationSeconds } : {}),
    ours: {
      code: report.diagnosis.code,
      connected: report.connected,
      sourceKind: request.sourceKind,
      ...(report.caller ? { callerArn: report.caller.arn } : {}),
      roleArn: request.roleArn,
      externalId: request.externalId,
      finishedAt: report.finishedAt,
    },
  };
}

/** "Push to Prowler" on the result step (issue 16), shown only when the integration is on. */
export function ProwlerPush({ config, report }: { config: ConfigResponse; report: VerifyReport }) {
  const { role } = useAnswers();
  const push = useProwlerPush();
  if (!config.prowler) return null;
  const answer = push.data;
  return (
    <Card>
      <div className="space-y-3">
        <h3 className="text-lg font-semibold">Prowler App</h3>
        <p className="text-sm">
          Send this role to Prowler App and let it run its own connection test. Pushing again is safe.
        </p>
        <Button busy={push.isPending} onClick={() => push.mutate(pushRequest(report, role))}>
          {answer || push.error ? 'Push to Prowler again' : 'Push to Prowler'}
        </Button>
        <div aria-live="polite" className="space-y-3">
          {push.error ? (
            <Notice tone="error" title="The push did not run">
              <p>{push.error.message}</p>
              {push.error.fields.map((f) => (
                <p key={f.path}>{f.message}</p>
              ))}
            </Notice>
          ) : null}
          {answer && !answer.push.pushed ? (
            <Notice tone="error" title="Prowler App did not take the push">
              <p>{answer.push.failure.message}</p>
              {answer.push.failure.pointer ? (
                <p>
                  Field: <span className="font-mono">{answer.push.failure.pointer}</span>
                </p>
              ) : null}
              {answer.push.steps.length ? (
                <p>Done before it: {answer.push.steps.map((s) => s.detail).join('; ')}.</p>
              ) : null}
            </Notice>
          ) : null}
          {answer?.push.pushed ? <ProwlerVerdicts response={answer} push={answer.push} /> : null}
        </div>
      </div>
    </Card>
  );
}
