import type { TemplateParams } from '../../../domain/template/role-template.ts';
import { useSandboxDeploy } from '../api/sandbox-deploy.ts';
import { wizardStore } from '../store/wizard-store.ts';

/**
 * Deploys the template with the parameters on screen into a sandbox account, then remembers what
 * was deployed and offers its role ARN to step 4 (unless the user already typed another account).
 */
export function useDeployToSandbox() {
  const deploy = useSandboxDeploy();
  async function run(accountId: string, stackName: string, params: Partial<TemplateParams>) {
    const parameters = {
      ExternalId: params.externalId ?? '',
      AccountId: params.trustedAccountId ?? '',
      IAMPrincipal: params.iamPrincipal ?? '',
    };
    const result = await deploy.mutateAsync({ accountId, stackName, roleName: 'ProwlerScan', parameters });
    const { role } = wizardStore.getState().answers;
    wizardStore.update({
      deployed: { accountId, roleArn: result.roleArn, parameters },
      role: { roleArn: result.roleArn, ...(role.accountIdEdited ? {} : { accountId }) },
    });
    return result;
  }
  return { run, status: deploy };
}
