import { TEMPLATE_MAX_SESSION_SECONDS } from '../inputs.ts';
import { TEMPLATE_FILE_NAME } from '../template/links.ts';
import {
  ADDITIONS_POLICY_NAME,
  additionsPolicyDocument,
  MANAGED_POLICY_NAMES,
  managedPolicyArns,
} from '../template/role-template.ts';
import { DOCS, type GuidanceBody, type GuidanceStep, type Helpers, waitStep } from './guidance-context.ts';
import { reachCommand, restartStep } from './guidance-deployment.ts';

// Guidance for the rest: session duration, regions, the network, throttling, the permission
// audit, bad input, the unknown, and success.

/** The most IAM allows for a role's MaxSessionDuration. */
const MAX_SESSION_LIMIT = 43200;

export function durationExceedsMax(h: Helpers): GuidanceBody {
  const requested = h.get('durationSeconds') ?? String(h.ctx.request?.durationSeconds ?? '');
  const max = h.get('maxSessionDuration') ?? String(TEMPLATE_MAX_SESSION_SECONDS);
  const chaining = h.get('roleChaining') !== undefined || h.callerPrincipal?.kind === 'role';
  // Only digits reach the sed script below (a value there is sed code, not just shell text).
  const wanted =
    /^\d{1,5}$/.test(requested) && Number(requested) <= MAX_SESSION_LIMIT
      ? requested
      : String(MAX_SESSION_LIMIT);
  const steps: GuidanceStep[] = [
    {
      text: `Ask for at most ${max} seconds: set the session duration to ${max} or less.`,
      value: { label: 'Duration (seconds)', value: max },
    },
  ];
  if (chaining) {
    steps.push({
      text: `The caller is itself a role session: AWS caps a chained session at ${TEMPLATE_MAX_SESSION_SECONDS} seconds whatever the role allows.`,
    });
  } else {
    // update-role on a stack's role makes it drift from its template, and the next stack update
    // puts 3600 back: the stack is where the maximum lives. The template in hand is the one the
    // wizard downloads (MaxSessionDuration 3600), so the command raises it in a copy first; sent
    // unchanged, CloudFormation answers "No updates are to be performed".
    const raised = `prowler-scan-role-max-${wanted}.yaml`;
    const edit = `sed 's/MaxSessionDuration: [0-9]*/MaxSessionDuration: ${wanted}/' ${TEMPLATE_FILE_NAME} > ${raised}`;
    steps.push(
      {
        text: `Or raise the role’s maximum in the stack: the command writes ${raised}, a copy of the downloaded ${TEMPLATE_FILE_NAME} with MaxSessionDuration ${wanted} (at most 43200), and updates the stack with it, keeping every parameter. Changing the role directly (aws iam update-role) would drift from the stack, and the next stack update would undo it. The template keeps 3600 on purpose, so prefer the shorter session. ${h.stackNote}`.trim(),
        command: `${edit} && ${h.updateStack({}, raised)}`,
        runIn: 'target-account',
      },
      waitStep(h, 'update'),
    );
  }
  return {
    title: 'The session duration is too long',
    what: `The requested session of ${requested || '?'} seconds is longer than the ${chaining ? 'role-chaining cap' : 'role’s maximum'} of ${max} seconds.`,
    why: [
      'DurationSeconds may not exceed the role’s MaxSessionDuration (the template sets 3600).',
      'When the caller is a role session (role chaining), AWS limits the new session to one hour.',
    ],
    steps,
    shows: ['durationSeconds', 'maxSessionDuration', 'roleChaining', 'callerArn'],
    learnMore: [DOCS.maxSession, DOCS.roleChaining],
  };
}

export function regionDisabled(h: Helpers): GuidanceBody {
  return {
    title: 'STS is not active in this region',
    what: `AWS STS refused the call in ${h.region}: the region is not enabled for the account.`,
    why: [
      'Opt-in regions (for example af-south-1 or ap-east-1) must be enabled before their STS endpoint accepts credentials.',
      'Regional STS endpoints can also be deactivated in the IAM account settings.',
    ],
    steps: [
      {
        text: 'Verify again with a region the account uses, such as us-east-1.',
        value: { label: 'Region', value: 'us-east-1' },
      },
      {
        text: `Or enable ${h.region} for the account (AWS Organizations or the account settings), which can take a few minutes.`,
        command: `aws account enable-region --region-name ${h.q(h.region)}`,
        runIn: h.ctx.awsError?.call === 'sts:GetCallerIdentity' ? 'scanner-account' : 'target-account',
      },
    ],
    shows: ['rawCode', 'rawMessage', 'endpoint'],
    learnMore: [DOCS.optInRegions, DOCS.stsRegions],
  };
}

function networkSteps(h: Helpers, timeout: boolean): GuidanceStep[] {
  const endpoint = h.get('endpoint') ?? `https://sts.${h.region}.amazonaws.com`;
  if (!h.selfHosted && !h.cli) {
    return [
      { text: `This is between ${h.product} and AWS, not in your account. Try again in a minute.` },
      { text: `If it persists, contact ${h.product} support with the request ID.` },
    ];
  }
  const steps: GuidanceStep[] = [
    reachCommand(h, endpoint),
    {
      text: `Allow outbound HTTPS (port 443) to the endpoint; behind a proxy, set HTTPS_PROXY ${h.cli ? 'in this shell' : 'in the server’s environment'}.`,
    },
  ];
  if (timeout) {
    const what = `If the network is only slow, raise AWS_CONNECT_AWS_TIMEOUT_MS (now ${h.get('timeoutMs') ?? '10000'} ms)`;
    steps.push(h.cli ? { text: `${what} in this shell.` } : restartStep(h, what));
  }
  if (h.get('endpoint') && !/amazonaws\.com(\.cn)?/.test(endpoint)) {
    steps.push({
      text: `The endpoint is overridden (AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL): check that ${endpoint} is running.`,
    });
  }
  return steps;
}

export function stsUnreachable(h: Helpers): GuidanceBody {
  return {
    title: 'AWS STS could not be reached',
    what: `The connection to ${h.get('endpoint') ?? 'the STS endpoint'} failed (${h.get('rawCode') ?? 'network error'}) before AWS could answer.`,
    why: [
      'DNS could not resolve the endpoint, the connection was refused or reset, or a firewall or proxy blocks outbound HTTPS.',
    ],
    steps: networkSteps(h, false),
    shows: ['endpoint', 'rawCode', 'rawMessage', 'attempts'],
  };
}

export function stsTimeout(h: Helpers): GuidanceBody {
  return {
    title: 'AWS STS did not answer in time',
    what: `No answer from ${h.get('endpoint') ?? 'the STS endpoint'} within ${h.get('timeoutMs') ?? 'the configured'} ms.`,
    why: ['A firewall that drops (rather than refuses) outbound traffic, a slow proxy, or a network outage.'],
    steps: networkSteps(h, true),
    shows: ['endpoint', 'timeoutMs', 'attempts'],
  };
}

export function throttled(h: Helpers): GuidanceBody {
  return {
    title: 'AWS is throttling the requests',
    what: `AWS kept answering “slow down” after ${h.get('attempts') ?? 'several'} attempts.`,
    why: [
      'STS and IAM limit requests per account and second; many verifications at once, or other tools in the same account, use up the quota.',
    ],
    steps: [
      { text: 'Wait a minute and press Verify again.' },
      { text: 'When verifying many accounts, run fewer at the same time.' },
    ],
    shows: ['attempts', 'rawCode', 'rawMessage'],
    learnMore: [DOCS.retries],
  };
}

export function permissionsIncomplete(h: Helpers): GuidanceBody {
  const missing = (h.get('missingPolicies') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const arns = managedPolicyArns(h.partition);
  const steps: GuidanceStep[] = [];
  MANAGED_POLICY_NAMES.forEach((name, i) => {
    if (missing.length && !missing.some((m) => m === name || m === arns[i] || m.endsWith(`/${name}`))) return;
    steps.push({
      text: `Attach ${name} to the role again (the template attaches it, so this also ends the drift).`,
      command: `aws iam attach-role-policy --role-name ${h.q(h.roleName)} --policy-arn ${h.q(arns[i] ?? '')}`,
      runIn: 'target-account',
    });
  });
  if (!missing.length || missing.includes(ADDITIONS_POLICY_NAME)) {
    // Deploying the same template again answers "No updates are to be performed" when the policy
    // was deleted outside CloudFormation: put it back directly, as the template writes it.
    steps.push({
      text: `Put the inline ${ADDITIONS_POLICY_NAME} policy back as the template writes it. Deploying the same template again would not: CloudFormation answers “No updates are to be performed” for a change made outside it.`,
      command: `aws iam put-role-policy --role-name ${h.q(h.roleName)} --policy-name ${ADDITIONS_POLICY_NAME} --policy-document ${h.q(JSON.stringify(additionsPolicyDocument))}`,
      runIn: 'target-account',
    });
  }
  return {
    title: 'The role is missing scan permissions',
    what: `Connected, but the role lacks ${missing.length ? missing.join(', ') : 'some of its policies'}, so some checks will fail.`,
    why: [
      'The template attaches SecurityAudit, job-function/ViewOnlyAccess and a read-only additions policy; someone removed one, or the stack is an older version.',
    ],
    steps,
    shows: ['missingPolicies', 'roleAttachedPolicies', 'roleInlinePolicies', 'roleArn'],
    learnMore: [DOCS.securityAudit, DOCS.viewOnly],
  };
}

export function invalidInput(): GuidanceBody {
  return {
    title: 'Some values are not valid',
    what: 'Nothing was sent to AWS: at least one field does not have the form AWS requires.',
    why: [
      'Each field is checked against the AWS rules (12-digit account IDs, role ARNs, External ID characters) before any call.',
    ],
    steps: [{ text: 'Correct the fields marked in the form; each says what a valid value looks like.' }],
    shows: [],
  };
}

export function unknown(h: Helpers): GuidanceBody {
  const code = h.get('rawCode') ?? h.ctx.awsError?.code;
  return {
    title: 'AWS returned an unexpected error',
    what: `The verification failed with ${code ? `the error ${code}` : 'an error'} that ${h.product} does not recognise.`,
    why: ['The raw code and message below come straight from AWS.'],
    steps: [
      { text: 'Read the AWS message below; it usually names the missing permission or the wrong value.' },
      { text: 'Press Verify again: some errors are transient.' },
      {
        text: `If it persists, share the redacted report (it contains no secrets) with ${h.product} support.`,
      },
    ],
    shows: ['rawCode', 'rawMessage', 'endpoint', 'callerArn', 'trustVerdict', 'roleArn'],
    learnMore: [DOCS.troubleshootRoles],
  };
}

export function ok(h: Helpers): GuidanceBody {
  return {
    title: 'Connected',
    what: `${h.product} assumed ${h.roleArn ?? 'the role'}${h.callerArn ? ` as ${h.callerArn}` : ''}, and the role has every permission the scan needs.`,
    why: [],
    steps: [{ text: 'Copy the AWS CLI profile or the scanner command below to start scanning.' }],
    shows: ['callerArn', 'roleArn', 'externalId'],
  };
}
