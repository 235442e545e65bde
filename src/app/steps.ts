import { type ComponentType, lazy } from 'react';
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

// The one step registry (docs/architecture.md#the-step-registry): ids, titles, what "finished" means and the
// screen, in one `as const` list so they cannot drift apart. Step 1 ships with the first screen;
// the others load on demand (issue 7 budgets).

export interface StepDefinition {
  id: StepId;
  title: string;
  /** Null for the last step, which is never "finished". */
  schema: z.ZodMiniType | null;
  select: ((input: StepInput) => unknown) | null;
  Component: StepComponent;
}

export type StepComponent = ComponentType<StepProps> & { preload?: () => Promise<unknown> };

/** A step loaded on demand; `preload` fetches it early (the wizard asks for the next step's code). */
const later = <K extends string>(
  load: () => Promise<Record<K, ComponentType<StepProps>>>,
  name: K,
): StepComponent =>
  Object.assign(
    lazy<ComponentType<StepProps>>(() => load().then((m) => ({ default: m[name] }))),
    { preload: load },
  );

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
    Component: later(() => import('../features/connect/template/template-step.tsx'), 'TemplateStep'),
  },
  {
    id: 'trust',
    title: 'Trust settings',
    schema: trustSettingsSchema,
    select: trustAnswer,
    Component: later(() => import('../features/connect/trust/trust-step.tsx'), 'TrustStep'),
  },
  {
    id: 'role',
    title: 'Role ARN',
    schema: roleTargetSchema,
    select: roleAnswer,
    Component: later(() => import('../features/connect/role/role-step.tsx'), 'RoleStep'),
  },
  {
    id: 'verify',
    title: 'Verify',
    schema: verifyStepSchema,
    select: verifyAnswer,
    Component: later(() => import('../features/connect/verify/verify-step.tsx'), 'VerifyStep'),
  },
  {
    id: 'result',
    title: 'Result',
    schema: null,
    select: null,
    Component: later(() => import('./result-step.tsx'), 'ResultStep'),
  },
] as const satisfies readonly StepDefinition[];

// Every StepId has exactly one entry (a compile error otherwise).
type Missing = Exclude<StepId, (typeof STEPS)[number]['id']>;
const _complete: Missing extends never ? true : Missing = true;
void _complete;
