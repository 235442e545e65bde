import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { diagnosisCodeSchema } from '../domain/diagnosis/codes.ts';
import { partitionSchema } from '../domain/inputs.ts';
import { faultsSchema } from './faults.ts';
import { organizationSchema } from './organization-scenario.ts';

// The world the sandbox simulates, as a JSON file (issue 4, "Scenarios"). Objects are strict so a
// typo in a hand-written scenario is an error, not a silently ignored field.

const accountId = z.string().regex(/^\d{12}$/, 'An AWS account ID is exactly 12 digits.');
const iamName = z
  .string()
  .regex(/^[\w+=,.@-]{1,64}$/, 'IAM names are 1-64 of letters, digits and + = , . @ - _.');
const iamPath = z
  .string()
  .regex(/^\/([!-.0-~]+\/)*$/, 'An IAM path starts and ends with "/", like "/" or "/team/".')
  .default('/');
const keyId = z
  .string()
  .regex(/^(AKIA|ASIA)\w{12,124}$/, 'An access key ID is AKIA/ASIA followed by letters and digits.');
const secret = z.string().regex(/^[A-Za-z0-9/+=]{16,128}$/, 'A secret is 16-128 letters, digits and / + =.');
const stringList = z.union([z.string(), z.array(z.string())]);

/** What a key or account demonstrates; surfaced (without secrets) by describeTargets(). */
const demoShape = {
  label: z.string().optional(),
  illustrates: z.string().optional(),
  expectedDiagnosis: z.optional(diagnosisCodeSchema),
  /** Free text for people reading the file. */
  note: z.string().optional(),
};

/** An identity-policy or SCP statement (no Principal): Effect, Action/NotAction, Resource/NotResource. */
export const statementSchema = z
  .object({
    Sid: z.string().optional(),
    Effect: z.enum(['Allow', 'Deny']),
    Action: stringList.optional(),
    NotAction: stringList.optional(),
    Resource: stringList.optional(),
    NotResource: stringList.optional(),
    Condition: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine(
    (s) => (s.Action === undefined) !== (s.NotAction === undefined),
    'A statement has Action or NotAction.',
  );
export type Statement = z.infer<typeof statementSchema>;

/** A named policy document, e.g. an inline role policy GetRolePolicy returns. */
const namedPolicySchema = z.object({ name: iamName, document: z.record(z.string(), z.unknown()) }).strict();
/** Inline policies: bare statements (grouped into one policy named "inline") or named documents. */
const policiesSchema = z.array(z.union([statementSchema, namedPolicySchema])).default([]);

const accessKeySchema = z
  .object({ id: keyId, secret, status: z.enum(['Active', 'Inactive']).default('Active'), ...demoShape })
  .strict();

const userSchema = z
  .object({
    name: iamName,
    path: iamPath,
    accessKeys: z.array(accessKeySchema).default([]),
    policies: policiesSchema,
    note: z.string().optional(),
  })
  .strict();

const tagSchema = z.object({ Key: z.string().min(1).max(128), Value: z.string().max(256) }).strict();

const roleSchema = z
  .object({
    name: iamName,
    path: iamPath,
    description: z.string().max(1000).optional(),
    trustPolicy: z.record(z.string(), z.unknown()),
    managedPolicyArns: z.array(z.string()).default([]),
    policies: policiesSchema,
    maxSessionDuration: z.number().int().min(3600).max(43200).default(3600),
    tags: z.array(tagSchema).default([]),
    note: z.string().optional(),
  })
  .strict();

/**
 * The account's administrator: an IAM user allowed every action in its own account (as if
 * AdministratorAccess were attached). It plays the customer: the one who runs the fix commands.
 */
const administratorSchema = z
  .object({
    name: iamName.default('admin'),
    path: iamPath,
    accessKeys: z.array(accessKeySchema).min(1, 'An administrator needs at least one access key.'),
    note: z.string().optional(),
  })
  .strict();

export const stackParametersSchema = z
  .object({ ExternalId: z.string(), AccountId: z.string(), IAMPrincipal: z.string() })
  .strict();

/** Changes made to a stack's role outside CloudFormation, to illustrate broken setups. */
const driftSchema = z
  .object({
    /** Managed policy names ("SecurityAudit") or ARNs to detach. */
    detachManagedPolicies: z.array(z.string()).optional(),
    deleteInlinePolicies: z.array(z.string()).optional(),
    /** Replace the trust policy, as if edited in the console. */
    trustPolicy: z.record(z.string(), z.unknown()).optional(),
    /** Inline policies added beside the template's. */
    addInlinePolicies: z
      .array(z.object({ name: z.string().min(1), document: z.record(z.string(), z.unknown()) }).strict())
      .optional(),
    /** Another MaxSessionDuration, as if changed in the console. */
    maxSessionDuration: z.number().int().min(3600).max(43200).optional(),
    /** The template-version tag's value; null removes the tag (a role from template version 1). */
    templateVersion: z.string().min(1).nullable().optional(),
  })
  .strict();

export const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

const stackSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'A stack name is letters, digits and hyphens.'),
    /** CloudFormation stacks are regional; the role they create is global. */
    region: z.string().regex(REGION_RE, 'A region looks like us-east-1.').default('us-east-1'),
    roleName: iamName.optional(),
    parameters: stackParametersSchema,
    drift: driftSchema.optional(),
    note: z.string().optional(),
  })
  .strict();

/** Temporary credentials that already exist, e.g. an expired session for SOURCE_TOKEN_EXPIRED. */
const sessionSchema = z
  .object({
    role: iamName,
    sessionName: z.string().regex(/^[\w+=,.@-]{2,64}$/),
    id: keyId,
    secret,
    token: z.string().min(16),
    expiration: z.iso.datetime(),
    ...demoShape,
  })
  .strict();

export const accountSchema = z
  .object({
    ...demoShape,
    administrator: administratorSchema.optional(),
    users: z.array(userSchema).default([]),
    roles: z.array(roleSchema).default([]),
    stacks: z.array(stackSchema).default([]),
    sessions: z.array(sessionSchema).default([]),
    /** Keys of the account's root user (its identity needs no policy). */
    rootAccessKeys: z.array(accessKeySchema).default([]),
    /** SCP statements binding every principal of this account, as AWS Organizations does. */
    scp: z.array(statementSchema).default([]),
    /** Regions where STS is deactivated for this account (RegionDisabledException). */
    disabledRegions: z.array(z.string()).default([]),
  })
  .strict();

export const scenarioSchema = z
  .object({
    about: z.string().optional(),
    partition: z._default(partitionSchema, 'aws'),
    /** Whose keys serverCredentials('scanner') returns: the server's identity in the demo. */
    scanner: z.object({ accountId, user: iamName }).strict().optional(),
    /** Regions where STS is deactivated for every account. */
    disabledRegions: z.array(z.string()).default([]),
    accounts: z.record(accountId, accountSchema),
    /** An AWS Organization over these accounts and generated ones (organization-scenario.ts). */
    organization: organizationSchema.optional(),
    faults: faultsSchema.optional(),
  })
  .strict();

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type AccountSpec = Scenario['accounts'][string];
export type UserSpec = AccountSpec['users'][number];
export type RoleSpec = AccountSpec['roles'][number];
export type StackSpec = AccountSpec['stacks'][number];
export type AccessKeySpec = UserSpec['accessKeys'][number];

export const EXTERNAL_ID_PLACEHOLDER = '$SERVER_EXTERNAL_ID';
/** Used for the placeholder when the sandbox runs without the server's External ID. */
export const DEMO_EXTERNAL_ID = 'aws-connect-sandbox-demo';

/** Replaces the placeholder in every string of a JSON value. */
export function withExternalId<T>(value: T, externalId: string): T {
  if (typeof value === 'string') return value.replaceAll(EXTERNAL_ID_PLACEHOLDER, externalId) as T;
  if (Array.isArray(value)) return value.map((v) => withExternalId(v, externalId)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withExternalId(v, externalId)])) as T;
  }
  return value;
}

/** Reads and validates a scenario file; the error names the file and the failing fields. */
export async function loadScenario(path: string): Promise<Scenario> {
  const text = await readFile(path, 'utf8');
  return parseScenarioText(text, path);
}

export function parseScenarioText(text: string, where: string): Scenario {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = scenarioSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${where} is not a valid scenario: ${issues.join('; ')}`);
  }
  return parsed.data;
}

export const DEMO_SCENARIO_PATH = fileURLToPath(new URL('./scenarios/demo.json', import.meta.url));
/** The demo world `npm start` runs on (src/sandbox/scenarios/demo.json). */
export const DEMO_SCENARIO: Scenario = parseScenarioText(
  readFileSync(DEMO_SCENARIO_PATH, 'utf8'),
  DEMO_SCENARIO_PATH,
);
