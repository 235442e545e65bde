import type { ConfigResponse } from '../../../domain/api-contract.ts';
import type { Answers } from '../store/answers.ts';

/**
 * The region whose STS endpoint a verification calls: the stack region chosen in step 2
 * (verify-request.ts sends it), else the server's own default region.
 */
export function regionInUse(answers: Answers, config: Pick<ConfigResponse, 'region'>) {
  const stack = answers.template.region.trim();
  return stack ? { region: stack, fromStack: true } : { region: config.region, fromStack: false };
}
