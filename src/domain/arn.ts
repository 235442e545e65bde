import type { TrustSuggestion } from './api-contract.ts';
import { PARTITIONS, type Partition, ROLE_ARN_RE } from './inputs.ts';
import { shellQuote } from './shell-quote.ts';

// ARNs as AWS writes them: arn:partition:service:region:account-id:resource.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html

export interface Arn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  /** Everything after the fifth colon; may itself contain colons and slashes. */
  resource: string;
}

/** Splits an ARN into its six parts; null unless it has all six and a plausible partition and service. */
export function parseArn(arn: string): Arn | null {
  if (typeof arn !== 'string' || !arn.startsWith('arn:')) return null;
  const parts = arn.split(':');
  if (parts.length < 6) return null;
  const [, partition = '', service = '', region = '', accountId = ''] = parts;
  const resource = parts.slice(5).join(':');
  if (!/^aws(-[a-z]+)*$/.test(partition) || !/^[a-z0-9-]+$/.test(service) || resource === '') return null;
  return { partition, service, region, accountId, resource };
}

export function formatArn(arn: Arn): string {
  return `arn:${arn.partition}:${arn.service}:${arn.region}:${arn.accountId}:${arn.resource}`;
}

export function isPartition(value: string): value is Partition {
  return (PARTITIONS as readonly string[]).includes(value);
}

export interface RoleArn {
  partition: Partition;
  accountId: string;
  /** "/" or "/a/b/": IAM paths always begin and end with a slash. */
  path: string;
  name: string;
}

export function parseRoleArn(arn: string): RoleArn | null {
  if (typeof arn !== 'string') return null;
  const m = ROLE_ARN_RE.exec(arn.trim());
  if (!m) return null;
  const [, partition, accountId, pathPart, name] = m;
  if (!partition || !accountId || name === undefined || !isPartition(partition)) return null;
  return { partition, accountId, path: `/${pathPart ?? ''}`, name };
}

export function formatRoleArn(role: RoleArn): string {
  const path = role.path === '/' ? '' : role.path.replace(/^\//, '');
  return `arn:${role.partition}:iam::${role.accountId}:role/${path}${role.name}`;
}

export type PrincipalKind = 'user' | 'role' | 'root' | 'federated-user' | 'unknown';

export interface CallerPrincipal {
  /** The aws:PrincipalArn a trust policy sees for this caller. */
  principalArn: string;
  /** True for role sessions: GetCallerIdentity's assumed-role ARN drops the role's path. */
  pathUnknown: boolean;
  kind: PrincipalKind;
}

/**
 * Turns any GetCallerIdentity ARN into the aws:PrincipalArn value a trust policy is evaluated
 * against. A role session (arn:p:sts::A:assumed-role/R/S) presents the role's IAM ARN, whose path
 * the session ARN does not carry, so the result assumes none and says so.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 */
export function principalArnFromCaller(callerArn: string): CallerPrincipal | null {
  const arn = parseArn(typeof callerArn === 'string' ? callerArn.trim() : '');
  if (!arn) return null;
  const { partition, accountId, resource } = arn;
  const iam = (res: string) => `arn:${partition}:iam::${accountId}:${res}`;
  if (!/^\d{12}$/.test(accountId)) return null;
  if (arn.service === 'iam') {
    if (resource === 'root') return { principalArn: iam('root'), pathUnknown: false, kind: 'root' };
    if (/^user\/(.+\/)?[^/]+$/.test(resource))
      return { principalArn: iam(resource), pathUnknown: false, kind: 'user' };
    if (/^role\/(.+\/)?[^/]+$/.test(resource))
      return { principalArn: iam(resource), pathUnknown: false, kind: 'role' };
    return { principalArn: formatArn(arn), pathUnknown: false, kind: 'unknown' };
  }
  if (arn.service === 'sts') {
    const assumed = /^assumed-role\/([^/]+)\/[^/]+$/.exec(resource);
    if (assumed) return { principalArn: iam(`role/${assumed[1]}`), pathUnknown: true, kind: 'role' };
    if (/^federated-user\/[^/]+$/.test(resource)) {
      return { principalArn: formatArn(arn), pathUnknown: false, kind: 'federated-user' };
    }
  }
  return { principalArn: formatArn(arn), pathUnknown: false, kind: 'unknown' };
}

/** The part of an IAM ARN after "arn:p:iam::A:", as the template's IAMPrincipal parameter takes it. */
export function iamPrincipalOf(principalArn: string): string | null {
  const arn = parseArn(principalArn);
  return arn && arn.service === 'iam' ? arn.resource : null;
}

const DEFAULT_PRINCIPAL_PREFIX = 'prowler';

/**
 * The trusted AccountId and IAMPrincipal that would admit this caller (docs/design.md#the-journey, step 3):
 * IAM user prowler-app -> user/prowler-app; a role whose name starts with "prowler" is already
 * covered by the default role/prowler*; any other role -> role/<name>. Null when the template's
 * aws:PrincipalArn condition (an iam ARN) cannot admit the caller at all, e.g. a federated user.
 */
export function suggestTrustSettings(callerArn: string): TrustSuggestion | null {
  const caller = principalArnFromCaller(callerArn);
  if (!caller) return null;
  const arn = parseArn(caller.principalArn);
  if (!arn) return null;
  const trustedAccountId = arn.accountId;
  const notes: string[] = [`AccountId ${trustedAccountId} is the account the scanner's identity lives in.`];
  switch (caller.kind) {
    case 'user':
      notes.push(
        `The scanner runs as the IAM user ${arn.resource.slice('user/'.length)}, so only that user is trusted.`,
      );
      return { trustedAccountId, iamPrincipal: arn.resource, notes };
    case 'role': {
      const name = arn.resource.slice(arn.resource.lastIndexOf('/') + 1);
      const covered = arn.resource === `role/${name}` && name.startsWith(DEFAULT_PRINCIPAL_PREFIX);
      const iamPrincipal = covered ? 'role/prowler*' : arn.resource;
      notes.push(
        covered
          ? `The role ${name} starts with "prowler", so the default role/prowler* admits it.`
          : `The scanner runs as the role ${name}, which role/prowler* does not match, so trust role/${name} instead.`,
      );
      if (caller.pathUnknown) {
        notes.push(
          `Role paths are invisible in an assumed-role ARN. If ${name} has a path, use role/<path>/${name} instead ` +
            `(see it with: aws iam get-role --role-name ${shellQuote(name)} --query Role.Path).`,
        );
      }
      return { trustedAccountId, iamPrincipal, notes };
    }
    case 'root':
      notes.push(
        'These are the account root user’s credentials: "*" admits them, but a scanner should run as an IAM user or role, never as root.',
      );
      return { trustedAccountId, iamPrincipal: '*', notes };
    default:
      return null;
  }
}
