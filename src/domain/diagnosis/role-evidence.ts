import * as z from 'zod/mini';

// What the target account’s side says about the role (issue 12, item 3): the text a user pastes
// back after running the trust doctor, parsed into one shape. Accepted:
// - the doctor’s output (the shell command of doctor-command.ts, or `aws-connect doctor --json`);
// - the plain output of `aws iam get-role --role-name NAME` (policy decoded, or URL-encoded as the
//   IAM API itself returns it);
// - the aws CLI's NoSuchEntity error text for GetRole.
// Messages never quote the pasted text back (it is the customer's configuration, and V8's
// JSON.parse messages would): they say what was expected instead.

/**
 * The doctor prints about 4,000 characters for the template's role. 16,000 leaves room for tags
 * and more policies while keeping a request, with JSON escaping, under the 32 KB body limit.
 */
export const ROLE_EVIDENCE_MAX_CHARS = 16_000;
export const DOCTOR_FORMAT = 1;

const policyDocument = z.union([z.string(), z.record(z.string(), z.unknown())]);
const tag = z.object({ Key: z.string(), Value: z.string() });
const roleSchema = z.object({
  RoleName: z.string(),
  Arn: z.string(),
  Path: z.optional(z.string()),
  AssumeRolePolicyDocument: policyDocument,
  MaxSessionDuration: z.optional(z.number()),
  Tags: z.optional(z.array(tag)),
});
const getRoleSchema = z.object({ Role: roleSchema });
const failedCallSchema = z.object({ error: z.string() });
const attachedSchema = z.object({
  AttachedPolicies: z.array(z.object({ PolicyName: z.optional(z.string()), PolicyArn: z.string() })),
});
const inlineNamesSchema = z.object({ PolicyNames: z.array(z.string()) });
const inlinePolicySchema = z.object({ PolicyName: z.string(), PolicyDocument: policyDocument });
const parameterSchema = z.object({ ParameterKey: z.string(), ParameterValue: z.optional(z.string()) });
const outputSchema = z.object({ OutputKey: z.string(), OutputValue: z.optional(z.string()) });
const stackSchema = z.object({
  Stacks: z.array(
    z.object({
      StackName: z.string(),
      StackStatus: z.string(),
      Parameters: z.optional(z.array(parameterSchema)),
      Outputs: z.optional(z.array(outputSchema)),
      DriftInformation: z.optional(z.object({ StackDriftStatus: z.optional(z.string()) })),
    }),
  ),
});
const driftsSchema = z.object({
  StackResourceDrifts: z.array(
    z.object({
      LogicalResourceId: z.optional(z.string()),
      ResourceType: z.optional(z.string()),
      StackResourceDriftStatus: z.string(),
    }),
  ),
});

const section = <T extends z.ZodMiniType>(schema: T) => z.optional(z.union([schema, failedCallSchema]));
const doctorSchema = z.object({
  awsConnectDoctor: z.number(),
  roleName: z.optional(z.string()),
  stackName: z.optional(z.string()),
  region: z.optional(z.string()),
  getRole: z.union([getRoleSchema, failedCallSchema]),
  attachedPolicies: section(attachedSchema),
  inlinePolicies: section(inlineNamesSchema),
  additions: section(inlinePolicySchema),
  stack: section(stackSchema),
  drifts: section(driftsSchema),
});
export type DoctorOutput = z.infer<typeof doctorSchema>;

export interface RoleStack {
  name: string;
  status: string;
  parameters: Record<string, string>;
  outputs: Record<string, string>;
  /** CloudFormation's last drift detection: DRIFTED, IN_SYNC, NOT_CHECKED, or null when unknown. */
  driftStatus: string | null;
  /** Resources the last drift detection found MODIFIED or DELETED. */
  driftedResources: string[];
}

export interface FoundRole {
  found: true;
  form: 'doctor' | 'get-role';
  arn: string;
  name: string;
  path: string;
  accountId: string;
  trustPolicy: unknown;
  maxSessionDuration: number | null;
  tags: { Key: string; Value: string }[];
  /** Null when the evidence does not include them (plain get-role output). */
  attachedPolicyArns: string[] | null;
  inlinePolicyNames: string[] | null;
  /** The inline policy the doctor read by the template's name (ProwlerScanAdditions); null when absent or not read. */
  inlinePolicy: { name: string; document: string } | null;
  stack: RoleStack | null;
  /** Why the stack could not be read, e.g. "ValidationError" (no such stack); null when read or not asked. */
  stackError: string | null;
}
export interface MissingRole {
  found: false;
  form: 'doctor' | 'no-such-entity';
  /** The name AWS said it cannot find; null when the text does not say. */
  name: string | null;
  stack: RoleStack | null;
  stackError: string | null;
}
export type RoleEvidence = FoundRole | MissingRole;

export type ParsedEvidence = { ok: true; evidence: RoleEvidence } | { ok: false; message: string };

const fail = (message: string): ParsedEvidence => ({ ok: false, message });

/** "An error occurred (NoSuchEntity) when calling the GetRole operation: The role with name X cannot be found." */
const CLI_ERROR =
  /An error occurred \(([A-Za-z.]+)\) when calling the (\w+) operation(?: \(reached max retries: \d+\))?: ?(.*)/;
const ROLE_NAME_IN_MESSAGE = /(?:role with name|Role) ([\w+=,.@-]{1,64})(?: cannot be found| not found)/i;

function cliError(text: string): { code: string; operation: string; message: string } | null {
  const m = CLI_ERROR.exec(text);
  if (!m?.[1] || !m[2]) return null;
  return { code: m[1], operation: m[2], message: (m[3] ?? '').trim() };
}

function missingFrom(text: string, form: MissingRole['form']): ParsedEvidence | null {
  const err = cliError(text);
  if (err?.operation !== 'GetRole') return null;
  if (err.code === 'NoSuchEntity') {
    const name = ROLE_NAME_IN_MESSAGE.exec(err.message)?.[1] ?? null;
    return { ok: true, evidence: { found: false, form, name, stack: null, stackError: null } };
  }
  return fail(
    `roleEvidence: AWS refused GetRole (${err.code}) to the credentials the doctor ran with. Run it again with the target account’s administrator credentials (CloudShell in that account has them).`,
  );
}

/** A policy document as AWS may return it: an object, JSON text, or URL-encoded JSON text. */
export function decodePolicyDocument(doc: unknown): unknown {
  if (typeof doc !== 'string') return doc;
  for (const candidate of [doc, safeDecode(doc)]) {
    if (candidate === null) continue;
    try {
      return JSON.parse(candidate);
    } catch {
      // try the next form
    }
  }
  return null;
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function pairs(list: [string, string | undefined][]): Record<string, string> {
  return Object.fromEntries(list.map(([k, v]) => [k, v ?? '']));
}

function roleFrom(role: z.infer<typeof roleSchema>, form: FoundRole['form']): FoundRole | string {
  // arn:<partition>:iam::<account>:role/<path><name>
  const arn = /^arn:aws[a-z-]*:iam::(\d{12}):role\//.exec(role.Arn);
  if (!arn?.[1]) return 'roleEvidence: Role.Arn is not an IAM role ARN.';
  const trustPolicy = decodePolicyDocument(role.AssumeRolePolicyDocument);
  if (trustPolicy === null || typeof trustPolicy !== 'object')
    return 'roleEvidence: Role.AssumeRolePolicyDocument is not a JSON policy document.';
  return {
    found: true,
    form,
    arn: role.Arn,
    name: role.RoleName,
    path: role.Path ?? '/',
    accountId: arn[1],
    trustPolicy,
    maxSessionDuration: role.MaxSessionDuration ?? null,
    tags: role.Tags ?? [],
    attachedPolicyArns: null,
    inlinePolicyNames: null,
    inlinePolicy: null,
    stack: null,
    stackError: null,
  };
}

const isFailed = (v: unknown): v is { error: string } =>
  typeof v === 'object' && v !== null && typeof (v as { error?: unknown }).error === 'string';

function stackFrom(doc: DoctorOutput): Pick<FoundRole, 'stack' | 'stackError'> {
  if (doc.stack && isFailed(doc.stack))
    return { stack: null, stackError: cliError(doc.stack.error)?.code ?? 'error' };
  const s = doc.stack?.Stacks[0];
  if (!s) return { stack: null, stackError: null };
  const drifts = doc.drifts && !isFailed(doc.drifts) ? doc.drifts.StackResourceDrifts : [];
  return {
    stackError: null,
    stack: {
      name: s.StackName,
      status: s.StackStatus,
      parameters: pairs((s.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue])),
      outputs: pairs((s.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue])),
      driftStatus: s.DriftInformation?.StackDriftStatus ?? null,
      driftedResources: drifts
        .filter((d) => d.StackResourceDriftStatus === 'MODIFIED' || d.StackResourceDriftStatus === 'DELETED')
        .map((d) => `${d.LogicalResourceId ?? d.ResourceType ?? 'resource'} ${d.StackResourceDriftStatus}`),
    },
  };
}

function fromDoctor(doc: DoctorOutput): ParsedEvidence {
  if (isFailed(doc.getRole)) {
    const missing = missingFrom(doc.getRole.error, 'doctor');
    if (!missing)
      return fail('roleEvidence: the doctor could not read the role, and its output does not say why.');
    if (missing.ok && !missing.evidence.found) Object.assign(missing.evidence, stackFrom(doc));
    return missing;
  }
  const role = roleFrom(doc.getRole.Role, 'doctor');
  if (typeof role === 'string') return fail(role);
  if (doc.attachedPolicies && !isFailed(doc.attachedPolicies))
    role.attachedPolicyArns = doc.attachedPolicies.AttachedPolicies.map((p) => p.PolicyArn);
  if (doc.inlinePolicies && !isFailed(doc.inlinePolicies))
    role.inlinePolicyNames = doc.inlinePolicies.PolicyNames;
  if (doc.additions && !isFailed(doc.additions)) {
    const d = doc.additions.PolicyDocument;
    role.inlinePolicy = {
      name: doc.additions.PolicyName,
      document: typeof d === 'string' ? d : JSON.stringify(d),
    };
  }
  Object.assign(role, stackFrom(doc));
  return { ok: true, evidence: role };
}

function parseJson(text: string): { value: unknown } | null {
  try {
    return { value: JSON.parse(text) };
  } catch {
    // SyntaxError quotes the input, RangeError on absurd nesting: neither is shown.
    return null;
  }
}

const EXPECTED =
  'Paste the whole output of the trust doctor, of `aws iam get-role --role-name NAME`, or the NoSuchEntity error the aws CLI printed.';

/** Never throws: anything unexpected is a message for the roleEvidence field. */
export function parseRoleEvidence(input: unknown): ParsedEvidence {
  if (typeof input !== 'string') return fail(`roleEvidence must be text. ${EXPECTED}`);
  const text = input.trim();
  if (text === '') return fail(`roleEvidence is empty. ${EXPECTED}`);
  if (text.length > ROLE_EVIDENCE_MAX_CHARS)
    return fail(
      `roleEvidence is ${text.length.toLocaleString('en')} characters; at most ${ROLE_EVIDENCE_MAX_CHARS.toLocaleString('en')} are read. ${EXPECTED}`,
    );
  if (!text.startsWith('{')) {
    return (
      missingFrom(text, 'no-such-entity') ?? fail(`roleEvidence is not output we recognise. ${EXPECTED}`)
    );
  }
  const parsed = parseJson(text);
  if (!parsed)
    return fail(
      'roleEvidence is not valid JSON: the output was probably cut off when copying. Copy all of it, from the first { to the last }.',
    );
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail(`roleEvidence is JSON but not an object. ${EXPECTED}`);
  if ('awsConnectDoctor' in value) {
    const doc = doctorSchema.safeParse(value);
    if (!doc.success)
      return fail(`roleEvidence looks like the doctor’s output, but parts are missing. ${EXPECTED}`);
    if (doc.data.awsConnectDoctor !== DOCTOR_FORMAT)
      return fail(
        `roleEvidence comes from another version of the doctor (format ${doc.data.awsConnectDoctor}).`,
      );
    return fromDoctor(doc.data);
  }
  if ('Role' in value) {
    const doc = getRoleSchema.safeParse(value);
    if (!doc.success)
      return fail(
        `roleEvidence looks like get-role output, but Role has no RoleName, Arn or AssumeRolePolicyDocument. ${EXPECTED}`,
      );
    const role = roleFrom(doc.data.Role, 'get-role');
    return typeof role === 'string' ? fail(role) : { ok: true, evidence: role };
  }
  return fail(`roleEvidence is JSON, but neither the doctor’s output nor get-role’s. ${EXPECTED}`);
}

/**
 * Evidence about another role is not evidence about this one. A role of the same name and account
 * under another path is kept: it proves the ARN entered names no role (ROLE_NOT_FOUND).
 */
export function evidenceMismatch(
  evidence: RoleEvidence,
  role: { accountId: string; name: string },
): string | null {
  if (evidence.found) {
    if (evidence.accountId !== role.accountId)
      return `roleEvidence is about a role in account ${evidence.accountId}, but the role being verified is in ${role.accountId}. Run the doctor with that account’s credentials.`;
    if (evidence.name !== role.name)
      return `roleEvidence is about the role ${evidence.name}, but the role being verified is ${role.name}.`;
    return null;
  }
  if (evidence.name !== null && evidence.name !== role.name)
    return `roleEvidence says there is no role ${evidence.name}, but the role being verified is ${role.name}.`;
  return null;
}
