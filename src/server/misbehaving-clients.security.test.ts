import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, errorBodySchema } from '../domain/api-contract.ts';
import { type LiveStack, okVerifyBody, startLiveStack } from '../testing/live-stack.ts';
import { dribble, openSocket, parseAnswer, rawRequest, readUntilClosed } from '../testing/raw-http.ts';
import { buildApp } from './app.ts';
import { captureLogs, forbiddenCredentials, TEST_EXTERNAL_ID, testConfig } from './test-support.ts';

// Issue 11, item 5: a client that sends its request a byte at a time, or keeps a connection open
// and says nothing, must not hold a connection (and its memory) for ever. The timeouts are small
// here so that the tests are short; the defaults are in the README.

let app: FastifyInstance;
let port: number;
let logs: string[];

beforeAll(async () => {
  const captured = captureLogs();
  logs = captured.lines;
  app = await buildApp(
    testConfig({
      AWS_CONNECT_HEADERS_TIMEOUT_MS: '300',
      AWS_CONNECT_REQUEST_TIMEOUT_MS: '600',
      AWS_CONNECT_KEEP_ALIVE_TIMEOUT_MS: '300',
    }),
    {
      externalId: TEST_EXTERNAL_ID,
      defaultCredentials: forbiddenCredentials(),
      logStream: captured.stream,
      webRoot: '/nonexistent',
    },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});
afterAll(() => app?.close());

const head = (extra: string) =>
  `POST ${API.verify} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n${extra}`;

/** The log lines written since `from`, parsed. */
const logsSince = (from: number) =>
  logs.slice(from).map((line) => JSON.parse(line) as Record<string, unknown>);

describe('slow requests are cut off', () => {
  it('a body that arrives a byte at a time: 408 and the connection closed, long before it ends', async () => {
    const from = logs.length;
    const body = JSON.stringify({ pad: 'x'.repeat(300) });
    const { answer, sent, closedByServer } = await dribble(port, {
      head: `${head(`Content-Length: ${body.length}\r\n`)}\r\n`,
      slow: body,
      gapMs: 50,
    });
    expect(closedByServer, `the server kept the connection through all ${sent} bytes`).toBe(true);
    expect(sent).toBeLessThan(body.length);
    expect(answer.status, answer.text).toBe(408);
    expect(errorBodySchema.parse(JSON.parse(answer.text)).error.code).toBe('REQUEST_TIMEOUT');
    await expect
      .poll(() => logsSince(from).find((l) => l.msg === 'request refused'))
      .toMatchObject({ statusCode: 408, code: 'REQUEST_TIMEOUT' });
    expect(logsSince(from).filter((l) => Number(l.level) >= 50)).toEqual([]);
  });

  it('headers that arrive a byte at a time: 408 and the connection closed', async () => {
    const { answer, sent, closedByServer } = await dribble(port, {
      slow: head(`X-Pad: ${'a'.repeat(300)}\r\n`),
      gapMs: 50,
    });
    expect(closedByServer, `the server kept the connection through all ${sent} bytes`).toBe(true);
    expect(answer.status, answer.text).toBe(408);
  });

  it('a connection that never sends a byte is closed', async () => {
    const socket = await openSocket(port);
    const raw = await readUntilClosed(socket);
    // Nothing was asked: an answer is optional, a 2xx would be wrong.
    expect([0, 408]).toContain(parseAnswer(raw).status);
  });

  it('an idle keep-alive connection is closed after its answer', async () => {
    const socket = await openSocket(port);
    const closed = readUntilClosed(socket);
    socket.write(`GET ${API.health} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    const raw = await closed;
    expect(parseAnswer(raw).status).toBe(200);
    expect(raw).not.toMatch(/connection: close/i);
  });

  it('a request that arrives in time is answered as before', async () => {
    const answer = await rawRequest(port, 'GET', API.health);
    expect(answer.status).toBe(200);
  });
});

describe('the request timeout bounds the request, not the answer', () => {
  let stack: LiveStack;
  beforeAll(async () => {
    stack = await startLiveStack({
      env: { AWS_CONNECT_HEADERS_TIMEOUT_MS: '300', AWS_CONNECT_REQUEST_TIMEOUT_MS: '600' },
    });
  });
  afterAll(() => stack?.close());

  it('a verification that takes longer than the request timeout is still answered', async () => {
    // Two rounds of AWS calls, each at least 400 ms: the answer comes well after 600 ms.
    stack.sandbox.world.setFaults({ latencyMs: 400 });
    const answer = await rawRequest(Number(new URL(stack.url).port), 'POST', API.verify, {
      body: JSON.stringify(okVerifyBody()),
    });
    expect(answer.status, answer.text.slice(0, 300)).toBe(200);
    expect(JSON.parse(answer.text).diagnosis.code).toBe('OK');
  });
});

describe('a malformed chunked body', () => {
  // The headers, then what follows them; built when the test runs, once the port is known.
  it.each<[string, (headers: string) => string[]]>([
    ['a chunk size that is not hex, with the headers', (h) => [`${h}zz\r\n{}\r\n0\r\n\r\n`]],
    ['a chunk size that is not hex, after a good chunk', (h) => [h, '2\r\n{}\r\n', 'zz\r\n']],
    ['chunk data without its CRLF', (h) => [h, '2\r\n{}XX\r\n0\r\n\r\n']],
    ['a chunk size of 2^68', (h) => [h, '100000000000000000\r\n']],
  ])('%s: 400 with an error body, logged without a stack', async (_name, make) => {
    const packets = make(`${head('Transfer-Encoding: chunked\r\n')}\r\n`);
    const from = logs.length;
    const socket = await openSocket(port);
    const closed = readUntilClosed(socket);
    for (const packet of packets) {
      socket.write(packet);
      // Separate packets: the parser sees the headers before the broken part.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const answer = parseAnswer(await closed);
    expect(answer.status, answer.text).toBe(400);
    expect(errorBodySchema.parse(JSON.parse(answer.text)).error.code).toBe('BAD_REQUEST');
    // The request Node had already handed over is logged as refused (400), not as a failure.
    await expect.poll(() => logsSince(from).some((l) => l.msg === 'request refused')).toBe(true);
    const lines = logsSince(from);
    expect(lines.filter((l) => Number(l.level) >= 50)).toEqual([]);
    expect(lines.filter((l) => 'stack' in l || JSON.stringify(l).includes('    at '))).toEqual([]);
    // Logged as what the client was told.
    expect(lines.find((l) => l.msg === 'request refused')).toMatchObject({
      statusCode: 400,
      code: 'BAD_REQUEST',
    });
  });
});
