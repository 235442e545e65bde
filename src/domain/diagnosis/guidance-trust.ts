import { suggestTrustSettings } from '../arn.ts';
import { createStackCommand, TEMPLATE_FILE_NAME } from '../template/links.ts';
import { DEFAULT_IAM_PRINCIPAL, trustPolicyFor } from '../template/role-template.ts';
import { evaluate } from '../trust/evaluate.ts';
import type { FactKey } from './evidence.ts';
import { DRIFTED } from './facts.ts';
import { DOCS, type GuidanceBody, type GuidanceStep, type Helpers, waitStep } from './guidance-context.ts';

// Guidance for "AWS refused AssumeRole" and for the role's own trust policy. Every suggested trust
// policy is built from the caller AWS named (GetCallerIdentity), never from what was typed, and is
// checked to admit that caller before it is offered (issue 12, item 5).

export const TRUST_SHOWS: FactKey[] = [
  'callerArn',
  'principalArn',
  'callerAccountId',
  'trustedAccountId',
  'iamPrincipal',
  'expectedPrincipalArn',
  'accountContradiction',
  'principalContradiction',
  'trustVerdict',
  'roleFound',
  'evidenceRoleArn',
  'roleTrustedPrincipals',
  'rolePrincipalArnPatterns',
  'roleExternalIds',
  'externalId',
  'stackStatus',
  'stackParameters',
  'templateDrift',
  'roleArn',
];

/** The trust settings that admit the caller AWS named. */
function suggestion(h: Helpers) {
  const fromCaller = h.callerArn ? suggestTrustSettings(h.callerArn) : null;
  return {
    trustedAccountId: fromCaller?.trustedAccountId ?? h.get('suggestedTrustedAccountId') ?? h.callerAccountId,
    iamPrincipal: fromCaller?.iamPrincipal ?? h.get('suggestedIamPrincipal'),
    notes: fromCaller?.notes ?? [],
  };
}

/**
 * The template's trust policy for the caller AWS named and the External ID sent, as JSON; null
 * when it cannot be built or would not admit that caller (it is never offered then).
 */
export function policyForObservedCaller(h: Helpers): string | null {
  const s = suggestion(h);
  if (!s.trustedAccountId || !s.iamPrincipal || !h.externalId || !h.callerPrincipal) return null;
  const policy = trustPolicyFor({
    partition: h.partition,
    trustedAccountId: s.trustedAccountId,
    iamPrincipal: s.iamPrincipal,
    externalId: h.externalId,
  });
  const check = evaluate(policy, {
    principalArn: h.callerPrincipal.principalArn,
    pathUnknown: h.callerPrincipal.pathUnknown,
    context: { 'sts:ExternalId': h.externalId },
  });
  return check.decision === 'allow' ? JSON.stringify(policy) : null;
}

/** The role's state as the target account showed it, when it did. */
function roleState(h: Helpers) {
  const stackStatus = h.get('stackStatus');
  return {
    /**
     * Managed by a stack unless the target account said there is no such stack: the template is
     * how the role is made, and plain get-role output does not say.
     */
    stackManaged: stackStatus !== 'not found',
    drifted: h.get('templateDrift')?.startsWith(DRIFTED) ?? false,
    stackStatus,
  };
}

const NO_UPDATES =
  'Deploying the same template and parameters again does not repair it: CloudFormation compares them with its last deployment, answers “No updates are to be performed”, and never looks at changes made outside it.';

/** Replace the role's trust policy directly, with one built from the caller AWS named. */
function replacePolicyStep(h: Helpers, why: string): GuidanceStep[] {
  const policy = policyForObservedCaller(h);
  if (!policy) return [];
  return [
    {
      text: `${why} Replace the role’s trust policy with the template’s, built for the scanner’s identity (${h.callerPrincipal?.principalArn}) and the External ID ${h.product} sends.`,
      command: `aws iam update-assume-role-policy --role-name ${h.q(h.roleName)} --policy-document ${h.q(policy)}`,
      runIn: 'target-account',
    },
  ];
}

function driftCheckStep(h: Helpers): GuidanceStep {
  return {
    text: 'Then ask CloudFormation whether the role matches its stack again (the result is in describe-stack-resource-drifts once the detection finishes).',
    command: `aws cloudformation detect-stack-drift --region ${h.q(h.region)} --stack-name ${h.q(h.stackName)}`,
    runIn: 'target-account',
  };
}

/** The fix for a trust policy that refuses the caller: the stack when it owns the role, else the policy. */
function trustFixSteps(
  h: Helpers,
  params: Parameters<Helpers['updateStack']>[0],
  change: string,
): GuidanceStep[] {
  const state = roleState(h);
  if (state.stackManaged && !state.drifted) {
    return [
      {
        text: `${change} by updating the stack (in the console: Update stack, Use current template, change the parameters). ${h.stackNote}`.trim(),
        command: h.updateStack(params),
        runIn: 'target-account',
      },
      waitStep(h, 'update'),
    ];
  }
  return replacePolicyStep(
    h,
    state.drifted
      ? `The role’s trust policy was changed outside its stack. ${NO_UPDATES}`
      : 'The role is not managed by the stack you named, so change the role itself.',
  );
}

function pathCaveat(h: Helpers): GuidanceStep[] {
  if (!h.callerPrincipal?.pathUnknown) return [];
  const name = h.callerPrincipal.principalArn.split('/').pop() ?? '';
  return [
    {
      text: `The caller is a role session, and its ARN does not show the role’s path. If ${name} has one, put it in IAMPrincipal (role/<path>/${name}).`,
      command: `aws iam get-role --role-name ${h.q(name)} --query Role.Path --output text`,
      runIn: 'scanner-account',
    },
  ];
}

/** When the caller is unknown: how to see both sides yourself. */
function compareSteps(h: Helpers): GuidanceStep[] {
  return [
    {
      text: `See the trust settings the stack was deployed with. ${h.stackNote}`.trim(),
      command: `aws cloudformation describe-stacks --region ${h.q(h.region)} --stack-name ${h.q(h.stackName)} --query Stacks[0].Parameters`,
      runIn: 'target-account',
    },
    {
      text: 'See who the scanner calls as: AccountId must be its account, and IAMPrincipal must match the part after "arn:aws:iam::<account>:".',
      command: 'aws sts get-caller-identity',
      runIn: 'scanner-account',
    },
  ];
}

function doctorSteps(h: Helpers, doctor: string | undefined): GuidanceStep[] {
  if (!doctor) return [];
  return [
    {
      text: `Run the trust doctor with account ${h.roleAccountId ?? 'of the role'}’s credentials (CloudShell in that account has them). It only reads: the role, its policies and the stack ${h.stackName}.`,
      command: doctor,
      runIn: 'target-account',
    },
    {
      text: h.cli
        ? 'Save what it prints and verify again with --role-evidence FILE (or - to read it from stdin).'
        : 'Paste what it prints into the box below: the cause is then read from the role itself.',
    },
  ];
}

/** A bare AccessDenied: AWS does not say why. The candidates come with the diagnosis. */
export function suspectedTrust(h: Helpers, doctor: string | undefined): GuidanceBody {
  const top = h.ctx.candidates[0];
  const account = h.roleAccountId ?? 'the role’s account';
  return {
    title: 'AWS refused and does not say why',
    what: `AWS answered AccessDenied to sts:AssumeRole without a reason. From what AWS answered and what you entered, the most likely cause is ${TITLES[top?.code ?? 'EXTERNAL_ID_MISMATCH'] ?? 'a trust-policy mismatch'}; reading the role in account ${account} makes it certain.`,
    why: [
      'Across accounts, AWS never says which part of a trust policy refused a caller, or whether the role exists at all.',
      ...(top ? [top.why] : []),
      'The settings you entered are what you meant to deploy; the stack may hold other values.',
    ],
    steps: doctorSteps(h, doctor),
    shows: TRUST_SHOWS,
    learnMore: [DOCS.troubleshootRoles, DOCS.accessDenied],
  };
}

/** The titles of the trust-side causes, as a phrase inside a sentence. */
const TITLES: Record<string, string> = {
  TRUST_ACCOUNT_MISMATCH: 'that the role trusts a different account',
  TRUST_PRINCIPAL_MISMATCH: 'that the role does not trust this principal',
  EXTERNAL_ID_MISMATCH: 'that the role expects another External ID',
  ROLE_NOT_FOUND: 'that there is no such role',
  ROLE_ACCOUNT_MISMATCH: 'that the role is in a different account than the one you connect',
};

export function trustAccountMismatch(h: Helpers): GuidanceBody {
  const s = suggestion(h);
  const caller = h.callerAccountId ?? 'the caller’s account';
  const steps: GuidanceStep[] = [];
  if (s.trustedAccountId) {
    steps.push(
      ...trustFixSteps(
        h,
        { trustedAccountId: s.trustedAccountId, ...(s.iamPrincipal ? { iamPrincipal: s.iamPrincipal } : {}) },
        `Make the role trust account ${s.trustedAccountId}, where the scanner runs${s.iamPrincipal ? `, and IAMPrincipal ${s.iamPrincipal}` : ''},`,
      ),
      {
        text: 'The value for the AccountId parameter:',
        value: { label: 'AccountId', value: s.trustedAccountId },
      },
    );
  }
  steps.push(...pathCaveat(h));
  if (steps.length === 0) steps.push(...compareSteps(h));
  return {
    title: 'The role trusts a different account',
    what: `The caller is in account ${caller}, but the role ${h.get('roleTrustedPrincipals') ? `trusts ${h.get('roleTrustedPrincipals')}` : 'trusts another account'}.`,
    why: [
      'The template’s trust policy names one account (the AccountId parameter): arn:<partition>:iam::<AccountId>:root, narrowed by IAMPrincipal.',
      'AccountId is where the scanner’s identity lives, not the account being scanned.',
    ],
    steps,
    shows: TRUST_SHOWS,
    learnMore: [DOCS.principal, DOCS.troubleshootRoles],
  };
}

export function trustPrincipalMismatch(h: Helpers): GuidanceBody {
  const s = suggestion(h);
  const principal = h.get('principalArn') ?? h.callerPrincipal?.principalArn ?? h.callerArn ?? 'the caller';
  const admits = h.get('rolePrincipalArnPatterns');
  const steps: GuidanceStep[] = [];
  if (s.iamPrincipal) {
    steps.push(
      ...trustFixSteps(
        h,
        { iamPrincipal: s.iamPrincipal },
        `Admit ${principal} with IAMPrincipal ${s.iamPrincipal}`,
      ),
      {
        text: 'The value for the IAMPrincipal parameter:',
        value: { label: 'IAMPrincipal', value: s.iamPrincipal },
      },
    );
  }
  if (
    (h.iamPrincipal ?? DEFAULT_IAM_PRINCIPAL) === DEFAULT_IAM_PRINCIPAL &&
    h.callerPrincipal?.kind === 'role'
  ) {
    steps.push({
      text: 'Or run the scanner as a role whose name starts with “prowler”, which the default role/prowler* already admits.',
    });
  }
  steps.push(...pathCaveat(h));
  if (steps.length === 0) steps.push(...compareSteps(h));
  return {
    title: 'The role does not trust this principal',
    what: `The caller ${principal} is in the trusted account, but the role only admits ${admits ?? h.get('expectedPrincipalArn') ?? 'the IAMPrincipal pattern'}.`,
    why: [
      'The trust policy’s StringLike condition on aws:PrincipalArn admits only the IAMPrincipal pattern (default role/prowler*); it is case-sensitive and * also matches “/”.',
      'aws:PrincipalArn is the IAM ARN of the caller: for a role session it is arn:…:role/<path>/<name>, never the sts assumed-role ARN.',
      ...s.notes.slice(1),
    ],
    steps,
    shows: TRUST_SHOWS,
    learnMore: [DOCS.principalArn, DOCS.troubleshootRoles],
  };
}

export function externalIdMismatch(h: Helpers): GuidanceBody {
  const ext = h.externalId;
  const steps: GuidanceStep[] = [];
  if (ext) {
    steps.push(
      ...trustFixSteps(
        h,
        { externalId: ext },
        'Set the role’s External ID to the one this installation issued',
      ),
      { text: 'The External ID to use:', value: { label: 'ExternalId', value: ext } },
    );
  }
  if (steps.length === 0) steps.push(...compareSteps(h));
  return {
    title: 'The role expects another External ID',
    what: `The role admits the caller only with the External ID ${h.get('roleExternalIds') ?? 'it was deployed with'}, not the one ${h.product} sends.`,
    why: [
      'The role only admits callers that send exactly its External ID (StringEquals on sts:ExternalId, case-sensitive).',
      `${h.product} issues one External ID per installation; a stack deployed from another installation, or an older download, has another one.`,
    ],
    steps,
    shows: TRUST_SHOWS,
    learnMore: [DOCS.confusedDeputy, DOCS.assumeRole],
  };
}

export function roleNotFound(h: Helpers): GuidanceBody {
  const found = h.get('evidenceRoleArn');
  const status = roleState(h).stackStatus;
  const s = suggestion(h);
  const steps: GuidanceStep[] = [];
  if (found && found !== h.roleArn) {
    steps.push({
      text: 'The role exists under another path: verify with its real ARN.',
      value: { label: 'Role ARN', value: found },
    });
  } else if (status && /_IN_PROGRESS$/.test(status)) {
    steps.push({
      ...waitStep(h, status.startsWith('UPDATE') ? 'update' : 'create'),
      text: `The stack is ${status}: wait until it completes, then verify again.`,
    });
  } else {
    if (status && /ROLLBACK_COMPLETE|FAILED$/.test(status)) {
      steps.push(
        {
          text: `The stack is ${status}: it holds no role, and a stack in this state cannot be updated. Delete it first.`,
          command: `aws cloudformation delete-stack --region ${h.q(h.region)} --stack-name ${h.q(h.stackName)}`,
          runIn: 'target-account',
        },
        waitStep(h, 'delete'),
      );
    }
    if (s.trustedAccountId && s.iamPrincipal && h.externalId) {
      steps.push(
        {
          text: `Deploy the role: download the template (${TEMPLATE_FILE_NAME}), then create the stack with the values that admit the scanner’s identity.`,
          command: createStackCommand({
            region: h.region,
            stackName: h.stackName,
            params: {
              externalId: h.externalId,
              trustedAccountId: s.trustedAccountId,
              iamPrincipal: s.iamPrincipal,
            },
          }),
          runIn: 'target-account',
        },
        waitStep(h, 'create'),
      );
    }
    steps.push({
      text: `Or, if the role exists under another name, correct the role ARN (now ${h.roleArn ?? '?'}).`,
    });
  }
  return {
    title: 'There is no such role',
    what: `Account ${h.roleAccountId ?? '?'} has no role ${h.roleName}${found && found !== h.roleArn ? ` at the ARN you entered (it is ${found})` : ''}: the role name or path is wrong, or its stack was never deployed, failed or was deleted.`,
    why: [
      'Across accounts AWS answers AssumeRole on a role that does not exist with the same AccessDenied as a refusal, so only the target account can tell.',
    ],
    steps,
    shows: ['roleFound', 'evidenceRoleArn', 'roleArn', 'stackStatus', 'stackName'],
    learnMore: [DOCS.troubleshootRoles],
  };
}

function policyDocument(roleArn: string | undefined): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: roleArn ?? 'arn:aws:iam::<account>:role/ProwlerScan',
      },
    ],
  });
}

export function callerNotPermitted(h: Helpers): GuidanceBody {
  const p = h.callerPrincipal;
  const name = p?.principalArn.split('/').pop() ?? '<name>';
  const kind = p?.kind === 'user' ? 'user' : 'role';
  const doc = h.q(policyDocument(h.roleArn));
  return {
    title: 'The caller may not call sts:AssumeRole',
    what: `AWS says the caller’s own policies do not allow sts:AssumeRole on ${h.roleArn ?? 'the role'}.`,
    why: [
      'Cross-account AssumeRole needs two yeses: the role’s trust policy and an identity-based policy of the caller.',
      h.hostedSdk
        ? `The caller is ${h.product}'s own identity, which ${h.product} manages.`
        : `The caller is ${h.sourceWords}: ${h.callerArn ?? 'unknown'}.`,
    ],
    steps: h.hostedSdk
      ? [{ text: `Contact ${h.product} support with the request ID: this is on ${h.product}'s side.` }]
      : [
          {
            text: `In the scanner’s account (${h.callerAccountId ?? '?'}), allow the ${kind} ${name} to assume the role.`,
            command: `aws iam put-${kind}-policy --${kind}-name ${h.q(name)} --policy-name AllowAssumeScanRole --policy-document ${doc}`,
            runIn: 'scanner-account',
          },
          {
            text: 'To allow every account’s scan role at once, use arn:aws:iam::*:role/ProwlerScan as the Resource.',
          },
        ],
    shows: ['callerArn', 'roleArn', 'rawMessage'],
    learnMore: [DOCS.accessDenied, DOCS.assumeRole],
  };
}

export function explicitDeny(h: Helpers): GuidanceBody {
  const type = h.get('policyType') ?? 'policy';
  const account = h.callerAccountId ?? '<account id>';
  const steps: GuidanceStep[] = [];
  if (/service control/i.test(type)) {
    steps.push({
      text: `Ask your AWS Organizations administrator which SCP applies to account ${account} and to allow sts:AssumeRole on the role (or exempt the scanner’s principal). This runs in the organization’s management account.`,
      command: `aws organizations list-policies-for-target --target-id ${h.q(account)} --filter SERVICE_CONTROL_POLICY`,
      runIn: 'organization-management',
    });
  } else if (/boundary/i.test(type)) {
    const name = h.callerPrincipal?.principalArn.split('/').pop() ?? '<name>';
    const kind = h.callerPrincipal?.kind === 'user' ? 'user' : 'role';
    steps.push({
      text: `The caller’s permissions boundary denies it. Check the boundary and allow sts:AssumeRole on ${h.roleArn ?? 'the role'}.`,
      command: `aws iam get-${kind} --${kind}-name ${h.q(name)} --query ${kind === 'user' ? 'User' : 'Role'}.PermissionsBoundary`,
      runIn: 'scanner-account',
    });
  } else if (/trust policy/i.test(type)) {
    steps.push(...replacePolicyStep(h, 'A Deny statement in the role’s trust policy refuses the caller.'));
  } else {
    steps.push({
      text: `Find the Deny statement in the ${type} named in the message below and remove sts:AssumeRole on this role from it.`,
    });
  }
  steps.push({
    text: 'An explicit Deny wins over every Allow, so adding an Allow anywhere cannot fix this.',
  });
  return {
    title: `Denied by a ${type}`,
    what: `AWS refused AssumeRole because of an explicit Deny in a ${type}.`,
    why: [
      'In IAM evaluation, an explicit Deny in any policy that applies (SCP, permissions boundary, session, identity or trust policy) overrides all Allows.',
    ],
    steps,
    shows: ['policyType', 'callerArn', 'roleArn', 'rawMessage', 'trustVerdict'],
    learnMore: [DOCS.scp, DOCS.boundaries, DOCS.accessDenied],
  };
}

export function roleAccountMismatch(h: Helpers): GuidanceBody {
  const expectedArn = h.accountId ? `arn:${h.partition}:iam::${h.accountId}:role/${h.roleName}` : undefined;
  return {
    title: 'The role is in a different account',
    what: `The role ARN is in account ${h.roleAccountId ?? '?'}, but you are connecting account ${h.accountId ?? '?'}.`,
    why: ['The role must live in the account being scanned: the stack deploys it there.'],
    steps: [
      {
        text: `Deploy the stack in account ${h.accountId ?? 'you are connecting'} and paste the RoleArn from its outputs.`,
      },
      ...(expectedArn
        ? [
            {
              text: 'With the default role name, the ARN is:',
              value: { label: 'Role ARN', value: expectedArn },
            },
          ]
        : []),
      { text: `Or, if you meant account ${h.roleAccountId ?? 'of the role'}, correct the account ID.` },
    ],
    shows: ['accountId', 'roleAccountId', 'roleAccountContradiction', 'assumedRoleArn', 'roleArn'],
  };
}

export function partitionMismatch(h: Helpers): GuidanceBody {
  const rolePartition = h.get('rolePartition') ?? h.partition;
  const callerPartition = h.get('callerPartition') ?? '?';
  return {
    title: 'The caller and the role are in different partitions',
    what: `The role is in partition ${rolePartition}, the caller in ${callerPartition}: a role cannot be assumed across partitions.`,
    why: [
      'AWS partitions (aws, aws-cn, aws-us-gov, …) are separate: identities, endpoints and trust do not cross them.',
    ],
    steps: [
      {
        text: `Use scanner credentials from the ${rolePartition} partition, with a region of that partition.`,
      },
      {
        text: 'Or check the role ARN: its partition is the part after "arn:".',
        value: { label: 'Role ARN', value: h.roleArn ?? '' },
      },
    ],
    shows: ['rolePartition', 'callerPartition', 'roleArn', 'callerArn'],
    learnMore: [DOCS.partitions],
  };
}

export function externalIdNotEnforced(h: Helpers): GuidanceBody {
  const policy = policyForObservedCaller(h);
  const steps: GuidanceStep[] = replacePolicyStep(h, `Put the External ID condition back. ${NO_UPDATES}`);
  if (roleState(h).stackManaged) steps.push(driftCheckStep(h));
  if (policy)
    steps.push({
      text: 'The trust policy, for the console’s Trust relationships tab:',
      value: { label: 'Trust policy', value: policy },
    });
  if (steps.length === 0) {
    steps.push({
      text: 'Add a StringEquals condition on sts:ExternalId with this installation’s External ID to every Allow statement of the role’s trust policy.',
    });
  }
  return {
    title: 'The role can be assumed without the External ID',
    what: 'Connected, but AssumeRole also succeeded without the External ID, so the role is open to the confused-deputy problem.',
    why: [
      `Anyone who can make ${h.product} (or another service trusted by the role) call AssumeRole could reach this account without knowing the External ID.`,
      'The template requires it with StringEquals on sts:ExternalId; this role’s trust policy does not, so it was changed after deployment.',
    ],
    steps,
    shows: ['externalIdEnforced', 'assumedRoleArn', 'callerArn', 'roleArn', 'externalId', 'templateDrift'],
    learnMore: [DOCS.confusedDeputy],
  };
}
