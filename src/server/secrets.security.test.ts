import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API } from '../domain/api-contract.ts';
import { type VerifyReport, verifyReportSchema } from '../domain/diagnosis-contract.ts';
import { awsCliProfile, markdownReport, scannerCommand } from '../domain/exports.ts';
import type { FaultsInput } from '../sandbox/faults.ts';
import {
  CANARY,
  call,
  canaryValues,
  type LiveStack,
  okVerifyBody,
  startLiveStack,
} from '../testing/live-stack.ts';

// Issue 8, "Secrets": recognisable canary secrets (pasted keys, a session token, the server's own
// key, and every credential AWS hands out during the run, collected by the proxy) go through every
// API path: success, each failure kind, each fault, invalid input. The test then searches every
// response (body and headers), every log line (pino at trace level) and every export built from
// the reports. Any hit, whole or in part, fails.

let stack: LiveStack;
const haystacks: Array<{ where: string; text: string }> = [];
const reports: VerifyReport[] = [];
const diagnoses = new Set<string>();

beforeAll(async () => {
  stack = await startLiveStack({ env: { LOG_LEVEL: 'trace' } });
});
afterAll(async () => stack?.close());

type Source = Record<string, unknown>;
const SOURCES: Record<string, Source> = {
  'long-term keys': { kind: 'access-keys', ...CANARY.user },
  'temporary keys with a session token': { kind: 'access-keys', ...CANARY.session },
  'an expired session': { kind: 'access-keys', ...CANARY.expired },
  'a wrong secret': {
    kind: 'access-keys',
    accessKeyId: CANARY.user.accessKeyId,
    secretAccessKey: CANARY.wrongSecret,
  },
  'an unknown key': {
    kind: 'access-keys',
    accessKeyId: 'AKIACANARYUNKNOWN001',
    secretAccessKey: CANARY.user.secretAccessKey,
  },
  'the server’s own identity': { kind: 'sdk-default' },
};

async function record(where: string, path: string, body: unknown, raw?: string) {
  const res = raw
    ? await fetch(`${stack.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: raw,
      }).then(async (r) => ({ status: r.status, headers: r.headers, text: await r.text() }))
    : await call(stack, path, body);
  haystacks.push({
    where: `${where} (response ${res.status})`,
    text: `${JSON.stringify([...res.headers])}\n${res.text}`,
  });
  if (path === API.verify && res.status === 200) {
    const report = verifyReportSchema.parse(JSON.parse(res.text));
    reports.push(report);
    diagnoses.add(report.diagnosis.code);
  }
  return res;
}

describe('every path, with canary secrets', () => {
  for (const [name, source] of Object.entries(SOURCES)) {
    it(`verify and identity with ${name}`, async () => {
      await record(`verify, ${name}`, API.verify, { ...okVerifyBody(), source });
      await record(`identity, ${name}`, API.identity, { source });
    });
  }

  it('verify failures after AWS answered: External ID mismatch, missing role, duration above the maximum', async () => {
    const source = SOURCES['long-term keys'];
    await record('external id mismatch', API.verify, {
      ...okVerifyBody('not-the-stacks-external-id'),
      source,
    });
    await record('missing role', API.verify, {
      ...okVerifyBody(),
      source,
      roleArn: 'arn:aws:iam::222222222222:role/Nope',
    });
    await record('duration', API.verify, { ...okVerifyBody(), source, durationSeconds: 7200 });
    await record('role session chaining above 1 h', API.verify, {
      ...okVerifyBody(),
      source: SOURCES['temporary keys with a session token'],
      durationSeconds: 7200,
    });
  });

  const faults: Array<[string, FaultsInput]> = [
    ['timeout', { hang: { rate: 1 } }],
    ['reset', { reset: { rate: 1 } }],
    ['throttling', { throttle: { rate: 1 } }],
    ['500', { serverError: { rate: 1, status: 500 } }],
    ['malformed XML', { malformed: { rate: 1 } }],
    ['a failing audit', { serverError: { rate: 1, actions: ['iam:GetRole', 'iam:GetRolePolicy'] } }],
  ];
  it.each(faults)('under fault: %s', async (name, f) => {
    stack.sandbox.world.setFaults(f);
    try {
      for (const source of [SOURCES['long-term keys'], SOURCES['temporary keys with a session token']]) {
        await record(`${name}, verify`, API.verify, { ...okVerifyBody(), source });
        await record(`${name}, identity`, API.identity, { source });
      }
    } finally {
      stack.sandbox.world.setFaults({});
    }
  });

  it('invalid input that carries a secret is refused without quoting it', async () => {
    const user = SOURCES['long-term keys'];
    const cases: Array<[string, unknown]> = [
      [
        'secret with a bad character',
        { ...okVerifyBody(), source: { ...user, secretAccessKey: `${CANARY.user.secretAccessKey}!` } },
      ],
      [
        'secret too long',
        { ...okVerifyBody(), source: { ...user, secretAccessKey: CANARY.user.secretAccessKey.repeat(20) } },
      ],
      [
        'token too long',
        {
          ...okVerifyBody(),
          source: {
            ...SOURCES['temporary keys with a session token'],
            sessionToken: CANARY.session.sessionToken.repeat(40),
          },
        },
      ],
      [
        'token with a bad character',
        {
          ...okVerifyBody(),
          source: {
            ...SOURCES['temporary keys with a session token'],
            sessionToken: `${CANARY.session.sessionToken}$`,
          },
        },
      ],
      ['secret pasted into the role ARN', { ...okVerifyBody(), source: user, roleArn: CANARY.wrongSecret }],
      [
        'secret pasted into the account ID',
        { ...okVerifyBody(), source: user, accountId: CANARY.wrongSecret },
      ],
      ['secret in an unknown field', { ...okVerifyBody(), source: user, password: CANARY.wrongSecret }],
      [
        'secret in an unknown source field',
        { ...okVerifyBody(), source: { ...user, secret: CANARY.wrongSecret } },
      ],
      [
        'ASIA key without its token',
        {
          ...okVerifyBody(),
          source: {
            kind: 'access-keys',
            accessKeyId: CANARY.session.accessKeyId,
            secretAccessKey: CANARY.session.secretAccessKey,
          },
        },
      ],
    ];
    for (const [name, body] of cases) {
      const res = await record(name, API.verify, body);
      expect(res.status, name).toBe(400);
    }
    for (const [name, body] of cases.slice(0, 4)) {
      const res = await record(`identity: ${name}`, API.identity, {
        source: (body as { source: unknown }).source,
      });
      expect(res.status, name).toBe(400);
    }
    const truncated = JSON.stringify({ ...okVerifyBody(), source: user }).slice(0, -20);
    await record('invalid JSON around a secret', API.verify, undefined, truncated);
  });

  it('exercised the outcomes it claims to (a canary that reaches no code path proves nothing)', () => {
    for (const code of [
      'OK',
      'SOURCE_TOKEN_EXPIRED',
      'SOURCE_SECRET_INVALID',
      'SOURCE_KEY_INVALID',
      'EXTERNAL_ID_MISMATCH',
      'STS_TIMEOUT',
      'STS_UNREACHABLE',
      'THROTTLED',
      'UNKNOWN',
    ]) {
      expect([...diagnoses]).toContain(code);
    }
    // The proxy saw AWS hand out temporary credentials: those are secrets too.
    expect(stack.aws!.issuedSecrets.size).toBeGreaterThan(4);
  });
});

describe('no secret anywhere', () => {
  /** The value itself and the forms a careless encoder would produce, plus a middle slice for partial echoes. */
  function needles(): Array<{ secret: string; needle: string }> {
    const secrets = [...canaryValues(), ...stack.aws!.issuedSecrets];
    return secrets.flatMap((secret) => {
      const mid = Math.floor(secret.length / 2);
      const forms = new Set([
        secret,
        encodeURIComponent(secret),
        Buffer.from(secret).toString('base64'),
        JSON.stringify(secret).slice(1, -1),
        secret.slice(mid - 8, mid + 8),
      ]);
      return [...forms].map((needle) => ({ secret: `${secret.slice(0, 6)}…`, needle }));
    });
  }

  function expectClean(sources: Array<{ where: string; text: string }>) {
    const hits: string[] = [];
    for (const { secret, needle } of needles()) {
      for (const { where, text } of sources) {
        if (text.includes(needle)) hits.push(`${secret} in ${where}`);
      }
    }
    expect(hits).toEqual([]);
  }

  it('in any response (body or headers)', () => {
    expect(haystacks.length).toBeGreaterThan(50);
    expectClean(haystacks);
  });

  it('in any log line', () => {
    expect(stack.logs.length).toBeGreaterThan(50);
    expectClean(stack.logs.map((text, i) => ({ where: `log line ${i}: ${text.slice(0, 120)}`, text })));
  });

  it('in any export (AWS CLI profile, scanner command, Markdown report)', () => {
    expect(reports.length).toBeGreaterThan(10);
    expectClean(
      reports.flatMap((r, i) => [
        { where: `awsCliProfile #${i}`, text: awsCliProfile(r) },
        { where: `scannerCommand #${i}`, text: scannerCommand(r) },
        { where: `markdownReport #${i}`, text: markdownReport(r) },
      ]),
    );
  });

  it('reports carry the access key ID masked, never whole', () => {
    for (const r of reports) {
      if (r.request.accessKeyId) expect(r.request.accessKeyId).not.toMatch(/^(AKIA|ASIA)\w{12,}$/);
      if (r.assumed) expect(r.assumed.accessKeyId).not.toMatch(/^(AKIA|ASIA)\w{12,}$/);
    }
  });
});
