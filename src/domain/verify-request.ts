import * as z from 'zod/mini';
import {
  evidenceMismatch,
  parseRoleEvidence,
  ROLE_EVIDENCE_MAX_CHARS,
  type RoleEvidence,
} from './diagnosis/role-evidence.ts';
import {
  accountIdSchema,
  credentialSourceSchema,
  durationSecondsSchema,
  externalIdSchema,
  iamPrincipalSchema,
  optionalText,
  partitionSchema,
  ROLE_ARN_RE,
  regionSchema,
  roleArnSchema,
  sessionNameSchema,
  stackNameSchema,
} from './inputs.ts';

// The verification request, one schema for the wizard and the server. Apart from inputs.ts so the
// first screen, which needs only the field schemas, does not load the role-evidence parser.

/**
 * What the target account's side showed of the role (the trust doctor's output, `aws iam get-role`,
 * or its NoSuchEntity error), parsed into one shape. The text is never echoed back.
 */
export const roleEvidenceSchema = z.pipe(
  z
    .string({ error: 'roleEvidence must be text: the output of the trust doctor.' })
    .check(
      z.maxLength(
        ROLE_EVIDENCE_MAX_CHARS,
        `roleEvidence is too long: at most ${ROLE_EVIDENCE_MAX_CHARS.toLocaleString('en')} characters are read. Paste the doctor's output alone.`,
      ),
    ),
  z.transform((text: string, ctx): RoleEvidence => {
    const parsed = parseRoleEvidence(text);
    if (parsed.ok) return parsed.evidence;
    ctx.issues.push({ code: 'custom', message: parsed.message, input: '' });
    return z.NEVER;
  }),
);

export const verifyRequestSchema = z
  .strictObject({
    source: credentialSourceSchema,
    roleArn: roleArnSchema,
    externalId: externalIdSchema,
    sessionName: optionalText(sessionNameSchema),
    durationSeconds: z.optional(durationSecondsSchema),
    trustedAccountId: optionalText(accountIdSchema),
    iamPrincipal: optionalText(iamPrincipalSchema),
    accountId: optionalText(accountIdSchema),
    region: optionalText(regionSchema),
    partition: z.optional(partitionSchema),
    stackName: optionalText(stackNameSchema),
    roleEvidence: z.optional(roleEvidenceSchema),
  })
  .check(
    z.superRefine((value, ctx) => {
      if (!value.roleEvidence) return;
      const role = ROLE_ARN_RE.exec(value.roleArn);
      const mismatch =
        role?.[2] && role[4]
          ? evidenceMismatch(value.roleEvidence, { accountId: role[2], name: role[4] })
          : null;
      if (mismatch) ctx.addIssue({ code: 'custom', path: ['roleEvidence'], message: mismatch });
    }),
  );
export type VerifyRequest = z.infer<typeof verifyRequestSchema>;
export type VerifyRequestInput = z.input<typeof verifyRequestSchema>;
