import type * as z from 'zod/mini';
import type { FieldError } from './api-contract.ts';

/**
 * Turn zod issues into one message per field, keyed by dotted path. Unknown keys are
 * reported on the key itself, so "extra fields" name the field like any other error.
 */
export function fieldErrorsFrom(error: z.core.$ZodError): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ path: base ? `${base}.${key}` : key, message: `Unknown field "${key}": remove it.` });
      }
      continue;
    }
    if (out.some((f) => f.path === base)) continue;
    out.push({ path: base || '(body)', message: issue.message });
  }
  return out;
}
