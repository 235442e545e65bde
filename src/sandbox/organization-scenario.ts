import { z } from 'zod';
import { DEFAULT_ROLE_NAME, trustPolicyFor } from '../domain/template/role-template.ts';

// A scenario may declare an organization (issue 14): a management account, OUs, accounts placed
// in them, and N generated member accounts whose stacks show a mix of outcomes ("every 7th account
// a trust mismatch, every 11th no role"). Generated accounts are built straight into the world's
// account shape, skipping the scenario schema: 1,000 of them load in a few milliseconds.

const accountId = z.string().regex(/^\d{12}$/, 'An AWS account ID is exactly 12 digits.');
const ouId = z.string().regex(/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/, 'An OU ID looks like ou-ab12-cd34ef56.');
const rootId = z.string().regex(/^r-[0-9a-z]{4,32}$/, 'A root ID looks like r-ab12.');
/** Where an account or OU sits: "root" or an OU ID. */
const parentRef = z.union([z.literal('root'), ouId]);

export const ACCOUNT_STATES = ['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE'] as const;

export const GENERATED_OUTCOMES = [
  /** The template deployed as `stack` says: the role is assumed. */
  'connected',
  /** Nothing deployed: AssumeRole answers AccessDenied. */
  'no-role',
  /** AccountId trusts another account. */
  'trust-account-mismatch',
  /** IAMPrincipal admits another principal. */
  'trust-principal-mismatch',
  /** The stack has another External ID. */
  'external-id-mismatch',
  /** SecurityAudit detached after the deployment. */
  'permissions-incomplete',
  /** The trust policy was edited to drop the External ID condition. */
  'external-id-not-enforced',
  /** The account is SUSPENDED in the organization (and has no role). */
  'suspended',
] as const;
export type GeneratedOutcome = (typeof GENERATED_OUTCOMES)[number];

const stackParameters = z
  .object({ ExternalId: z.string(), AccountId: z.string(), IAMPrincipal: z.string() })
  .strict();

export const organizationSchema = z
  .object({
    id: z
      .string()
      .regex(/^o-[a-z0-9]{10,32}$/, 'An organization ID looks like o-a1b2c3d4e5.')
      .default('o-sandbox0001'),
    rootId: rootId.default('r-sbx0'),
    managementAccountId: accountId,
    /** Accounts registered as delegated administrators: they may read the organization too. */
    delegatedAdministrators: z.array(accountId).default([]),
    units: z
      .array(z.object({ id: ouId, name: z.string().min(1).max(128), parent: parentRef }).strict())
      .default([]),
    /** Accounts of `accounts` (or bare ones) and where they sit; the management account defaults to the root. */
    accounts: z
      .array(
        z
          .object({
            accountId,
            name: z.string().min(1).max(50),
            parent: parentRef.default('root'),
            state: z.enum(ACCOUNT_STATES).default('ACTIVE'),
          })
          .strict(),
      )
      .default([]),
    generated: z
      .object({
        count: z.number().int().min(0).max(20_000),
        /** The first generated account's ID; the others follow it. */
        firstAccountId: accountId.default('910000000000'),
        /** Generated accounts are dealt round-robin into these. */
        parents: z.array(parentRef).min(1).default(['root']),
        roleName: z
          .string()
          .regex(/^[\w+=,.@-]{1,64}$/)
          .default(DEFAULT_ROLE_NAME),
        /** The stack a "connected" account has (the StackSet's parameters). */
        stack: stackParameters,
        /** For account n (1-based), the first rule with n % every === 0 decides; else "connected". */
        outcomes: z
          .array(z.object({ every: z.number().int().min(1), outcome: z.enum(GENERATED_OUTCOMES) }).strict())
          .default([]),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((org, ctx) => {
    const units = new Set<string>();
    for (const [i, u] of org.units.entries()) {
      if (u.parent !== 'root' && !units.has(u.parent))
        ctx.addIssue({
          code: 'custom',
          path: ['units', i, 'parent'],
          message: `${u.parent} is not an OU listed before this one.`,
        });
      units.add(u.id);
    }
    const known = (p: string) => p === 'root' || units.has(p);
    for (const [i, a] of org.accounts.entries())
      if (!known(a.parent))
        ctx.addIssue({
          code: 'custom',
          path: ['accounts', i, 'parent'],
          message: `${a.parent} is not in units.`,
        });
    for (const [i, p] of (org.generated?.parents ?? []).entries())
      if (!known(p))
        ctx.addIssue({ code: 'custom', path: ['generated', 'parents', i], message: `${p} is not in units.` });
  });

export type OrganizationSpec = z.infer<typeof organizationSchema>;

export interface OrgAccount {
  id: string;
  name: string;
  state: (typeof ACCOUNT_STATES)[number];
  parentId: string;
  joinedAt: number;
}

export interface OrgUnit {
  id: string;
  name: string;
  parentId: string;
}

/** The organization as the Organizations handlers read it; children kept in insertion order. */
export interface OrganizationState {
  spec: OrganizationSpec;
  units: Map<string, OrgUnit>;
  accounts: Map<string, OrgAccount>;
  /** Parent ID (root or OU) -> child OU IDs and account IDs. */
  children: Map<string, { ous: string[]; accounts: string[] }>;
}

export function generatedOutcome(
  n: number,
  rules: readonly { every: number; outcome: GeneratedOutcome }[],
): GeneratedOutcome {
  for (const rule of rules) if (n % rule.every === 0) return rule.outcome;
  return 'connected';
}

/** A stack of the scenario's shape (scenario.ts StackSpec), written here so this file needs none of it. */
export interface GeneratedStack {
  name: string;
  /** Where the StackSet's instance runs (stacks are regional; the role is global). */
  region: string;
  roleName: string;
  parameters: { ExternalId: string; AccountId: string; IAMPrincipal: string };
  drift?: { detachManagedPolicies?: string[]; trustPolicy?: Record<string, unknown> };
}

/** An account of the scenario's shape with nothing but its stack. */
export interface GeneratedAccountSpec {
  users: [];
  roles: [];
  stacks: GeneratedStack[];
  sessions: [];
  rootAccessKeys: [];
  scp: [];
  disabledRegions: [];
}

const emptyAccount = (stacks: GeneratedStack[]): GeneratedAccountSpec => ({
  users: [],
  roles: [],
  stacks,
  sessions: [],
  rootAccessKeys: [],
  scp: [],
  disabledRegions: [],
});

/** The stack a generated account gets for its outcome; null: nothing deployed. */
function stackFor(
  outcome: GeneratedOutcome,
  gen: NonNullable<OrganizationSpec['generated']>,
  partition: string,
): GeneratedStack | null {
  const parameters = { ...gen.stack };
  const stack: GeneratedStack = {
    name: 'StackSet-ProwlerScan-members',
    region: 'us-east-1',
    roleName: gen.roleName,
    parameters,
  };
  switch (outcome) {
    case 'no-role':
    case 'suspended':
      return null;
    case 'trust-account-mismatch':
      parameters.AccountId = parameters.AccountId === '999999999999' ? '999999999998' : '999999999999';
      return stack;
    case 'trust-principal-mismatch':
      parameters.IAMPrincipal = 'role/someone-else*';
      return stack;
    case 'external-id-mismatch':
      parameters.ExternalId = `${parameters.ExternalId}-other`.slice(0, 1224);
      return stack;
    case 'permissions-incomplete':
      return { ...stack, drift: { detachManagedPolicies: ['SecurityAudit'] } };
    case 'external-id-not-enforced': {
      const trust = trustPolicyFor({
        partition,
        trustedAccountId: parameters.AccountId,
        iamPrincipal: parameters.IAMPrincipal,
        externalId: parameters.ExternalId,
      });
      const statement = trust.Statement[0];
      const { StringEquals: _, ...conditions } = statement?.Condition ?? {};
      return {
        ...stack,
        drift: { trustPolicy: { ...trust, Statement: [{ ...statement, Condition: conditions }] } },
      };
    }
    default:
      return stack;
  }
}

export interface ExpandedOrganization {
  state: OrganizationState;
  /** Account specs for the generated accounts, to build like the scenario's own. */
  accounts: [string, GeneratedAccountSpec][];
}

/** The organization's state, and the generated accounts' specs (outcome by position). */
export function expandOrganization(
  spec: OrganizationSpec,
  partition: string,
  now: number,
): ExpandedOrganization {
  const root = spec.rootId;
  const resolve = (p: string) => (p === 'root' ? root : p);
  const state: OrganizationState = { spec, units: new Map(), accounts: new Map(), children: new Map() };
  const childrenOf = (id: string) => {
    let c = state.children.get(id);
    if (!c) {
      c = { ous: [], accounts: [] };
      state.children.set(id, c);
    }
    return c;
  };
  childrenOf(root);
  for (const u of spec.units) {
    state.units.set(u.id, { id: u.id, name: u.name, parentId: resolve(u.parent) });
    childrenOf(resolve(u.parent)).ous.push(u.id);
    childrenOf(u.id);
  }
  const place = (a: Omit<OrgAccount, 'joinedAt'>) => {
    if (state.accounts.has(a.id)) return;
    state.accounts.set(a.id, { ...a, joinedAt: Math.floor(now / 1000) });
    childrenOf(a.parentId).accounts.push(a.id);
  };
  for (const a of spec.accounts)
    place({ id: a.accountId, name: a.name, state: a.state, parentId: resolve(a.parent) });
  place({ id: spec.managementAccountId, name: 'management', state: 'ACTIVE', parentId: root });

  const accounts: [string, GeneratedAccountSpec][] = [];
  const gen = spec.generated;
  if (gen) {
    const first = Number(gen.firstAccountId);
    for (let n = 1; n <= gen.count; n++) {
      const id = String(first + n - 1).padStart(12, '0');
      if (state.accounts.has(id)) continue;
      const outcome = generatedOutcome(n, gen.outcomes);
      const parent = resolve(gen.parents[(n - 1) % gen.parents.length] ?? 'root');
      place({
        id,
        name: `member-${String(n).padStart(5, '0')}`,
        state: outcome === 'suspended' ? 'SUSPENDED' : 'ACTIVE',
        parentId: parent,
      });
      const stack = stackFor(outcome, gen, partition);
      accounts.push([id, emptyAccount(stack ? [stack] : [])]);
    }
  }
  return { state, accounts };
}

/** What a generated account shows, for tests and benchmarks: its expected outcome by account ID. */
export function generatedOutcomes(spec: OrganizationSpec): Map<string, GeneratedOutcome> {
  const out = new Map<string, GeneratedOutcome>();
  const gen = spec.generated;
  if (!gen) return out;
  const placed = new Set([spec.managementAccountId, ...spec.accounts.map((a) => a.accountId)]);
  const first = Number(gen.firstAccountId);
  for (let n = 1; n <= gen.count; n++) {
    const id = String(first + n - 1).padStart(12, '0');
    if (!placed.has(id)) out.set(id, generatedOutcome(n, gen.outcomes));
  }
  return out;
}
