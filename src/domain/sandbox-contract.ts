import * as z from 'zod/mini';
import { diagnosisCodeSchema } from './diagnosis/codes.ts';

// The embedded sandbox's part of the API (the demo's "Deploy to sandbox" and its scenario), loaded
// with the steps that use it, not by the first screen (docs/decisions/041-first-screen-contract.md).

/** Demo only: deploy the product's template into the embedded sandbox. */
export const sandboxDeployRequestSchema = z.strictObject({
  accountId: z.string().check(z.regex(/^\d{12}$/, 'An AWS account ID is exactly 12 digits.')),
  stackName: z._default(z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/)), 'ProwlerScan'),
  roleName: z._default(z.string().check(z.regex(/^[\w+=,.@-]{1,64}$/)), 'ProwlerScan'),
  parameters: z.strictObject({ ExternalId: z.string(), AccountId: z.string(), IAMPrincipal: z.string() }),
});
export type SandboxDeployRequest = z.infer<typeof sandboxDeployRequestSchema>;
export const sandboxDeployResponseSchema = z.object({
  roleArn: z.string(),
  stackName: z.string(),
  updated: z.boolean(),
});

export const sandboxScenarioResponseSchema = z.object({
  /** The server's own identity in the demo. */
  scannerAccountId: z.string(),
  targets: z.array(
    z.object({
      accountId: z.string(),
      roleArn: z.nullable(z.string()),
      label: z.string(),
      illustrates: z.string(),
      /** The diagnosis verifying this target with the scanner identity gives (demo scenario). */
      expectedDiagnosis: z.optional(diagnosisCodeSchema),
      /**
       * The account's administrator (the customer's side: who runs the doctor and the fixes), as
       * an IAM user ARN and its access key ID; the secret is in the scenario file, never here.
       */
      administrator: z.optional(z.object({ arn: z.string(), accessKeyId: z.string() })),
    }),
  ),
  /** Demo access keys for the "Access & Secret Key" source (IDs only; secrets are in the scenario file). */
  sources: z.optional(
    z.array(
      z.object({
        accountId: z.string(),
        accessKeyId: z.string(),
        label: z.string(),
        illustrates: z.string(),
        expectedDiagnosis: z.optional(diagnosisCodeSchema),
      }),
    ),
  ),
});
export type SandboxScenarioResponse = z.infer<typeof sandboxScenarioResponseSchema>;
