import type { FactKey } from './evidence.ts';
import {
  DOCS,
  type GuidanceBody,
  type GuidanceStep,
  type Helpers,
  SSO_NEEDS_V2,
} from './guidance-context.ts';
import { serverCredentialSteps } from './guidance-deployment.ts';

// Guidance for the credential source (SOURCE_* codes). Who can fix it depends on the source:
// self-hosted SDK default -> the operator, in the way the server runs (guidance-deployment.ts);
// the CLI -> this shell; hosted SDK default -> the product's side, nothing in the user's account;
// access keys -> the user's IAM user.

function hostedSteps(h: Helpers): GuidanceStep[] {
  return [
    { text: `Nothing in your AWS account needs to change: ${h.product} could not use its own AWS identity.` },
    { text: 'Try again in a few minutes.' },
    {
      text: `If it keeps failing, contact ${h.product} support and quote the request ID below; meanwhile you can connect with an access key instead (“Access & Secret Key”).`,
    },
  ];
}

function keyUser(h: Helpers): string {
  const arn = h.callerPrincipal?.kind === 'user' ? h.callerPrincipal.principalArn : undefined;
  return arn ? (arn.split('/').pop() ?? '<user name>') : '<user name>';
}

const TEST_PROFILE: GuidanceStep = {
  text: 'To test a key on your own machine first, store it in a throw-away profile (the command prompts for it, so it stays out of your shell history) and ask AWS who it is.',
  command: 'aws configure --profile scanner-test && aws sts get-caller-identity --profile scanner-test',
  runIn: 'this-shell',
};

function accessKeySteps(h: Helpers, first: string): GuidanceStep[] {
  const user = keyUser(h);
  return [
    { text: first },
    {
      text: 'Check that the key exists and is Active for the scanner’s IAM user.',
      command: `aws iam list-access-keys --user-name ${h.q(user)}`,
      runIn: 'scanner-account',
    },
    {
      text: 'If it is gone or inactive, create a new one and paste both the access key ID and the secret access key again.',
      command: `aws iam create-access-key --user-name ${h.q(user)}`,
      runIn: 'scanner-account',
    },
    TEST_PROFILE,
  ];
}

/**
 * SignatureDoesNotMatch: AWS knows the key ID (an unknown one is InvalidClientTokenId), so the key
 * exists and only the secret is wrong. The key ID the user entered is not a secret and names its
 * user: get-access-key-last-used answers UserName for any key of the account.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccessKeyLastUsed.html
 */
function wrongSecretSteps(h: Helpers, first: string): GuidanceStep[] {
  const id = h.accessKeyId;
  if (!id) return [{ text: first }, TEST_PROFILE];
  const owner = `aws iam get-access-key-last-used --access-key-id ${h.q(id)} --query UserName --output text`;
  return [
    { text: first },
    { text: `See which IAM user the key ${id} belongs to.`, command: owner, runIn: 'scanner-account' },
    {
      text: `If the secret is lost, create a new key for that user and paste both new values; deactivate ${id} once nothing uses it.`,
      command: `aws iam create-access-key --user-name "$(${owner})"`,
      runIn: 'scanner-account',
    },
    TEST_PROFILE,
  ];
}

function fixSource(h: Helpers, accessKeyFirst: string): GuidanceStep[] {
  if (!h.sdk) return accessKeySteps(h, accessKeyFirst);
  return h.selfHosted || h.cli ? serverCredentialSteps(h) : hostedSteps(h);
}

const SOURCE_SHOWS: FactKey[] = ['rawCode', 'rawMessage', 'endpoint', 'callerArn'];

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const CHAIN =
  'The AWS SDK default chain looks, in order, at the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), the shared config and AWS_PROFILE, SSO, web identity, and container or instance metadata, and found nothing.';

export function sourceNoCredentials(h: Helpers): GuidanceBody {
  const why = h.cli
    ? [`This shell has no AWS identity. ${CHAIN}`]
    : h.selfHosted
      ? [
          `The server has no AWS identity. ${CHAIN}`,
          ...(h.deployment === 'compose'
            ? ['Edits to .env only reach the containers after they are re-created.']
            : []),
        ]
      : [`${h.product}'s service identity was not available when you pressed Verify.`];
  return {
    title: h.cli
      ? 'This shell has no AWS credentials'
      : h.selfHosted
        ? 'The server has no AWS credentials'
        : `${h.product} could not use its AWS identity`,
    what: h.sdk
      ? `${capitalise(h.sourceWords)} found no credentials, so nothing could call AWS.`
      : 'No credentials reached AWS: paste an access key ID and secret access key.',
    why: h.sdk ? why : ['The access key fields were empty when the request was sent.'],
    steps: h.sdk
      ? fixSource(h, '')
      : [{ text: 'Choose “Access & Secret Key” and paste both values, or switch to the AWS SDK default.' }],
    shows: SOURCE_SHOWS,
    learnMore: [DOCS.credentialChain],
  };
}

export function sourceKeyInvalid(h: Helpers): GuidanceBody {
  return {
    title: 'AWS does not recognise the access key',
    what: `AWS rejected ${h.sourceWords}: the access key ID does not exist in this partition (InvalidClientTokenId).`,
    why: [
      'The key was deleted or deactivated, or a character was lost when copying it.',
      'Temporary keys (starting with ASIA) are only valid together with their session token.',
      `Keys only work in their own partition: keys from AWS China or GovCloud are unknown to the ${h.partition} endpoints, and the other way round.`,
    ],
    steps: fixSource(
      h,
      'Paste the access key ID again, exactly as IAM shows it (20 characters, starting with AKIA or ASIA).',
    ),
    shows: SOURCE_SHOWS,
    learnMore: [DOCS.accessKeys, DOCS.credentialChain],
  };
}

export function sourceSecretInvalid(h: Helpers): GuidanceBody {
  return {
    title: 'The secret access key does not match the key ID',
    what: `AWS knows the access key ID${h.accessKeyId && !h.sdk ? ` ${h.accessKeyId}` : ''}, but the request signed with ${h.sdk ? (h.cli ? 'this shell’s' : 'the server’s') : 'your'} secret access key did not verify (SignatureDoesNotMatch).`,
    why: [
      'The secret belongs to a different access key, or lost or gained a character (often a trailing space or line break) when copied.',
      'A proxy between the server and AWS that rewrites requests also breaks the signature.',
    ],
    steps: h.sdk
      ? fixSource(h, '')
      : wrongSecretSteps(
          h,
          'Paste the secret access key again, exactly as it was shown when the key was created (no space or line break at either end); AWS cannot show it again.',
        ),
    shows: SOURCE_SHOWS,
    learnMore: [DOCS.sigv4, DOCS.accessKeys],
  };
}

export function sourceTokenExpired(h: Helpers): GuidanceBody {
  const steps: GuidanceStep[] = h.sdk
    ? h.selfHosted || h.cli
      ? [
          {
            text: h.cli
              ? 'Temporary credentials in this shell stop working when they expire: sign in again or use a profile that refreshes itself.'
              : 'Temporary keys stop working when they expire. Prefer a role attached to where the server runs (instance profile, task role, IRSA), or long-term keys of a dedicated IAM user.',
          },
          ...serverCredentialSteps(h),
        ]
      : hostedSteps(h)
    : [
        { text: 'Get fresh temporary credentials and paste all three values again.' },
        {
          // A placeholder such as <profile> would be a shell redirection: the name is a word to replace.
          text: `With IAM Identity Center (SSO), sign in again and print the new credentials (replace my-sso-profile with your profile’s name). ${SSO_NEEDS_V2}`,
          command:
            'aws sso login --profile my-sso-profile && aws configure export-credentials --profile my-sso-profile --format env',
          runIn: 'this-shell',
        },
        {
          // https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html
          text: 'With AWS CLI v1, or without SSO: in a shell that holds your IAM user’s long-term key (AKIA...), ask STS for new temporary credentials and paste the AccessKeyId, SecretAccessKey and SessionToken it prints. Credentials another tool issued (an identity provider, a script that assumes a role) come from running that tool again.',
          command: 'aws sts get-session-token --duration-seconds 3600 --output json',
          runIn: 'this-shell',
        },
        { text: 'Or use a long-term access key (AKIA...) of a dedicated IAM user, which does not expire.' },
      ];
  return {
    title: 'The session token has expired',
    what: `${h.sdk ? (h.cli ? 'This shell’s' : 'The server’s') : 'Your'} temporary credentials have expired, so AWS refused them (ExpiredToken).`,
    why: [
      'Temporary credentials (keys starting with ASIA plus a session token) last from 15 minutes to 36 hours.',
      'They cannot be renewed; new ones must be requested from STS, SSO or the identity provider.',
    ],
    steps,
    shows: SOURCE_SHOWS,
    learnMore: [DOCS.tempCredentials],
  };
}

export function sourceClockSkew(h: Helpers): GuidanceBody {
  return {
    title: h.cli ? 'This machine’s clock is wrong' : 'The server’s clock is wrong',
    what: 'AWS refused the request because its signature time differs from AWS’s clock by more than 5 minutes.',
    why: [
      'Every AWS request is signed with the current time, and AWS rejects signatures more than 5 minutes off.',
      h.cli
        ? 'This machine’s clock is out of sync.'
        : h.selfHosted
          ? 'The server uses its host’s clock (containers too), so the host is out of sync.'
          : `This is a problem with ${h.product}'s servers, not your account.`,
    ],
    steps:
      h.selfHosted || h.cli
        ? [
            {
              text: 'Compare the clock with real time (UTC).',
              command: 'date -u',
              runIn: h.cli ? 'this-shell' : 'server-host',
            },
            {
              text: 'Turn on time synchronisation.',
              command: 'sudo timedatectl set-ntp true',
              runIn: h.cli ? 'this-shell' : 'server-host',
            },
            { text: 'Verify again once the clock is right; nothing needs a restart.' },
          ]
        : hostedSteps(h),
    shows: SOURCE_SHOWS,
    learnMore: [DOCS.sigv4],
  };
}
