import * as z from 'zod/mini';
import { regionSchema, stackNameSchema } from '../../domain/inputs.ts';
import type { Answers } from './store/answers.ts';
import type { Secrets } from './store/secrets.ts';

// What "finished" means for each step: its domain schema applied to the answers it owns. The app's
// step registry pairs these with titles and components; the guard uses them (issue 6, Behaviour).

export const templateFormSchema = z.object({ region: regionSchema, stackName: stackNameSchema });

export const templateStepSchema = z.extend(templateFormSchema, {
  reviewed: z.literal(true, { error: 'Review the template step and continue.' }),
});

/** Verified: a report is kept (the result step parses it in full, and drops one that does not parse). */
export const verifyStepSchema = z.object({ report: z.looseObject({ requestId: z.string() }) });

export interface StepInput {
  answers: Answers;
  secrets: Secrets;
  /** The server's region, the template step's default. */
  defaultRegion: string;
}

export function sourceAnswer({ answers, secrets }: StepInput): unknown {
  if (answers.sourceKind === 'access-keys') return { kind: 'access-keys', ...secrets };
  return answers.sourceKind ? { kind: answers.sourceKind } : undefined;
}

export function templateAnswer({ answers, defaultRegion }: StepInput): unknown {
  return { ...answers.template, region: answers.template.region || defaultRegion };
}

export function roleAnswer({ answers }: StepInput): unknown {
  const { roleArn, accountId, sessionName, durationSeconds } = answers.role;
  return { roleArn, accountId, sessionName, durationSeconds: durationSeconds ?? undefined };
}

export function trustAnswer({ answers }: StepInput): unknown {
  return answers.trust;
}

export function verifyAnswer({ answers }: StepInput): unknown {
  return { report: answers.report };
}
