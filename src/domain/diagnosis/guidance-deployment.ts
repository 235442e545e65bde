import { shellCommand } from '../shell-quote.ts';
import { DOCKER_RECREATE, type GuidanceStep, type Helpers, SSO_NEEDS_V2 } from './guidance-context.ts';

// How to give the server (or this shell) its AWS identity, and how to restart it, for each way it
// runs (AWS_CONNECT_DEPLOYMENT, issue 12, item 6). The wizard speaks of the server, the CLI of
// this shell: `aws-connect verify` uses the shell's own default credential chain. Names of the
// operator's own platform (profile, cluster, namespace, ...) are words to replace, such as
// my-profile: a placeholder like <profile> would be a shell redirection
// (docs/decisions/017-one-shell-quoting-values-as-arguments.md).

const ENV_VALUE = [
  'AWS_ACCESS_KEY_ID=<access key ID of the scanner identity>',
  'AWS_SECRET_ACCESS_KEY=<its secret access key>',
  '# only for temporary (ASIA...) keys, which expire:',
  'AWS_SESSION_TOKEN=<session token>',
  'AWS_DEFAULT_REGION=<region of the STS endpoint, e.g. us-east-1>',
].join('\n');

function thisShellSteps(): GuidanceStep[] {
  return [
    {
      text: 'Give this shell the scanner identity’s credentials: name a profile from ~/.aws/config (replace my-profile with its name), then run the command again.',
      command: 'export AWS_PROFILE=my-profile',
      runIn: 'this-shell',
    },
    {
      text: `With IAM Identity Center (SSO), sign in first; an expired SSO session looks like no credentials at all. ${SSO_NEEDS_V2}`,
      command: 'aws sso login --profile my-profile',
      runIn: 'this-shell',
    },
    {
      text: 'Check who this shell is before verifying again.',
      command: 'aws sts get-caller-identity',
      runIn: 'this-shell',
    },
  ];
}

function nodeSteps(): GuidanceStep[] {
  return [
    {
      text: 'Start the server with a profile that holds the scanner identity (a profile from ~/.aws/config on the server’s machine; replace my-profile with its name).',
      command: 'AWS_PROFILE=my-profile npm start',
      runIn: 'server-host',
    },
    {
      text: `With IAM Identity Center (SSO), sign in on the server’s machine; the server reads the new session on the next verification, without a restart. ${SSO_NEEDS_V2}`,
      command: 'aws sso login --profile my-profile',
      runIn: 'server-host',
    },
    {
      text: 'Check who that profile is.',
      command: 'aws sts get-caller-identity --profile my-profile',
      runIn: 'server-host',
    },
  ];
}

function composeSteps(): GuidanceStep[] {
  return [
    {
      text: 'Put the scanner identity’s keys in the .env file beside docker-compose.yml.',
      value: { label: '.env', value: ENV_VALUE },
    },
    {
      text: 'Re-create the containers so they read the new environment; a plain restart keeps the old one.',
      command: DOCKER_RECREATE,
      runIn: 'server-host',
    },
  ];
}

function ecsSteps(h: Helpers): GuidanceStep[] {
  return [
    {
      text: 'The server runs as its ECS task role. See which role the task definition names (taskRoleArn; replace my-task-family with the server’s task definition family); it must be allowed sts:AssumeRole on the scan roles.',
      command:
        'aws ecs describe-task-definition --task-definition my-task-family --query taskDefinition.taskRoleArn --output text',
      runIn: 'scanner-account',
    },
    {
      text: 'Once a task definition revision names the role, start new tasks with it (replace my-cluster and my-service with the server’s).',
      command: 'aws ecs update-service --cluster my-cluster --service my-service --force-new-deployment',
      runIn: 'scanner-account',
    },
    {
      text: `Keep access keys out of the task’s environment: the task role is what ${h.product} should run as.`,
    },
  ];
}

function ec2Steps(): GuidanceStep[] {
  return [
    {
      text: 'The server runs as the instance profile of its EC2 instance. See which one is attached (replace i-0123456789abcdef0 with the server’s instance ID).',
      command:
        'aws ec2 describe-iam-instance-profile-associations --filters Name=instance-id,Values=i-0123456789abcdef0',
      runIn: 'scanner-account',
    },
    {
      text: 'Attach an instance profile whose role may call sts:AssumeRole on the scan roles (replace my-instance-profile with its name); the SDK reads it from the instance metadata service, no restart needed.',
      command:
        'aws ec2 associate-iam-instance-profile --instance-id i-0123456789abcdef0 --iam-instance-profile Name=my-instance-profile',
      runIn: 'scanner-account',
    },
  ];
}

function kubernetesSteps(h: Helpers): GuidanceStep[] {
  const role = `arn:${h.partition}:iam::${h.callerAccountId ?? '111122223333'}:role/my-scanner-role`;
  const account = h.callerAccountId ? '' : ' and 111122223333 with the scanner’s account';
  return [
    {
      text: `With IAM roles for service accounts (IRSA), annotate the server’s service account with the scanner role (kubectl pointed at the cluster; replace my-service-account, my-namespace and my-scanner-role with yours${account}).`,
      command: `kubectl annotate serviceaccount my-service-account --namespace my-namespace eks.amazonaws.com/role-arn=${h.q(role)} --overwrite`,
      runIn: 'server-host',
    },
    {
      text: 'Or, with EKS Pod Identity, associate the role with that service account (replace my-cluster with the cluster’s name).',
      command: `aws eks create-pod-identity-association --cluster-name my-cluster --namespace my-namespace --service-account my-service-account --role-arn ${h.q(role)}`,
      runIn: 'scanner-account',
    },
    {
      text: 'Restart the pods so they receive the new identity (replace my-deployment with the server’s deployment).',
      command: 'kubectl rollout restart deployment/my-deployment --namespace my-namespace',
      runIn: 'server-host',
    },
  ];
}

/** Steps that give the server (self-hosted) or this shell (CLI) the scanner identity. */
export function serverCredentialSteps(h: Helpers): GuidanceStep[] {
  if (h.cli) return thisShellSteps();
  const steps = {
    node: nodeSteps,
    compose: composeSteps,
    ecs: () => ecsSteps(h),
    ec2: ec2Steps,
    kubernetes: () => kubernetesSteps(h),
  }[h.deployment]();
  return [...steps, { text: `Press Verify again; ${h.product} will show who the server now runs as.` }];
}

/** How to restart the server after changing its configuration. */
export function restartStep(h: Helpers, what: string): GuidanceStep {
  switch (h.deployment) {
    case 'compose':
      return {
        text: `${what} in .env, then re-create the containers.`,
        command: DOCKER_RECREATE,
        runIn: 'server-host',
      };
    case 'ecs':
      return {
        text: `${what} in the task definition’s environment, then start new tasks (replace my-cluster and my-service with the server’s).`,
        command: 'aws ecs update-service --cluster my-cluster --service my-service --force-new-deployment',
        runIn: 'scanner-account',
      };
    case 'kubernetes':
      return {
        text: `${what} in the deployment’s environment, then restart the pods (replace my-deployment and my-namespace with the server’s).`,
        command: 'kubectl rollout restart deployment/my-deployment --namespace my-namespace',
        runIn: 'server-host',
      };
    default:
      return { text: `${what} in the server’s environment and start it again (npm start).` };
  }
}

/** Prints the HTTP status the endpoint in argv[1] answers with, or why there was none. */
export const STS_PROBE =
  'fetch(process.argv[1]).then(r => console.log(r.status), e => console.log(e.cause ?? e))';

/**
 * A command that asks, from where the server runs, whether an endpoint answers. The endpoint is an
 * argument of its own, never spliced into the script's source (docs/decisions/017-one-shell-quoting-values-as-arguments.md).
 */
export function reachCommand(h: Helpers, endpoint: string): GuidanceStep {
  const probe = shellCommand(['node', '-e', STS_PROBE, '--', endpoint]);
  if (h.cli)
    return {
      text: 'From this shell, check that the STS endpoint answers.',
      command: probe,
      runIn: 'this-shell',
    };
  switch (h.deployment) {
    case 'compose':
      return {
        text: 'From the api container, check that the STS endpoint answers.',
        command: `docker compose exec api ${probe}`,
        runIn: 'server-host',
      };
    case 'kubernetes':
      return {
        text: 'From a server pod, check that the STS endpoint answers (replace my-deployment and my-namespace with the server’s).',
        command: `kubectl exec deployment/my-deployment --namespace my-namespace -- ${probe}`,
        runIn: 'server-host',
      };
    case 'ecs':
      return {
        text: 'From a task in the same subnets and security groups as the server, check that the STS endpoint answers (port 443).',
      };
    default:
      return {
        text: 'From the server’s machine, check that the STS endpoint answers.',
        command: probe,
        runIn: 'server-host',
      };
  }
}
