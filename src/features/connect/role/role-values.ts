import type * as z from 'zod/mini';
import type { roleTargetSchema } from '../../../domain/inputs.ts';

/** The role step's form values, as typed (before the schema's transforms). */
export type RoleValues = z.input<typeof roleTargetSchema>;
