import { Button } from '../../../components/ui/button.tsx';
import { CodeBlock } from '../../../components/ui/code-block.tsx';
import { Notice } from '../../../components/ui/notice.tsx';
import { updateStackCommand } from '../../../domain/template/links.ts';
import type { TemplateParams } from '../../../domain/template/role-template.ts';
import type { Answers } from '../store/answers.ts';
import { useDeployToSandbox } from '../template/use-deploy-to-sandbox.ts';

export interface DeployedDriftProps {
  deployed: NonNullable<Answers['deployed']>;
  params: Partial<TemplateParams>;
  region: string;
  stackName: string;
}

/** The stack deployed in step 2 no longer matches these settings: say so, and how to update it. */
export function DeployedDrift({ deployed, params, region, stackName }: DeployedDriftProps) {
  const { run, status } = useDeployToSandbox();
  const now = { AccountId: params.trustedAccountId ?? '', IAMPrincipal: params.iamPrincipal ?? '' };
  const changed = (['AccountId', 'IAMPrincipal'] as const).filter(
    (k) => now[k] && now[k] !== deployed.parameters[k],
  );
  if (changed.length === 0) return null;
  return (
    <Notice tone="warning" title="The stack you deployed has other values" live>
      <p>
        The sandbox stack in account {deployed.accountId} was deployed with{' '}
        {changed.map((k) => `${k} ${deployed.parameters[k]}`).join(' and ')}. Update it so the role trusts
        what you set here.
      </p>
      <div className="mt-2 space-y-2">
        <Button
          variant="secondary"
          busy={status.isPending}
          onClick={() => run(deployed.accountId, stackName, params).catch(() => undefined)}
        >
          Redeploy to sandbox with these settings
        </Button>
        {status.isError ? <p>{status.error.message}</p> : null}
        <CodeBlock
          label="AWS CLI: update the stack"
          code={updateStackCommand({ region, stackName, params })}
        />
      </div>
    </Notice>
  );
}
