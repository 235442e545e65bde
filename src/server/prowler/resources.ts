import { z } from 'zod';

// Prowler's answers, parsed at the boundary. Lenient where its OpenAPI document makes a member
// optional (a conforming answer must parse: src/server/prowler/push.contract.test.ts feeds these
// the document's own response schemas), strict where we act on a value.

const resource = <T extends z.ZodTypeAny>(attributes: T) =>
  z.object({
    id: z.string().min(1).optional(),
    type: z.string(),
    attributes: attributes.optional(),
    relationships: z.record(z.string(), z.unknown()).optional(),
  });

export const tenantListSchema = z.object({ data: z.array(resource(z.object({}).passthrough())) });

export const providerAttributesSchema = z
  .object({ uid: z.string().optional(), provider: z.string().optional(), alias: z.string().nullish() })
  .passthrough();
export const providerSchema = resource(providerAttributesSchema);
export const providerDocumentSchema = z.object({ data: providerSchema });
export const providerListSchema = z.object({ data: z.array(providerSchema) });

/** relationships.secret.data of a provider: its one secret, or null when it has none. */
export const secretRelationshipSchema = z.object({
  data: z.object({ id: z.string().min(1), type: z.string() }).nullable(),
});

export const secretDocumentSchema = z.object({ data: resource(z.object({}).passthrough()) });

export const taskResultSchema = z.object({
  connected: z.boolean().nullable(),
  error: z.string().nullable().optional(),
});
export const taskSchema = resource(
  z
    .object({
      state: z.string().optional(),
      name: z.string().optional(),
      result: z.unknown().optional(),
    })
    .passthrough(),
);
export const taskDocumentSchema = z.object({ data: taskSchema });

/** Every error answer: `{"errors":[{"detail","status","source":{"pointer"},"code"}]}`. */
export const errorDocumentSchema = z.object({
  errors: z
    .array(
      z
        .object({
          detail: z.unknown().optional(),
          status: z.union([z.string(), z.number()]).optional(),
          source: z.object({ pointer: z.string().optional() }).partial().nullish(),
          code: z.string().optional(),
        })
        .passthrough(),
    )
    .min(1),
});
export type ProwlerErrorItem = z.infer<typeof errorDocumentSchema>['errors'][number];
