import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { prettyLine } from './log-format.ts';
import { captureLogs, forbiddenCredentials, TEST_EXTERNAL_ID, testConfig } from './test-support.ts';

// npm start on a terminal: one short line per request instead of two JSON objects (issue 17,
// "Start"); JSON stays the format for collectors (LOG_FORMAT=json or output that is not a terminal).

const at = Date.UTC(2026, 0, 2, 10, 42, 7);
const clock = new Date(at).toTimeString().slice(0, 8);

describe('prettyLine', () => {
  it.each([
    [
      'a request',
      {
        level: 30,
        time: at,
        reqId: 'r-1',
        req: { method: 'POST', url: '/api/verify' },
        res: { statusCode: 200 },
        responseTime: 812.4,
        msg: 'request completed',
      },
      `${clock} INFO  POST /api/verify 200 812 ms`,
    ],
    [
      'a warning keeps its request id and fields',
      { level: 40, time: at, reqId: 'r-2', code: 'RATE_LIMITED', msg: 'request refused' },
      `${clock} WARN  request refused code=RATE_LIMITED req=r-2`,
    ],
    [
      'a message with spaces in a field',
      { level: 50, time: at, pid: 1, hostname: 'h', errMessage: 'disk on fire', msg: 'request failed' },
      `${clock} ERROR request failed errMessage="disk on fire"`,
    ],
  ])('%s', (_, entry, line) => {
    expect(prettyLine(JSON.stringify(entry))).toBe(line);
  });

  it('passes a line that is not JSON through', () => {
    expect(prettyLine('not json\n')).toBe('not json');
  });
});

describe('the server log', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function appWith(env: Record<string, string>) {
    const { stream, lines } = captureLogs();
    const app = await buildApp(testConfig(env), {
      externalId: TEST_EXTERNAL_ID,
      defaultCredentials: forbiddenCredentials(),
      logStream: stream,
      webRoot: '/nonexistent',
    });
    close = () => app.close();
    return { app, lines };
  }

  it('has one line per request at info, with method, path, status and time', async () => {
    const { app, lines } = await appWith({ LOG_FORMAT: 'json' });
    await app.inject({ method: 'GET', url: '/api/health?probe=1' });
    await app.inject({ method: 'GET', url: '/api/config' });
    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.req);
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { method: 'GET', url: '/api/health' },
      res: { statusCode: 200 },
      reqId: expect.any(String),
      responseTime: expect.any(Number),
    });
  });

  it('LOG_FORMAT=pretty writes the same lines for people', async () => {
    const { app, lines } = await appWith({ LOG_FORMAT: 'pretty' });
    await app.inject({ method: 'GET', url: '/api/health' });
    expect(lines).toEqual([expect.stringMatching(/^\d\d:\d\d:\d\d INFO {2}GET \/api\/health 200 \d+ ms$/)]);
  });

  it('LOG_LEVEL=debug adds the incoming line', async () => {
    const { app, lines } = await appWith({ LOG_FORMAT: 'json', LOG_LEVEL: 'debug' });
    await app.inject({ method: 'GET', url: '/api/health' });
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['incoming request', 'request completed']);
  });
});
