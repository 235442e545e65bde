import {
  DOCKER_RECREATE,
  DOCS,
  type GuidanceBody,
  type GuidanceStep,
  type Helpers,
} from './guidance-context.ts';

// Guidance for the credential source (SOURCE_* codes). Who can fix it depends on the source:
// self-hosted SDK default -> the operator's .env and a container re-create; hosted SDK default ->
// the product's side, nothing in the user's account; access keys -> the user's IAM user.

const ENV_VALUE = [
  'AWS_ACCESS_KEY_ID=<access key ID of the scanner identity>',
  'AWS_SECRET_ACCESS_KEY=<its secret access key>',
  '# only for temporary (ASIA...) keys, which expire:',
  'AWS_SESSION_TOKEN=<session token>',
  'AWS_DEFAULT_REGION=<region of the STS endpoint, e.g. us-east-1>',
].join('\n');

/** Steps that give the server (self-hosted) its own identity through the default chain. */
function serverEnvSteps(h: Helpers): GuidanceStep[] {
  return [
    {
      text: 'Put the scanner identity’s keys in the .env file next to docker-compose.yml (or set AWS_PROFILE and mount the shared config).',
      value: { label: '.env', value: ENV_VALUE },
    },
    {
      text: 'Re-create the containers so they read the new environment; a plain restart keeps the old one.',
      command: DOCKER_RECREATE,
    },
    {
      text: 'Alternatively give the host an IAM role (EC2 instance profile, ECS task role or EKS IRSA) and leave the keys out: the default chain finds it on its own.',
    },
    { text: `Press Verify again; ${h.product} will show who the server now runs as.` },
  ];
}

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

function accessKeySteps(h: Helpers, first: string): GuidanceStep[] {
  const user = keyUser(h);
  return [
    { text: first },
    {
      text: 'Check that the key exists and is Active for the scanner’s IAM user.',
      command: `aws iam list-access-keys --user-name ${h.q(user)}`,
    },
    {
      text: 'If it is gone or inactive, create a new one and paste both the access key ID and the secret access key again.',
      command: `aws iam create-access-key --user-name ${h.q(user)}`,
    },
    {
      text: 'To test a key on your own machine first, store it in a throw-away profile (the command prompts for it, so it stays out of your shell history) and ask AWS who it is.',
      command: 'aws configure --profile scanner-test && aws sts get-caller-identity --profile scanner-test',
    },
  ];
}

function fixSource(h: Helpers, accessKeyFirst: string): GuidanceStep[] {
  if (!h.sdk) return accessKeySteps(h, accessKeyFirst);
  return h.selfHosted ? serverEnvSteps(h) : hostedSteps(h);
}

const SOURCE_SHOWS = ['rawCode', 'rawMessage', 'endpoint'];

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function sourceNoCredentials(h: Helpers): GuidanceBody {
  const why = h.selfHosted
    ? [
        'The api and worker containers have no AWS identity: the AWS SDK default chain looks, in order, at the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), the shared config and AWS_PROFILE, web identity, and container or instance metadata, and found nothing.',
        'Edits to .env only reach the containers after they are re-created.',
      ]
    : [`${h.product}'s service identity was not available when you pressed Verify.`];
  return {
    title: h.selfHosted ? 'The server has no AWS credentials' : `${h.product} could not use its AWS identity`,
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
    what: `AWS knows the access key ID, but the request signed with ${h.sdk ? 'the server’s' : 'your'} secret access key did not verify (SignatureDoesNotMatch).`,
    why: [
      'The secret belongs to a different access key, or lost or gained a character (often a trailing space or line break) when copied.',
      'A proxy between the server and AWS that rewrites requests also breaks the signature.',
    ],
    steps: fixSource(
      h,
      'Paste the secret access key again; if you no longer have it, AWS cannot show it again: create a new key.',
    ),
    shows: SOURCE_SHOWS,
    learnMore: [DOCS.sigv4, DOCS.accessKeys],
  };
}

export function sourceTokenExpired(h: Helpers): GuidanceBody {
  const steps: GuidanceStep[] = h.sdk
    ? h.selfHosted
      ? [
          {
            text: 'Temporary keys in .env stop working when they expire. Prefer a role attached to the host (instance profile, task role, IRSA), or long-term keys of a dedicated IAM user.',
          },
          ...serverEnvSteps(h),
        ]
      : hostedSteps(h)
    : [
        { text: 'Get fresh temporary credentials and paste all three values again.' },
        {
          // A placeholder such as <profile> would be a shell redirection: the name is a word to replace.
          text: 'With IAM Identity Center (SSO), sign in again and print the new credentials (replace my-sso-profile with your profile’s name).',
          command:
            'aws sso login --profile my-sso-profile && aws configure export-credentials --profile my-sso-profile --format env',
        },
        { text: 'Or use a long-term access key (AKIA...) of a dedicated IAM user, which does not expire.' },
      ];
  return {
    title: 'The session token has expired',
    what: `${h.sdk ? 'The server’s' : 'Your'} temporary credentials have expired, so AWS refused them (ExpiredToken).`,
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
    title: 'The server’s clock is wrong',
    what: 'AWS refused the request because its signature time differs from AWS’s clock by more than 5 minutes.',
    why: [
      'Every AWS request is signed with the current time, and AWS rejects signatures more than 5 minutes off.',
      h.selfHosted
        ? 'Containers use the host’s clock, so the host running the server is out of sync.'
        : `This is a problem with ${h.product}'s servers, not your account.`,
    ],
    steps: h.selfHosted
      ? [
          { text: 'Compare the host’s clock with real time (UTC).', command: 'date -u' },
          { text: 'Turn on time synchronisation on the host.', command: 'sudo timedatectl set-ntp true' },
          { text: 'Press Verify again once the clock is right; the containers need no restart.' },
        ]
      : hostedSteps(h),
    shows: SOURCE_SHOWS,
    learnMore: [DOCS.sigv4],
  };
}
