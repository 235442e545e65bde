import { stableId } from './ids.ts';
import { type RoleSpec, type Statement, statementSchema } from './scenario.ts';

// The sandbox's state, as the STS and IAM handlers see it. Identity-policy statements are parsed
// once, when a principal is built, not on every request.

export interface InlinePolicy {
  name: string;
  document: Record<string, unknown>;
}

export interface RoleState {
  accountId: string;
  name: string;
  path: string;
  arn: string;
  id: string;
  trustPolicy: Record<string, unknown>;
  managedPolicyArns: string[];
  inlinePolicies: InlinePolicy[];
  /** The inline policies' statements (the role sessions' identity policies). */
  statements: Statement[];
  maxSessionDuration: number;
  /** IAM tags (the template writes its version as one). */
  tags: { Key: string; Value: string }[];
  createDate: string;
  /** The stack that created it, if any. */
  stackName?: string;
  /** Trust takes effect from this time (IAM eventual consistency after a run-time deploy). */
  assumableAt: number;
}

export interface UserState {
  accountId: string;
  name: string;
  path: string;
  arn: string;
  id: string;
  statements: Statement[];
}

export interface SessionState {
  accountId: string;
  role: { name: string; path: string; arn: string; id: string };
  sessionName: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiresAt: number;
  /** Created by a role session: its own AssumeRole calls are role chaining too. */
  chained: boolean;
}

export type Caller =
  | { kind: 'user'; accountId: string; accessKeyId: string; user: UserState }
  | { kind: 'root'; accountId: string; accessKeyId: string }
  | { kind: 'session'; accountId: string; accessKeyId: string; session: SessionState };

export type Credential =
  | { kind: 'long-term'; secretAccessKey: string; active: boolean; caller: Caller }
  | { kind: 'session'; secretAccessKey: string; session: SessionState; caller: Caller };

export interface DeployStackRequest {
  accountId: string;
  stackName?: string;
  roleName?: string;
  parameters: { ExternalId: string; AccountId: string; IAMPrincipal: string };
}

export interface DeployStackResult {
  roleArn: string;
  stackName: string;
  updated: boolean;
}

/** A deployment CloudFormation would refuse (bad parameter, name taken); `field` names the input. */
export class DeployError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function statementsOf(policies: readonly InlinePolicy[]): Statement[] {
  const out: Statement[] = [];
  for (const p of policies) {
    const raw = p.document.Statement;
    for (const s of Array.isArray(raw) ? raw : [raw]) {
      const parsed = statementSchema.safeParse(s);
      if (parsed.success) out.push(parsed.data);
    }
  }
  return out;
}

/** Scenario `policies`: bare statements become one policy named "inline"; named documents stay. */
export function inlinePolicies(entries: RoleSpec['policies']): InlinePolicy[] {
  const bare = entries.filter((e): e is Statement => 'Effect' in e);
  const out: InlinePolicy[] = entries.flatMap((e) =>
    'document' in e ? [{ name: e.name, document: e.document }] : [],
  );
  if (bare.length > 0) out.unshift({ name: 'inline', document: { Version: '2012-10-17', Statement: bare } });
  return out;
}

/** Name, path, ARN and unique ID of a role, as IAM forms them. */
export function roleIdentity(partition: string, accountId: string, name: string, path: string) {
  return {
    accountId,
    name,
    path,
    arn: `arn:${partition}:iam::${accountId}:role${path}${name}`,
    id: stableId('AROA', accountId, name),
  };
}
