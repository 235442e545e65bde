import * as z from 'zod/mini';
import { diagnosisCodeSchema } from './codes.ts';
import { factKeySchema } from './evidence.ts';

// The rendered guidance as the report carries it (`--json`, the API, the wizard): built once on
// the server by guidance.ts, so scripts and tests can apply each step's command with the
// credentials it names, and the wizard shows it without bundling the catalogue.

export { DEPLOYMENTS, type Deployment } from '../api-contract.ts';

/** Whose credentials (or which machine) a command runs with. Every command the product prints says so. */
export const RUN_IN = [
  'target-account',
  'scanner-account',
  'organization-management',
  'this-shell',
  'server-host',
] as const;
export const runInSchema = z.enum(RUN_IN);
export type RunIn = z.infer<typeof runInSchema>;

export const guidanceStepSchema = z.object({
  text: z.string(),
  /** A shell command to copy, with the user's values in it. */
  command: z.optional(z.string()),
  runIn: z.optional(runInSchema),
  /** A value to copy into a form or the console. */
  value: z.optional(z.object({ label: z.string(), value: z.string() })),
});
export type GuidanceStep = z.infer<typeof guidanceStepSchema>;

export const renderedGuidanceSchema = z.object({
  code: diagnosisCodeSchema,
  severity: z.enum(['ok', 'warning', 'error']),
  confidence: z.enum(['confirmed', 'suspected']),
  title: z.string(),
  /** What happened, in one sentence. */
  what: z.string(),
  why: z.array(z.string()),
  steps: z.array(guidanceStepSchema),
  /** The facts to show, side by side where they pair up. */
  shows: z.array(factKeySchema),
  learnMore: z.optional(z.array(z.object({ label: z.string(), url: z.string() }))),
});
export type RenderedGuidance = z.infer<typeof renderedGuidanceSchema>;

export const confidenceSchema = renderedGuidanceSchema.shape.confidence;
export type Confidence = z.infer<typeof confidenceSchema>;

/** A possible cause of a suspected diagnosis (candidates.ts ranks them). */
export const candidateSchema = z.object({
  code: diagnosisCodeSchema,
  /** The code in a few words (the catalogue's label). */
  title: z.string(),
  /** Why it is plausible, given what AWS answered and what was entered. */
  why: z.string(),
  /** The one check that tells it apart from the others. */
  check: z.object({
    text: z.string(),
    command: z.optional(z.string()),
    runIn: z.optional(z.literal('target-account')),
  }),
});
export type Candidate = z.infer<typeof candidateSchema>;
