import { connect, type Socket } from 'node:net';

// HTTP/1.1 written byte for byte on a TCP socket, for what no HTTP client sends as given: request
// targets the client would normalise (percent-escapes, absolute form), broken chunked bodies,
// bodies and headers that arrive a byte at a time.

export interface RawAnswer {
  /** 0 when the server closed the connection without answering. */
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** Splits the bytes the server wrote into status, headers and body (the first answer only). */
export function parseAnswer(raw: string): RawAnswer {
  const split = raw.indexOf('\r\n\r\n');
  const head = split === -1 ? raw : raw.slice(0, split);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  return { status, headers, text: split === -1 ? '' : raw.slice(split + 4) };
}

export async function openSocket(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => undefined);
  socket.setEncoding('utf8');
  return socket;
}

/** Everything the server writes until it closes the connection. */
export function readUntilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.once('close', () => resolve(text));
  });
}

/** One request with `Connection: close`, answered and closed. */
export async function rawRequest(
  port: number,
  method: string,
  target: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<RawAnswer> {
  const headers: Record<string, string> = {
    host: `127.0.0.1:${port}`,
    connection: 'close',
    ...(options.body === undefined
      ? {}
      : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(options.body)) }),
    ...options.headers,
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  const socket = await openSocket(port);
  const answer = readUntilClosed(socket);
  socket.write(`${method} ${target} HTTP/1.1\r\n${head.join('')}\r\n${options.body ?? ''}`);
  return parseAnswer(await answer);
}

/**
 * Writes `head` at once, then `slow` one character at a time, `gapMs` apart, until all is written
 * or the server closes the connection. Resolves to what the server wrote, how many of the slow
 * characters went out, and whether the server closed first.
 */
export async function dribble(
  port: number,
  parts: { head?: string; slow: string; gapMs: number },
): Promise<{ answer: RawAnswer; sent: number; closedByServer: boolean }> {
  const socket = await openSocket(port);
  const received = readUntilClosed(socket);
  let closed = false;
  socket.once('close', () => {
    closed = true;
  });
  if (parts.head) socket.write(parts.head);
  let sent = 0;
  while (sent < parts.slow.length && !closed) {
    socket.write(parts.slow[sent] as string);
    sent++;
    await new Promise((resolve) => setTimeout(resolve, parts.gapMs));
  }
  const closedByServer = closed;
  if (!closed) socket.destroy();
  return { answer: parseAnswer(await received), sent, closedByServer };
}
