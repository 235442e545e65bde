import type { SandboxScenarioResponse } from '../domain/sandbox-contract.ts';
import { DEFAULT_ROLE_NAME } from '../domain/template/role-template.ts';
import type { FaultState, Faults, FaultsInput } from './faults.ts';
import { stableId } from './ids.ts';
import {
  type Caller,
  type Credential,
  DeployError,
  type DeployStackRequest,
  type DeployStackResult,
  inlinePolicies,
  isoSeconds,
  type RoleState,
  roleIdentity,
  type SessionState,
  statementsOf,
  type UserState,
} from './model.ts';
import { expandOrganization, type OrganizationState } from './organization-scenario.ts';
import { RequestLog } from './request-log.ts';
import {
  type AccessKeySpec,
  type AccountSpec,
  accountSchema,
  DEMO_EXTERNAL_ID,
  type Scenario,
  type Statement,
  scenarioSchema,
  stackParametersSchema,
  withExternalId,
} from './scenario.ts';
import { type StackState, stackKey } from './stack-state.ts';
import { type StackInput, stackFromSpec } from './stacks.ts';

// The sandbox's live state: principals, keys, roles (from role entries and deployed stacks),
// temporary sessions. Built from a scenario; stacks can be deployed at run time (the demo's
// "Deploy to sandbox"). Secrets stay in here: nothing public returns them except serverCredentials.

/** Well-formed, and in no scenario: what a server holding a deleted key presents. */
export const UNKNOWN_KEY = {
  accessKeyId: 'AKIASANDBOXNOTAKEY00',
  secretAccessKey: 'c2FuZGJveC1rZXktdGhhdC1kb2VzLW5vdC1leGlzdA',
};
const MAX_SESSIONS = 200_000;
/** What the administrator identity may do: everything in its own account. */
const ADMINISTRATOR_STATEMENTS: Statement[] = [{ Effect: 'Allow', Action: '*', Resource: '*' }];

interface AccountState {
  spec: AccountSpec;
  users: Map<string, UserState>;
  roles: Map<string, RoleState>;
  /** Live stacks by "region/name"; deleted ones are kept for DescribeStacks by stack ID. */
  stacks: Map<string, StackState>;
  deletedStacks: StackState[];
}

export class SandboxWorld {
  private scenario!: Scenario;
  private accounts = new Map<string, AccountState>();
  private credentials = new Map<string, Credential>();
  private sessions = new Map<string, SessionState>();
  /** What the sandbox answered since the last load or reset. */
  readonly requestLog = new RequestLog();
  /** The scenario's organization, if it declares one (organizations.ts serves it). */
  organization: OrganizationState | null = null;

  constructor(
    readonly faults: FaultState,
    readonly externalId: string = DEMO_EXTERNAL_ID,
    scenario: unknown = { accounts: {} },
  ) {
    this.load(scenario);
  }

  /** The sandbox's clock: real time plus the clock-skew fault. */
  now(): number {
    return Date.now() + this.faults.clockSkewMs;
  }

  get partition(): string {
    return this.scenario.partition;
  }

  /** The scenario as loaded (placeholders resolved); includes the scenario's own demo keys. */
  get currentScenario(): Scenario {
    return this.scenario;
  }

  /** Replaces the world; throws a ZodError (invalid scenario) or DeployError (bad stack), keeping the old one. */
  load(input: unknown): void {
    const scenario = scenarioSchema.parse(withExternalId(input, this.externalId));
    const previous = this.scenario;
    this.scenario = scenario;
    try {
      this.rebuild();
    } catch (e) {
      if (previous) {
        this.scenario = previous;
        this.rebuild();
      }
      throw e;
    }
  }

  /** Back to the last loaded scenario: run-time stacks, sessions, fault changes and the log are dropped. */
  reset(): void {
    this.rebuild();
  }

  setFaults(input: FaultsInput | undefined): Faults {
    return this.faults.set(input);
  }

  private rebuild(): void {
    this.accounts.clear();
    this.credentials.clear();
    this.sessions.clear();
    this.requestLog.clear();
    this.faults.set(this.scenario.faults);
    const created = isoSeconds(this.now());
    const org = this.scenario.organization
      ? expandOrganization(this.scenario.organization, this.partition, this.now())
      : null;
    this.organization = org?.state ?? null;
    for (const [id] of org?.accounts ?? []) {
      if (Object.hasOwn(this.scenario.accounts, id))
        throw new DeployError(
          `Generated account ${id} is also in accounts.`,
          'organization.generated.firstAccountId',
        );
    }
    const accounts: [string, AccountSpec][] = [
      ...Object.entries(this.scenario.accounts),
      ...(org?.accounts ?? []),
    ];
    for (const [accountId, spec] of accounts) {
      const account = this.addAccount(accountId, spec);
      for (const key of spec.rootAccessKeys)
        this.addKey(key, { kind: 'root', accountId, accessKeyId: key.id });
      if (spec.administrator) {
        const a = spec.administrator;
        const admin: UserState = {
          accountId,
          name: a.name,
          path: a.path,
          arn: `arn:${this.partition}:iam::${accountId}:user${a.path}${a.name}`,
          id: stableId('AIDA', accountId, a.name),
          statements: ADMINISTRATOR_STATEMENTS,
          administrator: true,
        };
        account.users.set(a.name, admin);
        for (const key of a.accessKeys)
          this.addKey(key, { kind: 'user', accountId, accessKeyId: key.id, user: admin });
      }
      for (const u of spec.users) {
        if (account.users.has(u.name))
          throw new DeployError(`A user named ${u.name} already exists in account ${accountId}.`, 'users');
        const user: UserState = {
          accountId,
          name: u.name,
          path: u.path,
          arn: `arn:${this.partition}:iam::${accountId}:user${u.path}${u.name}`,
          id: stableId('AIDA', accountId, u.name),
          statements: statementsOf(inlinePolicies(u.policies)),
        };
        account.users.set(u.name, user);
        for (const key of u.accessKeys)
          this.addKey(key, { kind: 'user', accountId, accessKeyId: key.id, user });
      }
      for (const r of spec.roles) {
        const inline = inlinePolicies(r.policies);
        this.putRoleIn(account, {
          ...roleIdentity(this.partition, accountId, r.name, r.path),
          createDate: created,
          trustPolicy: structuredClone(r.trustPolicy),
          managedPolicyArns: [...r.managedPolicyArns],
          inlinePolicies: inline,
          statements: statementsOf(inline),
          maxSessionDuration: r.maxSessionDuration,
          ...(r.description !== undefined ? { description: r.description } : {}),
          tags: r.tags.map((t) => ({ ...t })),
          assumableAt: 0,
        });
      }
      for (const stack of spec.stacks) this.applyStack(account, accountId, stack, 0);
    }
    for (const [accountId, spec] of accounts) {
      for (const s of spec.sessions) {
        const role = this.role(accountId, s.role);
        if (!role)
          throw new DeployError(`Session ${s.id}: no role "${s.role}" in account ${accountId}.`, 'sessions');
        this.addSession({
          accountId,
          role: { name: role.name, path: role.path, arn: role.arn, id: role.id },
          sessionName: s.sessionName,
          accessKeyId: s.id,
          secretAccessKey: s.secret,
          sessionToken: s.token,
          expiresAt: Date.parse(s.expiration),
          chained: false,
        });
      }
    }
  }

  private addAccount(accountId: string, spec: AccountSpec): AccountState {
    const account: AccountState = {
      spec,
      users: new Map(),
      roles: new Map(),
      stacks: new Map(),
      deletedStacks: [],
    };
    this.accounts.set(accountId, account);
    return account;
  }

  /** Adds or replaces a role; throws DeployError when another stack (or none) owns the name. */
  putRole(accountId: string, role: RoleState): void {
    const account = this.accounts.get(accountId) ?? this.addAccount(accountId, accountSchema.parse({}));
    this.putRoleIn(account, role);
  }

  deleteRole(accountId: string, name: string): void {
    this.accounts.get(accountId)?.roles.delete(name);
  }

  /** The account's stacks (CloudFormation's view); an account the scenario does not name has none. */
  stacksOf(accountId: string): { live: Map<string, StackState>; deleted: StackState[] } {
    const account = this.accounts.get(accountId) ?? this.addAccount(accountId, accountSchema.parse({}));
    return { live: account.stacks, deleted: account.deletedStacks };
  }

  /** The account's administrator identity, if the scenario gives it one. */
  administrator(accountId: string): UserState | undefined {
    for (const u of this.accounts.get(accountId)?.users.values() ?? []) if (u.administrator) return u;
    return undefined;
  }

  private putRoleIn(account: AccountState, role: RoleState): void {
    const existing = account.roles.get(role.name);
    if (existing && existing.stackName !== role.stackName) {
      const owner = existing.stackName ? ` (stack ${existing.stackName})` : '';
      throw new DeployError(
        `A role named ${role.name} already exists in account ${role.accountId}${owner}.`,
        'roleName',
      );
    }
    account.roles.set(role.name, role);
  }

  private addKey(key: AccessKeySpec, caller: Caller): void {
    if (this.credentials.has(key.id))
      throw new DeployError(`Access key ${key.id} appears twice.`, 'accessKeys');
    this.credentials.set(key.id, {
      kind: 'long-term',
      secretAccessKey: key.secret,
      active: key.status === 'Active',
      caller,
    });
  }

  addSession(session: SessionState): void {
    if (this.sessions.size >= MAX_SESSIONS) this.pruneSessions();
    this.sessions.set(session.accessKeyId, session);
    this.credentials.set(session.accessKeyId, {
      kind: 'session',
      secretAccessKey: session.secretAccessKey,
      session,
      caller: { kind: 'session', accountId: session.accountId, accessKeyId: session.accessKeyId, session },
    });
  }

  /** Benchmarks create sessions by the hundred thousand: drop expired ones, then the oldest. */
  private pruneSessions(): void {
    const now = this.now();
    for (const [id, s] of this.sessions) {
      if (s.expiresAt <= now || this.sessions.size > MAX_SESSIONS / 2) {
        this.sessions.delete(id);
        this.credentials.delete(id);
      }
    }
  }

  credential(accessKeyId: string): Credential | undefined {
    return this.credentials.get(accessKeyId);
  }

  role(accountId: string, name: string): RoleState | undefined {
    return this.accounts.get(accountId)?.roles.get(name);
  }

  user(accountId: string, name: string): UserState | undefined {
    return this.accounts.get(accountId)?.users.get(name);
  }

  /** The scenario names this account (IAM can then tell whether a principal in it exists). */
  knowsAccount(accountId: string): boolean {
    return this.accounts.has(accountId);
  }

  /** Inline identity-policy statements of the caller (root needs none). */
  identityStatements(caller: Caller): Statement[] {
    if (caller.kind === 'user') return caller.user.statements;
    if (caller.kind === 'session')
      return this.role(caller.accountId, caller.session.role.name)?.statements ?? [];
    return [];
  }

  scpStatements(accountId: string): Statement[] {
    return this.accounts.get(accountId)?.spec.scp ?? [];
  }

  regionDisabled(accountId: string, region: string): boolean {
    return (
      this.scenario.disabledRegions.includes(region) ||
      (this.accounts.get(accountId)?.spec.disabledRegions.includes(region) ?? false)
    );
  }

  /** Deploys (or updates) the product's own template into an account, as CloudFormation would. */
  deployStack(request: DeployStackRequest): DeployStackResult {
    if (!/^\d{12}$/.test(request.accountId))
      throw new DeployError('An AWS account ID is exactly 12 digits.', 'accountId');
    const stackName = request.stackName ?? DEFAULT_ROLE_NAME;
    const parameters = stackParametersSchema.parse(withExternalId(request.parameters, this.externalId));
    const account =
      this.accounts.get(request.accountId) ?? this.addAccount(request.accountId, accountSchema.parse({}));
    const region = request.region ?? 'us-east-1';
    const updated = account.stacks.has(stackKey(region, stackName));
    const stack = { name: stackName, roleName: request.roleName, parameters, region };
    const role = this.applyStack(
      account,
      request.accountId,
      stack,
      this.now() + this.faults.current.propagationDelayMs,
    );
    return { roleArn: role.arn, stackName, updated };
  }

  /**
   * Deploys a stack afresh (the scenario's stacks, the admin API): its role is rendered anew from
   * the template, so earlier drift is gone. CloudFormation's own UpdateStack (cloudformation.ts)
   * changes only what the template changes.
   */
  private applyStack(
    account: AccountState,
    accountId: string,
    spec: StackInput,
    assumableAt: number,
  ): RoleState {
    const { stack, role } = stackFromSpec(this, accountId, spec, assumableAt);
    const key = stackKey(stack.region, stack.name);
    const previous = account.stacks.get(key);
    if (previous) stack.id = previous.id;
    this.putRoleIn(account, role);
    // An update that renames the role replaces it, as CloudFormation does.
    const previousRole = previous?.expected?.roleName;
    if (previousRole && previousRole !== role.name) account.roles.delete(previousRole);
    account.stacks.set(key, stack);
    return role;
  }

  /** Who the demo's targets and demo keys are, without secrets (GET /api/sandbox/scenario). */
  describeTargets(): SandboxScenarioResponse {
    const scannerAccountId = this.scannerUser()?.accountId ?? '';
    const targets: SandboxScenarioResponse['targets'] = [];
    const sources: NonNullable<SandboxScenarioResponse['sources']> = [];
    for (const [accountId, { spec, stacks, roles }] of this.accounts) {
      if (spec.label && accountId !== scannerAccountId) {
        const roleName = stacks.values().next().value?.expected?.roleName ?? roles.keys().next().value;
        const admin = this.administrator(accountId);
        const adminKey = spec.administrator?.accessKeys.find((k) => k.status === 'Active');
        targets.push({
          accountId,
          roleArn: (roleName && roles.get(roleName)?.arn) || null,
          label: spec.label,
          illustrates: spec.illustrates ?? '',
          ...(spec.expectedDiagnosis ? { expectedDiagnosis: spec.expectedDiagnosis } : {}),
          ...(admin && adminKey ? { administrator: { arn: admin.arn, accessKeyId: adminKey.id } } : {}),
        });
      }
      for (const k of [
        ...spec.rootAccessKeys,
        ...spec.users.flatMap((u) => u.accessKeys),
        ...spec.sessions,
      ]) {
        if (!k.label) continue;
        sources.push({
          accountId,
          accessKeyId: k.id,
          label: k.label,
          illustrates: k.illustrates ?? '',
          ...(k.expectedDiagnosis ? { expectedDiagnosis: k.expectedDiagnosis } : {}),
        });
      }
    }
    return { scannerAccountId, targets, sources };
  }

  private scannerUser(): UserState | undefined {
    const s = this.scenario.scanner;
    if (s) return this.accounts.get(s.accountId)?.users.get(s.user);
    for (const account of this.accounts.values()) {
      const first = account.users.values().next().value;
      if (first) return first;
    }
    return undefined;
  }

  /** The keys of an account's administrator (the customer's side), for `aws-connect sandbox` and tests. */
  administratorCredentials(accountId: string): { accessKeyId: string; secretAccessKey: string } | null {
    const key = this.accounts
      .get(accountId)
      ?.spec.administrator?.accessKeys.find((k) => k.status === 'Active');
    return key ? { accessKeyId: key.id, secretAccessKey: key.secret } : null;
  }

  /** The keys the server's default credential chain holds in sandbox mode. */
  serverCredentials(
    kind: 'scanner' | 'none' | 'unknown-key',
  ): { accessKeyId: string; secretAccessKey: string } | null {
    if (kind === 'none') return null;
    if (kind === 'unknown-key') return { ...UNKNOWN_KEY };
    const user = this.scannerUser();
    for (const [accessKeyId, cred] of this.credentials) {
      if (
        cred.kind === 'long-term' &&
        cred.active &&
        cred.caller.kind === 'user' &&
        cred.caller.user === user
      ) {
        return { accessKeyId, secretAccessKey: cred.secretAccessKey };
      }
    }
    return null;
  }
}
