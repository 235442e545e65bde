import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_IDS, type VerifyReport, verifyReportSchema } from '../domain/diagnosis-contract.ts';
import { readVerifyEvents, type VerifyEvent, verifyEventSchema } from '../domain/verify-stream.ts';
import { role } from './sandbox-cases.ts';
import { type SandboxApp, sandboxApp, TEST_EXTERNAL_ID } from './test-support.ts';

// POST /api/verify as a stream (issue 15), over real HTTP against the sandbox: every check exactly
// once and equal to the report's, the verdict when the first round ends, the report last and equal
// to the JSON answer for the same scenario; errors before the stream stay JSON; closing the stream
// stops the calls not yet sent.

let server: SandboxApp;
let limited: SandboxApp;
beforeAll(async () => {
  server = await sandboxApp({ AWS_CONNECT_AWS_TIMEOUT_MS: '10000' });
  limited = await sandboxApp({ AWS_CONNECT_RATE_LIMIT_PER_MINUTE: '1' });
});
afterAll(async () => {
  await server.close();
  await limited.close();
});

const sdkDefault = (account: string, extra: Record<string, unknown> = {}) => ({
  source: { kind: 'sdk-default' },
  roleArn: role(account),
  externalId: TEST_EXTERNAL_ID,
  ...extra,
});

function post(base: string, body: unknown, accept?: string, signal?: AbortSignal) {
  return fetch(`${base}/api/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}) },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
}

async function streamed(body: unknown): Promise<{ events: VerifyEvent[]; text: string }> {
  const res = await post(server.url, body, 'application/x-ndjson');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
  const text = await res.text();
  const events: VerifyEvent[] = [];
  await readVerifyEvents(new Blob([text]).stream(), (e) => events.push(e));
  return { events, text };
}

/** What differs between two verifications of one scenario: ids, clocks and the session's own values. */
function comparable(report: VerifyReport): unknown {
  let text = JSON.stringify({ ...report, timings: report.timings.map((t) => t.call).sort() });
  const a = report.assumed;
  for (const v of a ? [a.expiration, a.assumedRoleId, a.accessKeyId] : [])
    text = text.split(v).join('<session>');
  return JSON.parse(text, (key, value) => (key === 'requestId' || key === 'finishedAt' ? '<id>' : value));
}

const CASES: Array<[string, Record<string, unknown>]> = [
  ['222222222222 ready', sdkDefault('222222222222')],
  ['333333333333 principal mismatch', sdkDefault('333333333333', { iamPrincipal: 'role/prowler*' })],
  ['444444444444 another trusted account', sdkDefault('444444444444', { trustedAccountId: '121212121212' })],
  ['555555555555 another External ID', sdkDefault('555555555555')],
  ['666666666666 SecurityAudit detached', sdkDefault('666666666666')],
  ['777777777777 External ID not enforced', sdkDefault('777777777777')],
  ['888888888888 nothing deployed', sdkDefault('888888888888')],
  ['222222222222 at 7200 s', sdkDefault('222222222222', { durationSeconds: 7200 })],
];

describe('POST /api/verify with Accept: application/x-ndjson', () => {
  it.each(CASES)(
    '%s: each check once, the verdict, then the report the JSON answer gives',
    async (_n, body) => {
      const { events } = await streamed(body);
      const last = events.at(-1);
      expect(last?.type).toBe('report');
      const report = (last as Extract<VerifyEvent, { type: 'report' }>).report;

      const checks = events.flatMap((e) => (e.type === 'check' ? [e.check] : []));
      expect(checks.map((c) => c.id).sort()).toEqual([...CHECK_IDS].sort());
      for (const check of checks) expect(check).toEqual(report.checks.find((c) => c.id === check.id));

      const verdicts = events.flatMap((e, i) => (e.type === 'verdict' ? [{ e, i }] : []));
      expect(verdicts).toHaveLength(1);
      const { e: verdict, i: at } = verdicts[0] as {
        e: Extract<VerifyEvent, { type: 'verdict' }>;
        i: number;
      };
      expect(verdict.connected).toBe(report.connected);
      expect(verdict.assumed).toEqual(report.assumed);
      const before = events.slice(0, at).flatMap((e) => (e.type === 'check' ? [e.check.id] : []));
      // The checks the verdict rests on come before it; what it leaves pending comes after.
      expect(before).toEqual(expect.arrayContaining(['source-identity', 'assume-role']));
      expect(verdict.pending).toEqual(CHECK_IDS.filter((id) => !before.includes(id)));
      if (report.connected) {
        // The audit can still change the diagnosis: the verdict does not guess it.
        expect(verdict.diagnosis).toBeNull();
      } else {
        expect(verdict.diagnosis).toEqual(report.diagnosis);
        expect(verdict.pending).toEqual([]);
      }

      const json = await post(server.url, body, 'application/json');
      expect(json.headers.get('content-type')).toMatch(/^application\/json/);
      expect(comparable(report)).toEqual(comparable(verifyReportSchema.parse(await json.json())));
    },
  );

  it('an access-key source: no secret of it anywhere in the stream', async () => {
    const keys = server.sandbox.world.serverCredentials('scanner');
    if (!keys) throw new Error('the sandbox has no scanner keys');
    const { text, events } = await streamed({
      ...sdkDefault('222222222222', { iamPrincipal: 'user/prowler-app', trustedAccountId: '111111111111' }),
      source: { kind: 'access-keys', accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey },
    });
    expect(events.at(-1)).toMatchObject({ type: 'report', report: { connected: true } });
    expect(text).not.toContain(keys.secretAccessKey);
  });

  it('Server-Sent Events: the same events, typed and numbered', async () => {
    const res = await post(server.url, sdkDefault('555555555555'), 'text/event-stream');
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const blocks = (await res.text()).split('\n\n').filter(Boolean);
    const parsed = blocks.map((b) => {
      const [event, id, data] = b.split('\n');
      return { event, id, data: verifyEventSchema.parse(JSON.parse((data ?? '').replace(/^data: /, ''))) };
    });
    expect(parsed.map((p) => p.id)).toEqual(parsed.map((_, i) => `id: ${i + 1}`));
    expect(parsed.map((p) => p.event)).toEqual(parsed.map((p) => `event: ${p.data.type}`));
    expect(parsed.map((p) => p.data.type)).toEqual(['check', 'check', 'check', 'check', 'verdict', 'report']);
  });

  it.each([undefined, 'application/json', '*/*'])('Accept %s: the single JSON answer', async (accept) => {
    const res = await post(server.url, sdkDefault('222222222222'), accept);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(verifyReportSchema.parse(await res.json()).ok).toBe(true);
  });

  it('errors before the stream starts are JSON answers: 400 field errors, 429', async () => {
    const bad = await post(
      server.url,
      { ...sdkDefault('222222222222'), roleArn: 'nope' },
      'application/x-ndjson',
    );
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    await (await post(limited.url, sdkDefault('222222222222'), 'application/x-ndjson')).text();
    const limitedRes = await post(limited.url, sdkDefault('222222222222'), 'application/x-ndjson');
    expect(limitedRes.status).toBe(429);
    expect(limitedRes.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('closing the stream aborts the verification: the audit, not yet sent, is never sent', async () => {
    const world = server.sandbox.world;
    world.requestLog.clear();
    // AssumeRole answers late, so the client leaves while it (and the probe) are in flight.
    world.setFaults({ propagationDelayMs: 0, latencyMs: 500, actions: ['sts:AssumeRole'] });
    try {
      const controller = new AbortController();
      const from = server.logs.length;
      const res = await post(
        server.url,
        sdkDefault('222222222222'),
        'application/x-ndjson',
        controller.signal,
      );
      const seen: string[] = [];
      await readVerifyEvents(res.body as ReadableStream<Uint8Array>, (e) => {
        seen.push(e.type === 'check' ? e.check.id : e.type);
        if (e.type === 'check' && e.check.id === 'source-identity') controller.abort();
      }).catch((e: Error) => expect(e.name).toBe('AbortError'));
      expect(seen).toEqual(['source-identity']);
      // The server logs when the verification returned; the sandbox logs the abandoned calls
      // when it answers them. After both, nothing of this verification can still be sent.
      const ended = () => server.logs.slice(from).find((l) => /verification (cancelled|finished)/.test(l));
      while (!ended()) await new Promise((r) => setTimeout(r, 10));
      expect(ended()).toContain('verification cancelled');
      while ((world.requestLog.snapshot().byAction['sts:AssumeRole'] ?? 0) < 2)
        await new Promise((r) => setTimeout(r, 10));
      const { byAction } = world.requestLog.snapshot();
      expect(Object.keys(byAction).filter((a) => a.startsWith('iam:'))).toEqual([]);
    } finally {
      world.setFaults({ propagationDelayMs: 0 });
    }
  });
});
