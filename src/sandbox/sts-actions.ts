import { ROLE_ARN_RE } from '../domain/inputs.ts';
import { contextFrom } from '../domain/trust/conditions.ts';
import { evaluate } from '../domain/trust/evaluate.ts';
import type { Evaluation } from '../domain/trust/explanation.ts';
import { accessDenied, regionDisabled, validationError } from './errors.ts';
import { randomSecret, randomSessionToken, temporaryAccessKeyId } from './ids.ts';
import { type Caller, isoSeconds } from './model.ts';
import { decide } from './policy-match.ts';
import { callerArn, principalArn, principalType, userId } from './principals.ts';
import type { SandboxWorld } from './world.ts';
import type { XmlNode } from './xml.ts';

// STS GetCallerIdentity and AssumeRole, deciding like AWS: SCPs and identity policies of the caller,
// then the role's trust policy (the domain evaluator), then the session duration.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html

export interface ActionContext {
  world: SandboxWorld;
  caller: Caller;
  params: URLSearchParams;
  /** The SigV4 scope region of the request. */
  region: string;
}

const ROLE_CHAINING_MAX_SECONDS = 3600;
const DEFAULT_DURATION_SECONDS = 3600;

function namesCaller(evaluation: Evaluation, arn: string): boolean {
  return evaluation.statements.some(
    (s) =>
      s.effect === 'Allow' && s.applies && !s.principal.negated && s.principal.policyValues.includes(arn),
  );
}

export function getCallerIdentity({ world, caller }: ActionContext): XmlNode {
  return { Arn: callerArn(caller, world.partition), UserId: userId(caller), Account: caller.accountId };
}

/** AWS's own wording for constraint violations: "N validation errors detected: Value ... ; ...". */
class Violations {
  private list: string[] = [];
  add(field: string, value: string | null, constraint: string): void {
    const shown = value === null ? 'null' : `'${value}'`;
    this.list.push(`Value ${shown} at '${field}' failed to satisfy constraint: Member must ${constraint}`);
  }
  check(
    field: string,
    value: string | null,
    opts: { min: number; max: number; pattern?: [RegExp, string] },
  ): void {
    if (value === null) {
      this.add(field, null, 'not be null');
      return;
    }
    if (value.length < opts.min) this.add(field, value, `have length greater than or equal to ${opts.min}`);
    if (value.length > opts.max) this.add(field, value, `have length less than or equal to ${opts.max}`);
    if (opts.pattern && !opts.pattern[0].test(value)) {
      this.add(field, value, `satisfy regular expression pattern: ${opts.pattern[1]}`);
    }
  }
  throwIfAny(): void {
    const n = this.list.length;
    if (n > 0)
      throw validationError(`${n} validation error${n > 1 ? 's' : ''} detected: ${this.list.join('; ')}`);
  }
}

function readParams(params: URLSearchParams) {
  const v = new Violations();
  const roleArn = params.get('RoleArn');
  const sessionName = params.get('RoleSessionName');
  const externalId = params.get('ExternalId');
  const durationText = params.get('DurationSeconds');
  v.check('roleArn', roleArn, { min: 20, max: 2048 });
  v.check('roleSessionName', sessionName, { min: 2, max: 64, pattern: [/^[\w+=,.@-]*$/, '[\\w+=,.@-]*'] });
  if (externalId !== null) {
    v.check('externalId', externalId, {
      min: 2,
      max: 1224,
      pattern: [/^[\w+=,.@:/-]*$/, '[\\w+=,.@:\\/-]*'],
    });
  }
  let duration = DEFAULT_DURATION_SECONDS;
  if (durationText !== null) {
    duration = Number(durationText);
    if (!Number.isInteger(duration)) v.add('durationSeconds', durationText, 'be an integer');
    else if (duration < 900)
      v.add('durationSeconds', durationText, 'have value greater than or equal to 900');
    else if (duration > 43200)
      v.add('durationSeconds', durationText, 'have value less than or equal to 43200');
  }
  v.throwIfAny();
  return { roleArn: roleArn ?? '', sessionName: sessionName ?? '', externalId, duration };
}

export function assumeRole({ world, caller, params, region }: ActionContext): XmlNode {
  const { roleArn, sessionName, externalId, duration } = readParams(params);
  const partition = world.partition;
  const match = ROLE_ARN_RE.exec(roleArn);
  const roleAccountId = match?.[2] ?? '';
  if (match && world.regionDisabled(roleAccountId, region)) throw regionDisabled(roleAccountId);

  const denied = (why = '') =>
    accessDenied(
      `User: ${callerArn(caller, partition)} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}${why}`,
    );

  // The request context every policy reads: SCPs, identity policies and the trust policy alike.
  const now = world.now();
  const context = {
    'aws:PrincipalAccount': caller.accountId,
    'aws:PrincipalType': principalType(caller),
    'aws:userid': userId(caller),
    ...(caller.kind === 'user' ? { 'aws:username': caller.user.name } : {}),
    'aws:RequestedRegion': region,
    'aws:SecureTransport': true,
    'aws:CurrentTime': isoSeconds(now),
    'aws:EpochTime': String(Math.floor(now / 1000)),
    'sts:RoleSessionName': sessionName,
    ...(externalId !== null ? { 'sts:ExternalId': externalId } : {}),
  };
  const policyContext = contextFrom({ ...context, 'aws:PrincipalArn': principalArn(caller, partition) });

  // SCPs bind every principal of the member account, root included.
  const scp = world.scpStatements(caller.accountId);
  if (scp.length > 0) {
    const d = decide(scp, 'sts:AssumeRole', roleArn, policyContext);
    if (d === 'explicit-deny') throw denied(' with an explicit deny in a service control policy');
    if (d === 'implicit-deny' && scp.some((s) => s.Effect === 'Allow')) {
      throw denied(' because no service control policy allows the sts:AssumeRole action');
    }
  }
  // Identity policies: an explicit deny always counts; across accounts an allow is required too.
  const identity =
    caller.kind === 'root'
      ? 'allow'
      : decide(world.identityStatements(caller), 'sts:AssumeRole', roleArn, policyContext);
  const noIdentityAllow = () => denied(' because no identity-based policy allows the sts:AssumeRole action');
  if (identity === 'explicit-deny') throw denied(' with an explicit deny in an identity-based policy');
  if (identity !== 'allow' && roleAccountId !== caller.accountId) throw noIdentityAllow();
  // A missing role reads exactly like a refused trust policy (AWS does not reveal which).
  const rolePath = `/${match?.[3] ?? ''}`;
  const role = match && match[1] === partition ? world.role(roleAccountId, match[4] ?? '') : undefined;
  if (!role || role.path !== rolePath || world.now() < role.assumableAt) throw denied();
  const evaluation = evaluate(role.trustPolicy, {
    principalArn: principalArn(caller, partition),
    action: 'sts:AssumeRole',
    partition,
    context,
  });
  if (evaluation.decision !== 'allow') {
    throw denied(
      evaluation.reason === 'explicit-deny' ? ' with an explicit deny in a resource-based policy' : '',
    );
  }
  // In one account, a trust policy that names the caller itself suffices; one that trusts the whole
  // account delegates to the caller's identity policies, which must then allow the call.
  if (identity !== 'allow' && !namesCaller(evaluation, principalArn(caller, partition)))
    throw noIdentityAllow();

  const chained = caller.kind === 'session';
  if (chained && duration > ROLE_CHAINING_MAX_SECONDS) {
    throw validationError(
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  }
  if (duration > role.maxSessionDuration) {
    throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  const session = {
    accountId: role.accountId,
    role: { name: role.name, path: role.path, arn: role.arn, id: role.id },
    sessionName,
    accessKeyId: temporaryAccessKeyId(),
    secretAccessKey: randomSecret(),
    sessionToken: randomSessionToken(),
    expiresAt: now + duration * 1000,
    chained,
  };
  world.addSession(session);
  role.lastUsed = { date: isoSeconds(now), region };
  return {
    AssumedRoleUser: {
      AssumedRoleId: `${role.id}:${sessionName}`,
      Arn: `arn:${partition}:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`,
    },
    Credentials: {
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: isoSeconds(session.expiresAt),
    },
  };
}
