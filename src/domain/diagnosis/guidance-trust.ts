import { suggestTrustSettings } from '../arn.ts';
import { TEMPLATE_FILE_NAME } from '../template/links.ts';
import { DEFAULT_IAM_PRINCIPAL, trustPolicyFor } from '../template/role-template.ts';
import { DOCS, type GuidanceBody, type GuidanceStep, type Helpers } from './guidance-context.ts';

// Guidance for "AWS refused AssumeRole": who the role trusts versus who called, with the exact
// update-stack command that makes them agree.

const TRUST_SHOWS = [
  'callerArn',
  'expectedPrincipalArn',
  'principalArn',
  'trustedAccountId',
  'callerAccountId',
  'iamPrincipal',
  'suggestedIamPrincipal',
  'roleArn',
];

function suggestion(h: Helpers) {
  const fromCaller = h.callerArn ? suggestTrustSettings(h.callerArn) : null;
  return {
    trustedAccountId: h.get('suggestedTrustedAccountId') ?? fromCaller?.trustedAccountId ?? h.callerAccountId,
    iamPrincipal: h.get('suggestedIamPrincipal') ?? fromCaller?.iamPrincipal,
    notes: fromCaller?.notes ?? [],
  };
}

function pathCaveat(h: Helpers): GuidanceStep[] {
  if (!h.callerPrincipal?.pathUnknown) return [];
  const name = h.callerPrincipal.principalArn.split('/').pop() ?? '';
  return [
    {
      text: `The caller is a role session, and its ARN does not show the role’s path. If ${name} has one, put it in IAMPrincipal (role/<path>/${name}).`,
      command: `aws iam get-role --role-name ${h.q(name)} --query Role.Path --output text`,
    },
  ];
}

/** When the caller is unknown: how to see both sides yourself. */
function compareSteps(h: Helpers): GuidanceStep[] {
  return [
    {
      text: `See the trust settings the stack was deployed with. ${h.stackNote}`,
      command: `aws cloudformation describe-stacks --region ${h.q(h.region)} --stack-name ProwlerScan --query "Stacks[0].Parameters"`,
    },
    {
      text: `With the scanner's credentials, see who calls: AccountId must be its account, and IAMPrincipal must match the part after "arn:aws:iam::<account>:".`,
      command: 'aws sts get-caller-identity',
    },
  ];
}

function redeployStep(h: Helpers, text: string, params: Parameters<Helpers['updateStack']>[0]): GuidanceStep {
  return {
    text: `${text} In the console: Update stack, Use current template, change the parameters. ${h.stackNote}`,
    command: h.updateStack(params),
  };
}

export function trustAccountMismatch(h: Helpers): GuidanceBody {
  const s = suggestion(h);
  const caller = h.callerAccountId ?? 'the caller’s account';
  const steps: GuidanceStep[] = [];
  if (s.trustedAccountId) {
    steps.push(
      redeployStep(
        h,
        `If ${caller} is where the scanner runs, make the role trust it: set AccountId to ${s.trustedAccountId}${s.iamPrincipal ? ` and IAMPrincipal to ${s.iamPrincipal}` : ''}.`,
        {
          trustedAccountId: s.trustedAccountId,
          ...(s.iamPrincipal ? { iamPrincipal: s.iamPrincipal } : {}),
        },
      ),
    );
    steps.push({
      text: 'The value for the AccountId parameter:',
      value: { label: 'AccountId', value: s.trustedAccountId },
    });
  }
  if (h.trustedAccountId) {
    steps.push({
      text: `Otherwise run the scanner with credentials from account ${h.trustedAccountId}, the one the role trusts${h.sdk && h.selfHosted ? ' (the server’s .env or host role)' : ''}.`,
    });
  }
  steps.push(...pathCaveat(h));
  if (steps.length === 0) steps.push(...compareSteps(h));
  return {
    title: 'The role trusts a different account',
    what: `The caller is in account ${caller}, but the role only trusts principals from account ${h.trustedAccountId ?? '(the AccountId parameter)'}.`,
    why: [
      'The template’s trust policy names one account (the AccountId parameter): arn:<partition>:iam::<AccountId>:root, narrowed by IAMPrincipal.',
      'AccountId is where the scanner’s identity lives, not the account being scanned.',
      ...(h.get('trustSettingsAssumed')
        ? [
            'You did not enter the trust settings, so the check assumed the template defaults; compare them with the stack’s parameters.',
          ]
        : []),
    ],
    steps,
    shows: TRUST_SHOWS,
    learnMore: [DOCS.principal, DOCS.troubleshootRoles],
  };
}

export function trustPrincipalMismatch(h: Helpers): GuidanceBody {
  const s = suggestion(h);
  const expected =
    h.get('expectedPrincipalArn') ??
    (h.trustedAccountId && h.iamPrincipal
      ? `arn:${h.partition}:iam::${h.trustedAccountId}:${h.iamPrincipal}`
      : undefined);
  const principal = h.get('principalArn') ?? h.callerPrincipal?.principalArn ?? h.callerArn ?? 'the caller';
  const steps: GuidanceStep[] = [];
  if (s.iamPrincipal) {
    steps.push(
      redeployStep(h, `Update the stack with IAMPrincipal ${s.iamPrincipal}, which admits ${principal}.`, {
        iamPrincipal: s.iamPrincipal,
      }),
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
    what: `The caller ${principal} is in the trusted account, but does not match ${expected ?? 'the IAMPrincipal pattern'}.`,
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
  return {
    title: 'The External ID does not match the stack',
    what: 'AWS refused AssumeRole although the caller matches the trust settings you entered: most likely the role expects a different External ID.',
    why: [
      'The role only admits callers that send exactly its External ID (StringEquals on sts:ExternalId, case-sensitive).',
      `${h.product} issues one External ID per installation; a stack deployed from another installation, or an older download, has another one.`,
      'The stack may also differ from what you entered (AccountId, IAMPrincipal), or the role was created seconds ago: IAM changes take a few seconds to apply everywhere.',
    ],
    steps: [
      {
        text: 'See which External ID and principal the role really trusts.',
        command: `aws iam get-role --role-name ${h.q(h.roleName)} --query Role.AssumeRolePolicyDocument`,
      },
      ...(ext
        ? [
            redeployStep(h, 'Update the stack with this External ID.', { externalId: ext }),
            { text: 'The External ID to use:', value: { label: 'ExternalId', value: ext } },
          ]
        : []),
      { text: 'If you created the stack just now, wait 10 seconds and press Verify again.' },
    ],
    shows: ['externalId', 'roleArn', 'callerArn', 'expectedPrincipalArn', 'principalArn'],
    learnMore: [DOCS.confusedDeputy, DOCS.assumeRole],
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
    what: `The role may trust the caller, but the caller’s own policies do not allow sts:AssumeRole on ${h.roleArn ?? 'the role'}.`,
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
            text: `In the scanner’s account, allow the ${kind} ${name} to assume the role.`,
            command: `aws iam put-${kind}-policy --${kind}-name ${h.q(name)} --policy-name AllowAssumeScanRole --policy-document ${doc}`,
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
      text: `Ask your AWS Organizations administrator which SCP applies to account ${account} and to allow sts:AssumeRole on the role (or exempt the scanner’s principal).`,
      command: `aws organizations list-policies-for-target --target-id ${h.q(account)} --filter SERVICE_CONTROL_POLICY`,
    });
  } else if (/boundary/i.test(type)) {
    const name = h.callerPrincipal?.principalArn.split('/').pop() ?? '<name>';
    const kind = h.callerPrincipal?.kind === 'user' ? 'user' : 'role';
    steps.push({
      text: `The caller’s permissions boundary denies it. Check the boundary and allow sts:AssumeRole on ${h.roleArn ?? 'the role'}.`,
      command: `aws iam get-${kind} --${kind}-name ${h.q(name)} --query ${kind === 'user' ? 'User' : 'Role'}.PermissionsBoundary`,
    });
  } else {
    steps.push({
      text: `Find the Deny statement in the ${type} named in the message below and remove sts:AssumeRole on this role from it.`,
    });
  }
  steps.push({
    text: 'An explicit Deny wins over every Allow, so changing the role’s trust policy cannot fix this.',
  });
  return {
    title: `Denied by a ${type}`,
    what: `AWS refused AssumeRole because of an explicit Deny in a ${type}.`,
    why: [
      'In IAM evaluation, an explicit Deny in any policy that applies (SCP, permissions boundary, session or identity policy) overrides all Allows.',
    ],
    steps,
    shows: ['policyType', 'callerArn', 'roleArn', 'rawMessage'],
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
    shows: ['accountId', 'roleAccountId', 'roleArn'],
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
  const policy =
    h.trustedAccountId && h.externalId
      ? JSON.stringify(
          trustPolicyFor({
            partition: h.partition,
            trustedAccountId: h.trustedAccountId,
            iamPrincipal: h.iamPrincipal ?? DEFAULT_IAM_PRINCIPAL,
            externalId: h.externalId,
          }),
        )
      : undefined;
  return {
    title: 'The role can be assumed without the External ID',
    what: 'Connected, but AssumeRole also succeeded without the External ID, so the role is open to the confused-deputy problem.',
    why: [
      `Anyone who can make ${h.product} (or another service trusted by the role) call AssumeRole could reach this account without knowing the External ID.`,
      'The template requires it with StringEquals on sts:ExternalId; this role’s trust policy does not.',
    ],
    steps: [
      {
        text: `Download the template again and deploy it over the stack, which restores the condition. ${h.stackNote}`,
        command: h.updateStack(h.externalId ? { externalId: h.externalId } : {}, TEMPLATE_FILE_NAME),
      },
      ...(policy
        ? [
            {
              text: 'Or replace the trust policy directly with the template’s (save it as trust.json first).',
              command: `aws iam update-assume-role-policy --role-name ${h.q(h.roleName)} --policy-document file://trust.json`,
              value: { label: 'trust.json', value: policy },
            },
          ]
        : []),
    ],
    shows: ['roleArn', 'externalId'],
    learnMore: [DOCS.confusedDeputy],
  };
}
