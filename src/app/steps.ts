import type { ComponentType } from 'react';
import type * as z from 'zod/mini';
import { credentialSourceSchema, roleTargetSchema, trustSettingsSchema } from '../domain/inputs.ts';
import { SourceStep } from '../features/connect/source/source-step.tsx';
import type { StepId, StepProps } from '../features/connect/step-props.ts';
import {
  roleAnswer,
  type StepInput,
  sourceAnswer,
  templateAnswer,
  templateStepSchema,
  trustAnswer,
  verifyAnswer,
  verifyStepSchema,
} from '../features/connect/step-schemas.ts';
import { loadable } from '../lib/loadable.ts';

// The one step registry (docs/architecture.md#the-step-registry): ids, titles, what "finished" means and the
// screen, in one `as const` list so they cannot drift apart. Step 1 ships with the first screen;
// the others load on demand (issue 7 budgets), with `preload` to fetch one early (src/lib/loadable.ts).

export interface StepDefinition {
  id: StepId;
  title: string;
  /** Null for the last step, which is never "finished". */
  schema: z.ZodMiniType | null;
  select: ((input: StepInput) => unknown) | null;
  Component: StepComponent;
}

export type StepComponent = ComponentType<StepProps> & { preload?: () => Promise<unknown> };

export const STEPS = [
  {
    id: 'source',
    title: 'Credential source',
    schema: credentialSourceSchema,
    select: sourceAnswer,
    Component: SourceStep,
  },
  {
    id: 'template',
    title: 'Role template',
    schema: templateStepSchema,
    select: templateAnswer,
    Component: loadable(() => import('../features/connect/template/template-step.tsx'), 'TemplateStep'),
  },
  {
    id: 'trust',
    title: 'Trust settings',
    schema: trustSettingsSchema,
    select: trustAnswer,
    Component: loadable(() => import('../features/connect/trust/trust-step.tsx'), 'TrustStep'),
  },
  {
    id: 'role',
    title: 'Role ARN',
    schema: roleTargetSchema,
    select: roleAnswer,
    Component: loadable(() => import('../features/connect/role/role-step.tsx'), 'RoleStep'),
  },
  {
    id: 'verify',
    title: 'Verify',
    schema: verifyStepSchema,
    select: verifyAnswer,
    Component: loadable(() => import('../features/connect/verify/verify-step.tsx'), 'VerifyStep'),
  },
  {
    id: 'result',
    title: 'Result',
    schema: null,
    select: null,
    Component: loadable(() => import('./result-step.tsx'), 'ResultStep'),
  },
] as const satisfies readonly StepDefinition[];

// Every StepId has exactly one entry (a compile error otherwise).
type Missing = Exclude<StepId, (typeof STEPS)[number]['id']>;
const _complete: Missing extends never ? true : Missing = true;
void _complete;
