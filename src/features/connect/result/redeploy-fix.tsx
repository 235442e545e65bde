import { Button } from '../../../components/ui/button.tsx';
import { Notice } from '../../../components/ui/notice.tsx';
import { parseRoleArn, suggestTrustSettings } from '../../../domain/arn.ts';
import { factValue } from '../../../domain/diagnosis/evidence.ts';
import type { VerifyReport } from '../../../domain/diagnosis-contract.ts';
import { useSandboxDeploy } from '../api/sandbox-deploy.ts';
import type { StepId } from '../step-props.ts';
import { useAnswers, wizardStore } from '../store/wizard-store.ts';

export interface RedeployFixProps {
  report: VerifyReport;
  externalId: string;
  goTo: (id: StepId) => void;
}

/** Sandbox only: redeploy the stack with values that admit this caller, then verify again. */
export function RedeployFix({ report, externalId, goTo }: RedeployFixProps) {
  const answers = useAnswers();
  const deploy = useSandboxDeploy();
  const role = parseRoleArn(report.request.roleArn);
  if (!role || !report.diagnosis.traits.fixedByRedeploy) return null;
  const { facts } = report.diagnosis;
  const suggested = report.caller ? suggestTrustSettings(report.caller.arn) : null;
  const trust = {
    trustedAccountId:
      suggested?.trustedAccountId ??
      factValue(facts, 'suggestedTrustedAccountId') ??
      answers.trust.trustedAccountId,
    iamPrincipal:
      suggested?.iamPrincipal ?? factValue(facts, 'suggestedIamPrincipal') ?? answers.trust.iamPrincipal,
  };
  const parameters = {
    ExternalId: externalId,
    AccountId: trust.trustedAccountId,
    IAMPrincipal: trust.iamPrincipal,
  };

  async function redeploy() {
    const result = await deploy.mutateAsync({
      accountId: role!.accountId,
      stackName: answers.template.stackName || 'ProwlerScan',
      roleName: role!.name,
      parameters,
    });
    wizardStore.update({
      trust,
      deployed: { accountId: role!.accountId, roleArn: result.roleArn, parameters },
    });
    // A changed role needs a moment before AWS uses it (IAM is eventually consistent): wait for it.
    wizardStore.setAutoVerify('wait');
    goTo('verify');
  }

  return (
    <section
      aria-labelledby="redeploy-title"
      className="space-y-2 rounded-lg border-2 border-dashed border-violet-700 p-4 dark:border-violet-300"
    >
      <h3 id="redeploy-title" className="font-semibold">
        Sandbox demo: fix and redeploy
      </h3>
      <p className="text-sm">
        Deploy the template again to sandbox account <span className="font-mono">{role.accountId}</span> with
        ExternalId <span className="font-mono wrap-anywhere">{externalId}</span>, AccountId{' '}
        <span className="font-mono">{trust.trustedAccountId}</span> and IAMPrincipal{' '}
        <span className="font-mono">{trust.iamPrincipal}</span>, then verify again. Your trust settings are
        updated to match.
      </p>
      <Button busy={deploy.isPending} onClick={() => redeploy().catch(() => undefined)}>
        Redeploy to sandbox and verify again
      </Button>
      {deploy.isError ? (
        <Notice tone="error" title="The sandbox refused the deployment" live>
          <p>{deploy.error.message}</p>
        </Notice>
      ) : null}
    </section>
  );
}
