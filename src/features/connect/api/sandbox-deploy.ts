import { useMutation, useQueryClient } from '@tanstack/react-query';
import { API } from '../../../domain/api-contract.ts';
import { type SandboxDeployRequest, sandboxDeployResponseSchema } from '../../../domain/sandbox-contract.ts';
import { apiFetch } from '../../../lib/api-client.ts';

export function postSandboxStack(request: SandboxDeployRequest) {
  return apiFetch(API.sandboxStacks, { method: 'POST', body: request, schema: sandboxDeployResponseSchema });
}

/** Demo only: deploys the template into the embedded sandbox, for real (issue 6, step 2). */
export function useSandboxDeploy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: postSandboxStack,
    // The scenario lists each target's role: it changes with a deployment.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['sandbox', 'scenario'] }),
  });
}
