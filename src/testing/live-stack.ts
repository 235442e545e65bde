import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type SandboxHandle, startSandbox } from '../sandbox/server.ts';
import { buildApp } from '../server/app.ts';
import { type Env, loadConfig, type ServerConfig } from '../server/config.ts';
import { type AwsProxy, startAwsProxy } from './aws-proxy.ts';

// The real server (buildApp + listen on an ephemeral loopback port) in front of the real sandbox,
// with a counting proxy between them, for the reliability and security suites (issue 8). Logs are
// captured line by line through pino's destination stream.

export const TEST_EXTERNAL_ID = 'reliability-suite-external-id-4f1c9a7e';
export const SCANNER_ACCOUNT = '111111111111';
export const TARGET_ROLE_ARN = 'arn:aws:iam::222222222222:role/ProwlerScan';

/** The server's own identity in sandbox mode (its "default chain"). */
export const SCANNER_KEYS = {
  accessKeyId: 'AKIARELIABILITYSCAN01',
  secretAccessKey: 'c2Nhbm5lci1zZWNyZXQtcmVsaWFiaWxpdHktc3VpdGU',
};

/**
 * Recognisable secrets (issue 8, "canary secrets"): if any of these, or a distinctive part of it,
 * shows up in a response, a log line, an export or the CLI's output, a secret leaked.
 */
export const CANARY = {
  user: { accessKeyId: 'AKIACANARYUSER000001', secretAccessKey: 'CanaryUserSecretKeyQ7Wv9Zr2Lp5Nt8Bf4Hk6J' },
  session: {
    accessKeyId: 'ASIACANARYSESSION0001',
    secretAccessKey: 'CanarySessionSecretXq7Wv9Zr2Lp5Nt8Bf4Hk6',
    sessionToken: `CanarySessionToken${'Zm9vYmFyYmF6'.repeat(20)}EndOfCanaryToken`,
  },
  expired: {
    accessKeyId: 'ASIACANARYEXPIRED0001',
    secretAccessKey: 'CanaryExpiredSecretXq7Wv9Zr2Lp5Nt8Bf4Hk6',
    sessionToken: `CanaryExpiredToken${'YmF6cXV4'.repeat(20)}EndOfExpiredToken`,
  },
  /** Well-formed, registered nowhere: SignatureDoesNotMatch when paired with a real key ID. */
  wrongSecret: 'CanaryWrongSecretZq7Wv9Zr2Lp5Nt8Bf4Hk6Jm',
} as const;

export function canaryValues(): string[] {
  return [
    CANARY.user.secretAccessKey,
    CANARY.session.secretAccessKey,
    CANARY.session.sessionToken,
    CANARY.expired.secretAccessKey,
    CANARY.expired.sessionToken,
    CANARY.wrongSecret,
    SCANNER_KEYS.secretAccessKey,
  ];
}

const ALLOW_ASSUME = { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' };

/** One scanner account whose every principal may assume the target role (IAMPrincipal "*"). */
export const TEST_SCENARIO = {
  about: 'reliability and security suites (issue 8)',
  scanner: { accountId: SCANNER_ACCOUNT, user: 'prowler-app' },
  accounts: {
    [SCANNER_ACCOUNT]: {
      users: [
        {
          name: 'prowler-app',
          accessKeys: [{ id: SCANNER_KEYS.accessKeyId, secret: SCANNER_KEYS.secretAccessKey }],
          policies: [ALLOW_ASSUME],
        },
        {
          name: 'canary',
          accessKeys: [{ id: CANARY.user.accessKeyId, secret: CANARY.user.secretAccessKey }],
          policies: [ALLOW_ASSUME],
        },
      ],
      roles: [
        {
          name: 'prowler-worker',
          trustPolicy: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${SCANNER_ACCOUNT}:root` },
                Action: 'sts:AssumeRole',
              },
            ],
          },
          policies: [ALLOW_ASSUME],
        },
      ],
      sessions: [
        {
          role: 'prowler-worker',
          sessionName: 'canary-session',
          id: CANARY.session.accessKeyId,
          secret: CANARY.session.secretAccessKey,
          token: CANARY.session.sessionToken,
          expiration: '2099-01-01T00:00:00Z',
        },
        {
          role: 'prowler-worker',
          sessionName: 'canary-expired',
          id: CANARY.expired.accessKeyId,
          secret: CANARY.expired.secretAccessKey,
          token: CANARY.expired.sessionToken,
          expiration: '2020-01-01T00:00:00Z',
        },
      ],
    },
    '222222222222': {
      stacks: [
        {
          name: 'ProwlerScan',
          parameters: { ExternalId: '$SERVER_EXTERNAL_ID', AccountId: SCANNER_ACCOUNT, IAMPrincipal: '*' },
        },
      ],
    },
  },
};

export interface LiveStackOptions {
  /** Server environment on top of the suite defaults (rate limit high, timeout 1500 ms). */
  env?: Env;
  scenario?: unknown;
  /** Put the counting proxy between server and sandbox (default true). */
  proxy?: boolean;
  /** Send the server's AWS calls here instead (e.g. a closed port for STS_UNREACHABLE). */
  awsEndpoint?: string;
  /** What the server's default chain holds. */
  caller?: 'scanner' | 'none';
  retry?: { maxAttempts?: number; baseDelayMs?: number };
  /** A built web app to serve (default: none, so pages answer 503 "not built"). */
  webRoot?: string;
}

export interface LiveStack {
  url: string;
  origin: string;
  app: FastifyInstance;
  config: ServerConfig;
  sandbox: SandboxHandle;
  aws: AwsProxy | null;
  externalId: string;
  /** Every log line the server wrote (pino JSON), in order. */
  logs: string[];
  close(): Promise<void>;
}

export const SUITE_ENV: Env = {
  HOST: '127.0.0.1',
  PORT: '0',
  AWS_REGION: 'us-east-1',
  AWS_CONNECT_AWS_TIMEOUT_MS: '1500',
  AWS_CONNECT_RATE_LIMIT_PER_MINUTE: '1000000',
  AWS_CONNECT_BODY_LIMIT_BYTES: '32768',
  AWS_CONNECT_EXTERNAL_ID: TEST_EXTERNAL_ID,
  LOG_LEVEL: 'info',
};

export async function startLiveStack(options: LiveStackOptions = {}): Promise<LiveStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aws-connect-live-'));
  const config = loadConfig({ ...SUITE_ENV, AWS_CONNECT_DATA_DIR: dataDir, ...options.env });
  const externalId = config.externalId ?? TEST_EXTERNAL_ID;
  const sandbox = await startSandbox({
    port: 0,
    host: '127.0.0.1',
    externalId,
    scenario: options.scenario ?? TEST_SCENARIO,
  });
  const aws = options.proxy === false ? null : await startAwsProxy(sandbox.url);
  const endpoint = options.awsEndpoint ?? aws?.url ?? sandbox.url;
  const logs: string[] = [];
  const caller = options.caller ?? 'scanner';
  const app = await buildApp(config, {
    externalId,
    // What the SDK's chain answers in sandbox mode: the scanner's keys, or "no credentials".
    defaultCredentials: async () => {
      const keys = caller === 'scanner' ? sandbox.world.serverCredentials('scanner') : null;
      if (!keys)
        throw Object.assign(new Error('Could not load credentials from any providers'), {
          name: 'CredentialsProviderError',
        });
      return keys;
    },
    endpoints: { sts: endpoint, iam: endpoint },
    sandbox: sandbox.world,
    logStream: { write: (line: string) => void logs.push(line) },
    ...(options.retry ? { retry: options.retry } : {}),
    webRoot: options.webRoot ?? join(dataDir, 'no-web-build'),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    origin: url,
    app,
    config,
    sandbox,
    aws,
    externalId,
    logs,
    async close() {
      await app.close();
      await aws?.close();
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A verification the test scenario answers OK for (sdk-default, the issued External ID). */
export function okVerifyBody(externalId: string = TEST_EXTERNAL_ID) {
  return {
    source: { kind: 'sdk-default' },
    roleArn: TARGET_ROLE_ARN,
    externalId,
    trustedAccountId: SCANNER_ACCOUNT,
    iamPrincipal: '*',
  };
}

export interface JsonAnswer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/** POST JSON (or GET when body is undefined) and parse the answer, whatever its status. */
export async function call(
  stack: Pick<LiveStack, 'url'>,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonAnswer> {
  const res = await fetch(`${stack.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}
