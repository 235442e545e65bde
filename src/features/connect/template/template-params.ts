import { accountIdSchema, externalIdSchema, iamPrincipalSchema } from '../../../domain/inputs.ts';
import type { TemplateParams } from '../../../domain/template/role-template.ts';
import type { Answers } from '../store/answers.ts';

/**
 * The values baked into the template, download and commands: only the valid ones, so a half-typed
 * AccountId stays a required stack parameter instead of a broken default.
 */
export function templateParamsFrom(answers: Answers, externalId: string): Partial<TemplateParams> {
  const params: Partial<TemplateParams> = {};
  if (externalIdSchema.safeParse(externalId).success) params.externalId = externalId;
  const account = accountIdSchema.safeParse(answers.trust.trustedAccountId);
  if (account.success) params.trustedAccountId = account.data;
  const principal = iamPrincipalSchema.safeParse(answers.trust.iamPrincipal);
  if (principal.success) params.iamPrincipal = principal.data;
  return params;
}
