import type { Caller } from './model.ts';

// How AWS names a caller in its three forms.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn

/** As GetCallerIdentity and AccessDenied messages show it: sts assumed-role ARN for sessions. */
export function callerArn(caller: Caller, partition: string): string {
  switch (caller.kind) {
    case 'user':
      return caller.user.arn;
    case 'root':
      return `arn:${partition}:iam::${caller.accountId}:root`;
    case 'session':
      return `arn:${partition}:sts::${caller.accountId}:assumed-role/${caller.session.role.name}/${caller.session.sessionName}`;
  }
}

/** aws:PrincipalArn: the IAM ARN, with the role's path for a role session. */
export function principalArn(caller: Caller, partition: string): string {
  return caller.kind === 'session' ? caller.session.role.arn : callerArn(caller, partition);
}

export function userId(caller: Caller): string {
  switch (caller.kind) {
    case 'user':
      return caller.user.id;
    case 'root':
      return caller.accountId;
    case 'session':
      return `${caller.session.role.id}:${caller.session.sessionName}`;
  }
}

/** aws:PrincipalType values. */
export function principalType(caller: Caller): string {
  return caller.kind === 'user' ? 'User' : caller.kind === 'root' ? 'Account' : 'AssumedRole';
}
