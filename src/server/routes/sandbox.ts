import type { FastifyInstance } from 'fastify';
import { API } from '../../domain/api-contract.ts';
import {
  type SandboxDeployRequest,
  type SandboxScenarioResponse,
  sandboxDeployRequestSchema,
} from '../../domain/sandbox-contract.ts';
import { ApiError } from '../errors.ts';
import { parseBody } from '../validate.ts';

// Demo only (issue 4): "deploy" the product's template into the embedded sandbox, and list the
// demo's target accounts. Registered only when the sandbox runs; otherwise these paths are 404.

/** The parts of the sandbox world the API uses (src/sandbox/world.ts provides them). */
export interface SandboxAccess {
  deployStack(request: SandboxDeployRequest):
    | { roleArn: string; stackName: string; updated: boolean }
    | Promise<{
        roleArn: string;
        stackName: string;
        updated: boolean;
      }>;
  describeTargets(): SandboxScenarioResponse | Promise<SandboxScenarioResponse>;
}

export function sandboxRoutes(app: FastifyInstance, world: SandboxAccess): void {
  app.post(API.sandboxStacks, async (req) => {
    const request = parseBody(sandboxDeployRequestSchema, req.body);
    let result: Awaited<ReturnType<SandboxAccess['deployStack']>>;
    try {
      result = await world.deployStack(request);
    } catch (err) {
      // CloudFormation would refuse it (a parameter outside the template's AllowedPattern): the
      // user's input, not a server fault. The sandbox names the field (DeployError.field).
      const field = (err as { field?: unknown }).field;
      if (typeof field === 'string' || err instanceof TypeError) {
        const path = typeof field === 'string' ? field : 'parameters';
        throw new ApiError(400, 'INVALID_INPUT', 'The sandbox refused to deploy the stack.', [
          { path, message: (err as Error).message.slice(0, 500) },
        ]);
      }
      throw err;
    }
    return { roleArn: result.roleArn, stackName: result.stackName, updated: result.updated };
  });
  app.get(API.sandboxScenario, async () => world.describeTargets());
}
