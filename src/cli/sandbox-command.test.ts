import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it, vi } from 'vitest';
import { runSandboxCommand } from './sandbox-command.ts';

// `aws-connect sandbox` as a user runs it: the printed endpoint and env lines work with the SDK, and
// SIGTERM stops it cleanly.

describe('aws-connect sandbox', () => {
  it('prints a working endpoint and scanner credentials, and exits 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['bin/aws-connect.js', 'sandbox', '--port', '0', '--external-id', 'cli-ext-01'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await vi.waitFor(() => expect(out).toContain('Press Ctrl+C to stop.'), {
        timeout: 20_000,
        interval: 100,
      });
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? '';
      const accessKeyId = /AWS_ACCESS_KEY_ID=(\S+)/.exec(out)?.[1] ?? '';
      const secretAccessKey = /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(out)?.[1] ?? '';
      expect(out).toContain('src/sandbox/scenarios/demo.json');
      expect(out).toContain(`aws sts get-caller-identity --endpoint-url ${url}`);
      expect(out).toMatch(/222222222222 {2}Ready -> OK {2}arn:aws:iam::222222222222:role\/ProwlerScan/);
      expect(out).toContain(
        '333333333333  AWS_ACCESS_KEY_ID=AKIASANDBOXADMIN3333 AWS_SECRET_ACCESS_KEY=sandboxOnlyAdminOf333333333333NotARealKey',
      );
      // A trust-side row says what the user sees first, and what makes it certain.
      expect(out).toMatch(
        /444444444444 {2}Wrong trusted account -> suspected \(AccessDenied, AWS says no more\); TRUST_ACCOUNT_MISMATCH once the trust doctor reads the role/,
      );
      const client = new STSClient({
        endpoint: url,
        region: 'us-east-1',
        credentials: { accessKeyId, secretAccessKey },
      });
      expect((await client.send(new GetCallerIdentityCommand({}))).Arn).toBe(
        'arn:aws:iam::111111111111:user/prowler-app',
      );
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 40_000);

  it('guards its admin API: a foreign Host or a text/plain write is refused, an --allowed-hosts name is not', async () => {
    const child = spawn(
      process.execPath,
      ['bin/aws-connect.js', 'sandbox', '--port', '0', '--allowed-hosts', 'sandbox.internal'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await vi.waitFor(() => expect(out).toContain('Press Ctrl+C to stop.'), {
        timeout: 20_000,
        interval: 100,
      });
      const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
      const status = (method: string, path: string, headers: Record<string, string>) =>
        new Promise<number>((resolve, reject) => {
          const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          });
          req.on('error', reject);
          req.end(method === 'GET' ? undefined : '{}');
        });
      expect(await status('GET', '/__sandbox/scenario', { host: `rebound.example:${port}` })).toBe(403);
      expect(await status('GET', '/__sandbox/scenario', { host: `sandbox.internal:${port}` })).toBe(200);
      expect(
        await status('POST', '/__sandbox/reset', { host: `127.0.0.1:${port}`, 'content-type': 'text/plain' }),
      ).toBe(415);
      expect(
        await status('POST', '/__sandbox/reset', {
          host: `127.0.0.1:${port}`,
          'content-type': 'application/json',
        }),
      ).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 40_000);

  it.each([
    [['--allowed-hosts', 'sandbox.internal:8788'], /--allowed-hosts takes host names without ports/],
    [['--port', 'abc'], /--port "abc": A port is a whole number from 0 to 65535/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--prot', '1'], /Unknown option '--prot'\. Did you mean '--port'\?/],
    [['--scenario', '/nonexistent/scenario.json'], /ENOENT/],
    [['--external-id', 'a b'], /--external-id: The External ID may use/],
  ])('refuses %j with exit 2 and one line on stderr', async (argv, message) => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await runSandboxCommand(argv)).toBe(2);
      const text = write.mock.calls.map((c) => String(c[0])).join('');
      expect(text).toMatch(message);
      expect(text.trim().split('\n')).toHaveLength(1);
    } finally {
      write.mockRestore();
    }
  });
});
