import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverResponseSchema, orgEventSchema } from '../domain/org-contract.ts';
import { WEBHOOK_SIGNATURE_HEADER } from '../domain/webhook.ts';
import { generatedOutcomes, organizationSchema } from '../sandbox/organization-scenario.ts';
import { type SandboxHandle, startSandbox } from '../sandbox/server.ts';
import {
  MANAGEMENT_ACCOUNT,
  managementRoleArn,
  OUS,
  organizationScenario,
  PLAIN_MEMBER_ACCOUNT,
  SCANNER,
} from '../sandbox/test-organization.ts';
import { verifySignature } from '../server/alerts/signature.ts';
import { historyOf, listConnections } from '../server/store/connections.ts';
import { openStore } from '../server/store/database.ts';
import { TEST_EXTERNAL_ID } from '../server/test-support.ts';
import { runInProcess } from '../testing/cli-in-process.ts';
import { runCli } from '../testing/cli-process.ts';
import { isolatedShell, keysEnv } from '../testing/cli-shell.ts';
import { startReceiver } from '../testing/webhook-receiver.ts';
import { main } from './main.ts';
import { runOrgVerifyCommand } from './org-verify-command.ts';

// `aws-connect org discover | verify` as a user runs them, against the sandbox's organization:
// the shell's default chain holds the scanner's keys, AWS_ENDPOINT_URL points at the sandbox.
// In this process through main() for most cases (a spawn costs seconds of CPU here); the spawned
// binary for the piped output (one JSON line per event) and the exit code.

const COUNT = 40;
const WEBHOOK_SECRET = 'org-cli-webhook-secret-0123456789abcdef';
const scenario = organizationScenario({ count: COUNT });
const expected = generatedOutcomes(organizationSchema.parse(scenario.organization));
let sb: SandboxHandle;
let dir = '';
let env: Record<string, string | undefined> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aws-connect-org-cli-'));
  sb = await startSandbox({ scenario, externalId: TEST_EXTERNAL_ID });
  sb.world.setFaults({});
  const keys = sb.world.serverCredentials('scanner');
  env = { ...isolatedShell(dir, sb.url), ...keysEnv(keys), AWS_CONNECT_ORG_STS_RATE: '1000' };
});
afterAll(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const inProcess = (args: string[], run: () => Promise<number> = () => main(args)): Promise<Run> =>
  runInProcess(run, env);

const spawned = (args: string[]): Promise<Run> => runCli(args, { env });

/** A terminal 100 columns wide that keeps what is written to it. */
function terminal() {
  let written = '';
  const tty = Object.assign(
    new Writable({
      write(chunk, _enc, done) {
        written += String(chunk);
        done();
      },
    }),
    { isTTY: true, columns: 100 },
  );
  return { tty, text: () => written };
}

const VERIFY = ['org', 'verify', '--role-name', 'ProwlerScan', '--external-id', TEST_EXTERNAL_ID];
const DECLARED = ['--trusted-account-id', SCANNER.accountId, '--iam-principal', SCANNER.iamPrincipal];

describe('aws-connect org discover', () => {
  it('prints the tree of OUs and ACTIVE accounts, and the others apart', async () => {
    const r = await inProcess([
      'org',
      'discover',
      '--role-arn',
      managementRoleArn(),
      '--external-id',
      TEST_EXTERNAL_ID,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^Organization o-sandbox0001, management account 900000000000; read from 900000000000 \(the management account\)\./,
    );
    expect(r.stdout).toContain(`├─ ${OUS.workloads}  Workloads`);
    expect(r.stdout).toContain(`${PLAIN_MEMBER_ACCOUNT}  plain-member`);
    expect(r.stdout).toMatch(
      /Not listed above, not ACTIVE \(a role there cannot be assumed\): 910000000022 SUSPENDED\./,
    );
  });

  it('--json is the API’s discovery answer; a refusal exits 1 and says why', async () => {
    const ok = await inProcess([
      'org',
      'discover',
      '--role-arn',
      managementRoleArn(),
      '--external-id',
      TEST_EXTERNAL_ID,
      '--json',
    ]);
    expect(discoverResponseSchema.parse(JSON.parse(ok.stdout)).ok).toBe(true);
    const refused = await inProcess([
      'org',
      'discover',
      '--role-arn',
      managementRoleArn(PLAIN_MEMBER_ACCOUNT),
      '--external-id',
      TEST_EXTERNAL_ID,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(
      /^Not read: ORGANIZATIONS_ACCESS_DENIED\n {2}Organizations refused organizations:ListRoots/,
    );
    const notAssumed = await inProcess([
      'org',
      'discover',
      '--role-arn',
      managementRoleArn(),
      '--external-id',
      'wrong-external-id-01',
      ...DECLARED,
    ]);
    expect(notAssumed.code).toBe(1);
    expect(notAssumed.stdout).toMatch(/^Not read: ROLE_NOT_ASSUMED/);
    expect(notAssumed.stdout).toContain('Not connected: EXTERNAL_ID_MISMATCH');
  });

  it.each([
    [
      ['--role-arn', 'arn:aws:iam::1:role/x', '--external-id', 'abc'],
      /^aws-connect org discover: --role-arn: A role ARN looks like/,
    ],
    [['--rolearn', 'x'], /Unknown option '--rolearn'\. Did you mean '--role-arn'\?/],
    [['--external-id', 'abc'], /--role-arn and --external-id are required/],
  ])('%j exits 2 with one line', async (args, message) => {
    const r = await inProcess(['org', 'discover', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('suggests the subcommand', async () => {
    const r = await inProcess(['org', 'verfy']);
    expect(r).toMatchObject({ code: 2, stderr: expect.stringContaining('Did you mean "verify"?') });
  });
});

describe('aws-connect org verify', () => {
  it('--json: one summary object with an entry per account (accountId, ok, diagnosis.code); exit 1 when any is not connected', async () => {
    const r = await inProcess([...VERIFY, '--role-arn', managementRoleArn(), ...DECLARED, '--json']);
    expect(r.code, r.stderr).toBe(1);
    const summary = JSON.parse(r.stdout);
    const active = [...expected].filter(([, o]) => o !== 'suspended');
    expect(summary.total).toBe(3 + active.length);
    expect(summary.accounts).toHaveLength(summary.total);
    const byId = Object.fromEntries(
      summary.accounts.map((a: { accountId: string; ok: boolean; diagnosis: { code: string } }) => [
        a.accountId,
        a,
      ]),
    );
    expect(byId[MANAGEMENT_ACCOUNT]).toMatchObject({ ok: true, connected: true, diagnosis: { code: 'OK' } });
    const noRole = active.find(([, o]) => o === 'no-role')?.[0] ?? '';
    expect(byId[noRole]).toMatchObject({
      ok: false,
      connected: false,
      diagnosis: { code: 'EXTERNAL_ID_MISMATCH' },
    });
    const incomplete = active.find(([, o]) => o === 'permissions-incomplete')?.[0] ?? '';
    expect(byId[incomplete]).toMatchObject({
      ok: false,
      connected: true,
      diagnosis: { code: 'PERMISSIONS_INCOMPLETE' },
    });
    expect(summary.byCode.OK).toBe(summary.ok);
  });

  it('exit 0 when every selected account is connected (include an OU, exclude the failing accounts)', async () => {
    const inSandbox = [...expected].filter(([id], n) => n % 3 === 2 && id).map(([id]) => id);
    const failing = [...expected]
      .filter(([, o]) => !['connected', 'permissions-incomplete', 'external-id-not-enforced'].includes(o))
      .map(([id]) => id);
    const excluded = failing
      .filter((id) => inSandbox.includes(id))
      .flatMap((id) => ['--exclude-account', id]);
    const r = await inProcess([
      ...VERIFY,
      '--role-arn',
      managementRoleArn(),
      '--include-ou',
      OUS.sandbox,
      ...excluded,
      '--json',
    ]);
    expect(r.code, r.stdout).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.accounts.length).toBeGreaterThan(5);
    expect(summary.connected).toBe(summary.total);
  });

  it('--save keeps each verified account as a connection in the SQLite file the server uses; the next run updates them', async () => {
    const dataDir = join(dir, 'data');
    const file = join(dir, 'save.csv');
    writeFileSync(file, `account_id,alias\n${MANAGEMENT_ACCOUNT},mgmt\n${PLAIN_MEMBER_ACCOUNT},plain\n`);
    const args = [...VERIFY, '--accounts-csv', file, ...DECLARED, '--json'];
    env.AWS_CONNECT_DATA_DIR = dataDir;
    try {
      // Without --save nothing is written and the JSON is as before: no connectionId.
      const plain = await inProcess(args);
      expect(plain.code, plain.stderr).toBe(0);
      expect(JSON.parse(plain.stdout).accounts.every((a: object) => !('connectionId' in a))).toBe(true);
      expect(existsSync(dataDir)).toBe(false);

      const first = await inProcess([...args, '--save']);
      expect(first.code, first.stderr).toBe(0);
      const ids = JSON.parse(first.stdout).accounts.map((a: { connectionId: string }) => a.connectionId);
      expect(ids).toHaveLength(2);
      const second = await inProcess([...args, '--save']);
      expect(JSON.parse(second.stdout).accounts.map((a: { connectionId: string }) => a.connectionId)).toEqual(
        ids,
      );

      const store = await openStore({ dataDir });
      try {
        const { rows, total } = await listConnections(store.db, { scope: 'all', limit: 10, offset: 0 });
        expect(total).toBe(2);
        expect(
          rows.map((r) => [r.account_id, r.alias, r.status, r.last_diagnosis_code, r.owner_session]).sort(),
        ).toEqual([
          [MANAGEMENT_ACCOUNT, 'mgmt', 'ok', 'OK', null],
          [PLAIN_MEMBER_ACCOUNT, 'plain', 'ok', 'OK', null],
        ]);
        expect(rows.every((r) => r.next_check_at !== null && r.source_kind === 'sdk-default')).toBe(true);
        const history = await historyOf(store.db, ids[0]);
        expect(history.map((h) => h.trigger)).toEqual(['org', 'org']);
      } finally {
        await store.close();
      }
    } finally {
      delete env.AWS_CONNECT_DATA_DIR;
    }
  });

  it('--save with a webhook configured: a status change between runs is alerted once, signed; a new connection is not', async () => {
    const receiver = await startReceiver();
    const file = join(dir, 'webhook.csv');
    writeFileSync(file, `account_id\n${MANAGEMENT_ACCOUNT}\n${PLAIN_MEMBER_ACCOUNT}\n`);
    const args = [...VERIFY, '--accounts-csv', file, ...DECLARED, '--json', '--save'];
    Object.assign(env, {
      AWS_CONNECT_DATA_DIR: join(dir, 'webhook-data'),
      AWS_CONNECT_WEBHOOK_URL: receiver.url,
      AWS_CONNECT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    try {
      const first = await inProcess(args);
      expect(first.code, first.stderr).toBe(0);
      expect(receiver.received).toHaveLength(0);

      sb.world.deleteRole(PLAIN_MEMBER_ACCOUNT, 'ProwlerScan');
      const second = await inProcess(args);
      // A broken account makes the run exit non-zero; the alert has been sent before the exit.
      expect(second.code, second.stderr).not.toBe(0);
      expect(receiver.received).toHaveLength(1);
      const [alert] = receiver.received;
      expect(
        verifySignature(
          WEBHOOK_SECRET,
          alert?.headers[WEBHOOK_SIGNATURE_HEADER] as string,
          alert?.body ?? '',
        ),
      ).toMatchObject({ ok: true });
      const body = JSON.parse(alert?.body ?? '{}');
      expect([body.connection.accountId, body.status.from, body.status.to]).toEqual([
        PLAIN_MEMBER_ACCOUNT,
        'ok',
        'broken',
      ]);
      expect(alert?.body).not.toContain(WEBHOOK_SECRET);
      expect(first.stdout + first.stderr + second.stdout + second.stderr).not.toContain(WEBHOOK_SECRET);
    } finally {
      sb.world.deployStack({
        accountId: PLAIN_MEMBER_ACCOUNT,
        parameters: {
          ExternalId: TEST_EXTERNAL_ID,
          AccountId: SCANNER.accountId,
          IAMPrincipal: SCANNER.iamPrincipal,
        },
      });
      delete env.AWS_CONNECT_DATA_DIR;
      delete env.AWS_CONNECT_WEBHOOK_URL;
      delete env.AWS_CONNECT_WEBHOOK_SECRET;
      await receiver.close();
    }
  });

  it('--save is refused in the hosted flavour: connections there belong to a browser session', async () => {
    env.AWS_CONNECT_FLAVOUR = 'hosted';
    try {
      const r = await inProcess([...VERIFY, '--role-arn', managementRoleArn(), '--save']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^aws-connect org verify: --save: in the hosted flavour/);
    } finally {
      delete env.AWS_CONNECT_FLAVOUR;
    }
  });

  it('from a CSV, with a role name per row', async () => {
    const file = join(dir, 'accounts.csv');
    writeFileSync(
      file,
      `account_id,alias,role_name\n${MANAGEMENT_ACCOUNT},mgmt,\n${PLAIN_MEMBER_ACCOUNT},plain,NoOrgRead\n`,
    );
    const r = await inProcess([...VERIFY, '--accounts-csv', file, ...DECLARED, '--json']);
    const { accounts } = JSON.parse(r.stdout);
    expect(
      accounts
        .map((a: { accountId: string; alias: string; roleArn: string; diagnosis: { code: string } }) => [
          a.accountId,
          a.alias,
          a.roleArn,
          a.diagnosis.code,
        ])
        .sort(),
    ).toEqual([
      [MANAGEMENT_ACCOUNT, 'mgmt', `arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/ProwlerScan`, 'OK'],
      [
        PLAIN_MEMBER_ACCOUNT,
        'plain',
        `arn:aws:iam::${PLAIN_MEMBER_ACCOUNT}:role/NoOrgRead`,
        'EXTERNAL_ID_MISMATCH',
      ],
    ]);
    expect(r.code).toBe(1);
  });

  it.each([
    [
      ['--role-arn', managementRoleArn(), '--accounts-csv', 'x.csv'],
      /give --role-arn \(discover the organization\) or --accounts-csv FILE, one of them/,
    ],
    [
      ['--accounts-csv', '/nonexistent/accounts.csv'],
      /--accounts-csv: cannot read the accounts CSV \/nonexistent\/accounts.csv: no such file\./,
    ],
    [
      ['--role-arn', managementRoleArn(), '--concurrency', '100'],
      /^aws-connect org verify: --concurrency: The concurrency is at most 64\./,
    ],
    [
      ['--role-arn', managementRoleArn(), '--concurrency', 'many'],
      /--concurrency: The concurrency is a whole number/,
    ],
    [
      ['--role-arn', managementRoleArn(), '--include-ou', 'ou-1'],
      /--include-ou: An OU ID looks like ou-ab12-cd34ef56/,
    ],
    [
      ['--role-arn', managementRoleArn(), '--exclude-acount', '1'],
      /Unknown option '--exclude-acount'\. Did you mean '--exclude-account'\?/,
    ],
  ])('%j exits 2', async (args, message) => {
    const r = await inProcess([...VERIFY, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('a bad CSV exits 2 naming each line and column', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'account_id,alias\n12345678901,short\n111122223333,ok\nnope,x\n');
    const r = await inProcess([...VERIFY, '--accounts-csv', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `aws-connect org verify: ${file} line 2, column 1 (account_id): An AWS account ID is exactly 12 digits, like 123456789012 (no dashes or spaces). (12345678901 has 11 digits: a spreadsheet may have dropped leading zeros; format the column as text)`,
      `aws-connect org verify: ${file} line 4, column 1 (account_id): An AWS account ID is exactly 12 digits, like 123456789012 (no dashes or spaces).`,
    ]);
  });

  it('on a terminal: a progress line redrawn in place, then the summary by outcome', async () => {
    const { tty, text: written } = terminal();
    const r = await inProcess([], () =>
      runOrgVerifyCommand(
        [
          '--role-name',
          'ProwlerScan',
          '--external-id',
          TEST_EXTERNAL_ID,
          '--role-arn',
          managementRoleArn(),
          ...DECLARED,
        ],
        { stdout: tty, stderr: tty },
      ),
    );
    const text = written();
    expect(r.code).toBe(1);
    const total = 3 + [...expected].filter(([, o]) => o !== 'suspended').length;
    expect(text).toMatch(new RegExp(`^Verifying ${total} accounts, 8 at once \\(STS: 1000 calls/s\\)\\.\\n`));
    expect(text).toMatch(
      new RegExp(`\\r\\[#{30}\\]  ${total}/${total}  OK \\d+  not OK \\d+  [\\d.]+/s\\x1b\\[K`),
    );
    expect(text).toMatch(
      new RegExp(
        `\\n${total} of ${total} accounts verified in \\d+s: \\d+ OK, \\d+ connected\\.\\n\\nBy outcome:\\n`,
      ),
    );
    expect(text).toMatch(/Not OK \(\d+\):\n {2}\d{12} {2}EXTERNAL_ID_MISMATCH/);
    expect(text).not.toContain('Saved ');
  });

  it('on a terminal with --save: the last line says how many connections were kept, and where', async () => {
    const { tty, text: written } = terminal();
    const dataDir = join(dir, 'tty-data');
    env.AWS_CONNECT_DATA_DIR = dataDir;
    try {
      const r = await inProcess([], () =>
        runOrgVerifyCommand(
          [
            ...VERIFY.slice(2),
            '--role-arn',
            managementRoleArn(),
            ...DECLARED,
            '--include-ou',
            OUS.sandbox,
            '--save',
          ],
          { stdout: tty, stderr: tty },
        ),
      );
      const text = written();
      expect(r.code).toBe(1);
      const verified = Number(/\n(\d+) of \d+ accounts verified/.exec(text)?.[1]);
      expect(verified).toBeGreaterThan(3);
      expect(text).toContain(
        `Saved ${verified} connection(s) in ${join(dataDir, 'aws-connect.sqlite')} ("aws-connect serve" lists them under /connections).\n`,
      );
    } finally {
      delete env.AWS_CONNECT_DATA_DIR;
    }
  });

  it('piped (the spawned binary): one JSON line per event, start first, summary last', async () => {
    const r = await spawned([...VERIFY, '--role-arn', managementRoleArn(), '--include-ou', OUS.prod]);
    expect(r.code, r.stderr).toBe(1);
    const events = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => orgEventSchema.parse(JSON.parse(l)));
    expect(events[0]?.type).toBe('start');
    expect(events.at(-1)?.type).toBe('summary');
    const start = events[0] as Extract<(typeof events)[number], { type: 'start' }>;
    expect(events.filter((e) => e.type === 'account')).toHaveLength(start.total);
  }, 60_000);
});
