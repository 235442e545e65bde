import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectionVerifiedSchema } from '../domain/connection-contract.ts';
import { connectionPushEndpoint } from '../domain/prowler-connection-push.ts';
import { openStore } from '../server/store/database.ts';
import { sandboxApp, TEST_EXTERNAL_ID } from '../server/test-support.ts';
import { type CliRun, runCli } from '../testing/cli-process.ts';
import { ProwlerFake } from '../testing/prowler-fake.ts';
import { contractProblems, OpenApiContract } from '../testing/prowler-openapi.ts';
import { PROWLER_ERROR_TEXTS } from '../testing/prowler-texts.ts';
import { postgresBackend, sqliteBackend } from '../testing/store-backends.ts';
import { runProwlerCommand } from './prowler-command.ts';

// `aws-connect prowler push` as a user runs it (the real binary) against the fake Prowler App:
// exit 0 when Prowler reports connected, 1 when it does not or its API fails, 2 on bad input.

const KEY = 'pk_CanaryCliKey.0123456789abcdefCLICANARY';
const ROLE = 'arn:aws:iam::222222222222:role/ProwlerScan';
const EXTERNAL_ID = '4b7c2b1e-9a39-4d0f-9a6e-3e1f2c6b8d10';
let fake: ProwlerFake;

async function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const run = await runCli(['prowler', ...args], {
    env: { PATH: process.env.PATH ?? '', PROWLER_API_URL: fake.url, PROWLER_API_KEY: KEY, ...env },
  });
  expect(run.stdout + run.stderr).not.toContain(KEY.slice(3, 30));
  return run;
}

beforeAll(async () => {
  fake = await new ProwlerFake({ apiKey: KEY }).start();
});
afterAll(async () => {
  await fake.close();
  expect(contractProblems(new OpenApiContract(), fake.log)).toEqual([]);
});

describe('aws-connect prowler push (spawned)', () => {
  it('exit 0 when Prowler reports connected, with what it did', async () => {
    fake.outcome = () => ({ connected: true, error: null });
    const r = await cli(['push', '--role-arn', ROLE, '--external-id', EXTERNAL_ID, '--alias', 'Production']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('provider: AWS provider 222222222222 created');
    expect(r.stdout).toContain("Prowler's connection test: connected");
  }, 30_000);

  it('exit 1 when Prowler reports connected: false; --json prints the typed result', async () => {
    fake.outcome = () => ({ connected: false, error: PROWLER_ERROR_TEXTS[1]!.text });
    const r = await cli(['push', '--role-arn', ROLE, '--external-id', EXTERNAL_ID, '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      pushed: true,
      prowler: { connected: false, diagnosis: { code: 'ROLE_ACCOUNT_MISMATCH' } },
      steps: [{ outcome: 'found' }, { outcome: 'updated' }, { outcome: 'queued' }, { outcome: 'completed' }],
    });
  }, 30_000);

  it('exit 1 with one clear message for a wrong key; exit 2 without the configuration', async () => {
    const wrong = await cli(['push', '--role-arn', ROLE, '--external-id', EXTERNAL_ID], {
      PROWLER_API_KEY: 'not-the-key',
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('refused the API key (401');
    expect(wrong.stdout).not.toContain('not-the-key');
    const none = await cli(['push', '--role-arn', ROLE, '--external-id', EXTERNAL_ID], {
      PROWLER_API_URL: '',
      PROWLER_API_KEY: '',
    });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('set PROWLER_API_URL');
  }, 30_000);

  it('exit 2 on bad input, naming the flag', async () => {
    const r = await cli(['push', '--role-arn', 'arn:aws:iam::123:role/x', '--external-id', EXTERNAL_ID]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^aws-connect prowler: --role-arn: /);
    const typo = await cli(['push', '--rolearn', ROLE]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("Did you mean '--role-arn'?");
  }, 30_000);
});

for (const backend of [sqliteBackend(), postgresBackend()]) {
  describe.skipIf('available' in backend && !backend.available)(
    `--connection ID: the saved connection from the store (${backend.name === 'sqlite' ? 'a real SQLite file' : 'a PostgreSQL server the test starts, through DATABASE_URL'})`,
    () => {
      /** Where the CLI finds the store, as a user's shell says it. */
      let storeEnv: Record<string, string> = {};
      let ok = '';
      let broken = '';
      beforeAll(async () => {
        // Saved as a user saves them: verified against the sandbox by the real server, then the server stops.
        const target = await backend.fresh();
        storeEnv = {
          AWS_CONNECT_DATA_DIR: target.dataDir,
          ...(target.databaseUrl ? { DATABASE_URL: target.databaseUrl } : {}),
        };
        const store = await openStore(target);
        const s = await sandboxApp({}, { deps: { store } });
        const save = async (body: Record<string, unknown>) => {
          const res = await fetch(`${s.url}/api/connections`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ source: { kind: 'sdk-default' }, externalId: TEST_EXTERNAL_ID, ...body }),
          });
          return connectionVerifiedSchema.parse(await res.json());
        };
        try {
          const saved = await save({
            roleArn: ROLE,
            alias: 'prod-eu',
            sessionName: 'prowler-scan',
            durationSeconds: 1800,
          });
          expect(saved.status).toBe('ok');
          ok = saved.id;
          const failed = await save({ roleArn: 'arn:aws:iam::222222222222:role/NoSuchRole' });
          expect(failed.status).toBe('broken');
          broken = failed.id;
        } finally {
          await s.close();
          await store.close();
        }
      });
      afterAll(() => backend.stop());

      it('pushes the saved role, External ID, alias, session name and duration (spawned, --json)', async () => {
        fake.outcome = () => ({ connected: true, error: null });
        const r = await cli(['push', '--connection', ok, '--json'], storeEnv);
        expect(r.code, r.stderr).toBe(0);
        const answer = connectionPushEndpoint.response.parse(JSON.parse(r.stdout));
        expect(answer).toMatchObject({
          connection: ok,
          push: { pushed: true, providerUid: '222222222222' },
          ours: { code: 'OK', connected: true },
          comparison: { agreement: 'agree' },
        });
        const provider = [...fake.providers.values()].find((p) => p.uid === '222222222222');
        expect(fake.secrets.get(provider?.secretId ?? '')?.secret).toEqual({
          role_arn: ROLE,
          external_id: TEST_EXTERNAL_ID,
          role_session_name: 'prowler-scan',
          session_duration: 1800,
        });
      }, 30_000);

      it('an id the store does not have: exit 2 with a clear message, nothing sent to Prowler', async () => {
        const before = fake.log.length;
        const r = await cli(['push', '--connection', '00000000-0000-4000-8000-000000000000'], storeEnv);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('no saved connection has the id "00000000-0000-4000-8000-000000000000"');
        expect(fake.log.length).toBe(before);
      }, 30_000);

      it('a connection whose last verification failed: exit 2 naming its code; --force pushes it', async () => {
        const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
        const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
        const env = { ...storeEnv, PROWLER_API_URL: fake.url, PROWLER_API_KEY: KEY };
        try {
          const before = fake.log.length;
          expect(await runProwlerCommand(['push', '--connection', broken], { env, delayMs: 0 })).toBe(2);
          expect(String(err.mock.calls[0]?.[0])).toContain(
            `Connection ${broken} is not pushed: its last verification ended`,
          );
          expect(String(err.mock.calls[0]?.[0])).toContain('add --force');
          expect(fake.log.length).toBe(before);
          expect(
            await runProwlerCommand(['push', '--connection', broken, '--force'], { env, delayMs: 0 }),
          ).toBe(0);
          const text = out.mock.calls.map((c) => String(c[0])).join('');
          expect(text).toContain("Prowler's connection test: connected");
          expect(text).toContain("Our saved verification and Prowler's test: disagree.");
          expect(await runProwlerCommand(['push', '--connection', ok, '--role-arn', ROLE], { env })).toBe(2);
          expect(
            await runProwlerCommand(['push', '--role-arn', ROLE, '--external-id', EXTERNAL_ID, '--force'], {
              env,
            }),
          ).toBe(2);
        } finally {
          err.mockRestore();
          out.mockRestore();
        }
      });
    },
  );
}
