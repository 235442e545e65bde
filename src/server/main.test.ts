import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configResponseSchema } from '../domain/api-contract.ts';
import { verifyReportSchema } from '../domain/diagnosis-contract.ts';
import { sandboxDeployResponseSchema, sandboxScenarioResponseSchema } from '../domain/sandbox-contract.ts';

// `node --import tsx src/server/main.ts` as npm start runs it: the real default credential chain
// (fromNodeProviderChain) pointed at the embedded sandbox through the environment, for each
// AWS_CONNECT_SANDBOX_CALLER; graceful shutdown on SIGTERM; invalid configuration refused at start.

const ROOT = join(import.meta.dirname, '..', '..');
let dir = '';

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

function start(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    // A clean environment: whatever AWS identity this machine has must not leak into the test.
    env: { PATH: process.env.PATH ?? '', HOME: dir, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 60 s: ${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m?.[1] && /External ID/.test(output)) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: () => output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${output}`));
    });
  });
}

function stop(s: Started): Promise<number | null> {
  return new Promise((resolve) => {
    s.child.removeAllListeners('exit');
    s.child.once('exit', (code) => resolve(code));
    s.child.kill('SIGTERM');
  });
}

async function verify(url: string, externalId: string) {
  const res = await fetch(`${url}/api/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      source: { kind: 'sdk-default' },
      roleArn: 'arn:aws:iam::222222222222:role/ProwlerScan',
      externalId,
      trustedAccountId: '111111111111',
      iamPrincipal: 'user/prowler-app',
    }),
  });
  expect(res.status).toBe(200);
  return verifyReportSchema.parse(await res.json());
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aws-connect-main-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm start (src/server/main.ts) with the embedded sandbox', () => {
  it.concurrent.each([
    ['scanner', 'OK'],
    ['none', 'SOURCE_NO_CREDENTIALS'],
    ['unknown-key', 'SOURCE_KEY_INVALID'],
  ])(
    'AWS_CONNECT_SANDBOX_CALLER=%s -> %s through the real default chain',
    async (caller, code) => {
      const dataDir = join(dir, `data-${caller}`);
      const s = await start({
        AWS_CONNECT_DATA_DIR: dataDir,
        AWS_CONNECT_SANDBOX_CALLER: caller,
        // The operator's own keys must be ignored in sandbox mode.
        AWS_ACCESS_KEY_ID: 'AKIAOPERATORREALKEY1',
        AWS_SECRET_ACCESS_KEY: 'operator-real-secret-must-not-be-used-000',
      });
      try {
        expect(s.output()).toContain('running against the local AWS sandbox (no AWS account needed)');
        const config = configResponseSchema.parse(await (await fetch(`${s.url}/api/config`)).json());
        expect(config.sandbox).toBe(true);
        expect(readFileSync(join(dataDir, 'external-id'), 'utf8').trim()).toBe(config.externalId);
        expect(statSync(join(dataDir, 'external-id')).mode & 0o777).toBe(0o600);
        const report = await verify(s.url, config.externalId);
        expect(report.diagnosis.code).toBe(code);
        expect(await stop(s)).toBe(0);
      } finally {
        s.child.kill('SIGKILL');
      }
    },
    90_000,
  );

  it('keeps its External ID across restarts', async () => {
    const dataDir = join(dir, 'data-restart');
    const first = await start({ AWS_CONNECT_DATA_DIR: dataDir });
    const a = configResponseSchema.parse(await (await fetch(`${first.url}/api/config`)).json()).externalId;
    await stop(first);
    const second = await start({ AWS_CONNECT_DATA_DIR: dataDir });
    const b = configResponseSchema.parse(await (await fetch(`${second.url}/api/config`)).json()).externalId;
    await stop(second);
    expect(b).toBe(a);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
  }, 120_000);

  it('guards the embedded sandbox admin API; the wizard routes under /api/sandbox/ still work', async () => {
    const s = await start({ AWS_CONNECT_DATA_DIR: join(dir, 'data-guard') });
    try {
      const sandboxUrl = new URL(/sandbox endpoint (http:\/\/[^\s,]+)/.exec(s.output())?.[1] ?? '');
      const admin = (method: string, path: string, headers: Record<string, string>) =>
        new Promise<number>((resolve, reject) => {
          const req = httpRequest(
            { host: sandboxUrl.hostname, port: sandboxUrl.port, method, path, headers },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode ?? 0));
            },
          );
          req.on('error', reject);
          req.end(method === 'GET' ? undefined : '{}');
        });
      // Issue 11: a rebound Host read the demo keys; a text/plain POST from any page reset the world.
      expect(await admin('GET', '/__sandbox/scenario', { host: 'rebound.example' })).toBe(403);
      expect(
        await admin('POST', '/__sandbox/reset', { host: sandboxUrl.host, 'content-type': 'text/plain' }),
      ).toBe(415);
      expect(
        await admin('POST', '/__sandbox/reset', { host: sandboxUrl.host, origin: 'http://127.0.0.2:8000' }),
      ).toBe(403);

      const config = configResponseSchema.parse(await (await fetch(`${s.url}/api/config`)).json());
      const targets = sandboxScenarioResponseSchema.parse(
        await (await fetch(`${s.url}/api/sandbox/scenario`)).json(),
      );
      expect(targets.targets.map((t) => t.accountId)).toContain('888888888888');
      const deployed = await fetch(`${s.url}/api/sandbox/stacks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          accountId: '888888888888',
          parameters: {
            ExternalId: config.externalId,
            AccountId: '111111111111',
            IAMPrincipal: 'user/prowler-app',
          },
        }),
      });
      expect(deployed.status).toBe(200);
      expect(sandboxDeployResponseSchema.parse(await deployed.json()).roleArn).toBe(
        'arn:aws:iam::888888888888:role/ProwlerScan',
      );
      expect(await stop(s)).toBe(0);
    } finally {
      s.child.kill('SIGKILL');
    }
  }, 90_000);

  it('AWS_CONNECT_SANDBOX=off says it runs against real AWS and serves no sandbox routes', async () => {
    const s = await start({
      AWS_CONNECT_DATA_DIR: join(dir, 'data-off'),
      AWS_CONNECT_SANDBOX: 'off',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    try {
      expect(s.output()).toContain('against real AWS');
      expect((await (await fetch(`${s.url}/api/config`)).json()).sandbox).toBe(false);
      expect((await fetch(`${s.url}/api/sandbox/scenario`)).status).toBe(404);
      expect(await stop(s)).toBe(0);
    } finally {
      s.child.kill('SIGKILL');
    }
  }, 90_000);
});

describe('invalid configuration', () => {
  it('stops the start with exit 2 and one line naming the variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        AWS_CONNECT_SANDBOX: 'maybe',
        AWS_CONNECT_DATA_DIR: join(dir, 'data-bad'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^aws-connect: Invalid configuration: AWS_CONNECT_SANDBOX="maybe": must be on or off/m,
    );
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 60_000);
});
