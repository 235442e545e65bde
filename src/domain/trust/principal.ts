import { type Arn, parseArn } from '../arn.ts';
import { describeValue } from './describe.ts';
import type { PartExplanation } from './explanation.ts';

// The Principal element of a role trust policy, matched against the caller's aws:PrincipalArn.
// An account ID or arn:p:iam::A:root trusts the whole account A (its policies then decide), not only
// the root user; "*" trusts everyone; other ARNs name one principal and allow no wildcards.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html

export interface Caller {
  principalArn: string;
  arn: Arn | null;
  pathUnknown: boolean;
  /** The role's partition, when known: principals from another partition never match. */
  partition: string | null;
}

interface ValueMatch {
  matched: boolean;
  note?: string;
}

function listOf(raw: unknown, where: string, errors: string[]): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return list.flatMap((v) => {
    if (typeof v === 'string') return [v];
    errors.push(`${where}: ${describeValue(v)} is not a string.`);
    return [];
  });
}

/**
 * IAM's unique-ID prefixes, by entity type. IAM stores a Principal ARN as the principal's unique ID
 * and shows the ARN again on read; once that user or role is deleted it can no longer, and the bare
 * ID is what get-role returns. It matches nobody (a principal re-created with the same name gets a
 * new ID), and IAM keeps the document valid, so the other entries still count.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-prefixes
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
 */
const UNIQUE_ID_PREFIXES: Record<string, string> = {
  AAGA: 'an action group',
  ABIA: 'an AWS STS service bearer token',
  ACCA: 'a context-specific credential',
  AGPA: 'a user group',
  AIDA: 'an IAM user',
  AIPA: 'an Amazon EC2 instance profile',
  AKIA: 'an access key',
  ANPA: 'a managed policy',
  ANVA: 'a version of a managed policy',
  APKA: 'a public key',
  AROA: 'a role',
  ASCA: 'a certificate',
  ASIA: 'temporary (AWS STS) keys',
};

/** Unique IDs are 16 to 128 characters: the prefix, then upper-case letters and digits. */
function uniqueIdKind(value: string): string | null {
  if (!/^[A-Z]{4}[A-Z0-9]{12,124}$/.test(value)) return null;
  return Object.hasOwn(UNIQUE_ID_PREFIXES, value.slice(0, 4))
    ? (UNIQUE_ID_PREFIXES[value.slice(0, 4)] ?? null)
    : null;
}

function matchAwsValue(value: string, caller: Caller, where: string, errors: string[]): ValueMatch {
  if (value === '*') return { matched: true, note: '"*" trusts every AWS principal' };
  const uniqueId = uniqueIdKind(value);
  if (uniqueId) {
    return {
      matched: false,
      note: `${value} is the unique ID of ${uniqueId}, which IAM shows in place of an ARN once the principal was deleted: it matches nobody, not even a principal re-created with the same name`,
    };
  }
  const req = caller.arn;
  const crossPartition = (partition: string) =>
    (caller.partition !== null && partition !== caller.partition) ||
    (req !== null && req.partition !== partition);
  const accountNote = (account: string) =>
    `the caller is in account ${req?.accountId ?? '(unknown)'}, the policy trusts account ${account}`;
  if (/^\d{12}$/.test(value)) {
    if (req && caller.partition !== null && req.partition !== caller.partition) {
      return {
        matched: false,
        note: `the caller is in partition ${req.partition}, the role in ${caller.partition}`,
      };
    }
    const matched = req?.accountId === value;
    return matched
      ? { matched, note: `account ${value} trusts every principal in that account` }
      : { matched, note: accountNote(value) };
  }
  const pol = parseArn(value);
  if (!pol) {
    errors.push(`${where}: "${value}" is neither a 12-digit account ID, an ARN, nor "*".`);
    return { matched: false, note: `"${value}" is not a valid principal` };
  }
  if (/[*?]/.test(value)) {
    errors.push(
      `${where}: "${value}" has a wildcard; Principal ARNs cannot (use Condition aws:PrincipalArn with ArnLike).`,
    );
    return { matched: false, note: 'wildcards are not allowed in a Principal ARN' };
  }
  if (crossPartition(pol.partition)) {
    return {
      matched: false,
      note: `the caller is in partition ${req?.partition ?? '(unknown)'}, the policy names ${pol.partition}: roles cannot be trusted across partitions`,
    };
  }
  if (req && pol.accountId !== req.accountId) return { matched: false, note: accountNote(pol.accountId) };
  if (pol.service === 'iam' && pol.resource === 'root') {
    return {
      matched: true,
      note: `${value} trusts every principal in account ${pol.accountId}, not only its root user`,
    };
  }
  if (value === caller.principalArn) return { matched: true };
  // Role names are unique per account whatever the path, and a role session hides its path:
  // role/x and role/team/x in one account can only be the same role.
  const roleName = (resource: string) => /^role\/(?:.*\/)?([^/]+)$/.exec(resource)?.[1];
  if (
    caller.pathUnknown &&
    req &&
    pol.service === 'iam' &&
    roleName(pol.resource) === roleName(req.resource)
  ) {
    return {
      matched: true,
      note: 'matched by role name: the assumed-role session does not show the role path',
    };
  }
  if (value.toLowerCase() === caller.principalArn.toLowerCase()) {
    return { matched: false, note: 'the ARNs differ only in letter case' };
  }
  return { matched: false, note: `the policy names ${value}, the caller is ${caller.principalArn}` };
}

export function matchPrincipal(
  statement: Record<string, unknown>,
  caller: Caller,
  errors: string[],
  where: string,
): PartExplanation {
  const negated = statement.NotPrincipal !== undefined && statement.Principal === undefined;
  const raw = negated ? statement.NotPrincipal : statement.Principal;
  const requestValue = caller.principalArn;
  const name = negated ? 'NotPrincipal' : 'Principal';
  if (raw === undefined) {
    errors.push(`${where}: a trust policy statement needs a Principal.`);
    return {
      matched: false,
      policyValues: [],
      requestValue,
      negated,
      note: 'the statement has no Principal',
    };
  }
  if (statement.Principal !== undefined && statement.NotPrincipal !== undefined) {
    errors.push(`${where}: a statement cannot have both Principal and NotPrincipal.`);
  }
  const policyValues: string[] = [];
  const results: ValueMatch[] = [];
  if (raw === '*') {
    policyValues.push('*');
    results.push({ matched: true, note: '"*" trusts every principal' });
  } else if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    for (const [type, values] of Object.entries(raw)) {
      for (const value of listOf(values, `${where} ${name}.${type}`, errors)) {
        if (type === 'AWS') {
          policyValues.push(value);
          results.push(matchAwsValue(value, caller, `${where} ${name}.AWS`, errors));
        } else {
          policyValues.push(`${type}: ${value}`);
          results.push({ matched: false, note: `a ${type} principal is not an IAM user or role` });
        }
      }
    }
  } else {
    errors.push(
      `${where}: ${name} must be "*" or an object such as {"AWS": "arn:aws:iam::123456789012:root"}.`,
    );
  }
  // No policy value, not even "*", reaches a caller in another partition than the role's.
  const req = caller.arn;
  if (req && caller.partition !== null && req.partition !== caller.partition) {
    results.splice(0, results.length, {
      matched: false,
      note: `the caller is in partition ${req.partition}, the role in ${caller.partition}: roles cannot be trusted across partitions`,
    });
  }
  const hit = results.find((r) => r.matched);
  const anyMatch = hit !== undefined;
  const matched = negated ? !anyMatch : anyMatch;
  let note = (hit ?? (results.length === 1 ? results[0] : undefined))?.note;
  if (!hit && results.length > 1) note = `none of the ${results.length} trusted principals is the caller`;
  if (negated)
    note = anyMatch ? 'the caller is excluded by NotPrincipal' : 'the caller is not in NotPrincipal';
  return { matched, policyValues, requestValue, negated, ...(note ? { note } : {}) };
}
