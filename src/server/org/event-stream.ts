import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EVENT_STREAM, NDJSON, type OrgEvent } from '../../domain/org-contract.ts';
import { SECURITY_HEADERS } from '../security.ts';

// The run's events on the wire: one JSON object a line (application/x-ndjson), or Server-Sent
// Events (text/event-stream: `event:` the type, `id:` the position, `data:` the JSON, which
// JSON.stringify keeps on one line). Writes wait for the reader: a slow client slows the run
// instead of filling the server's memory.
// https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation

export type StreamFormat = 'ndjson' | 'sse';

/** What the Accept header asks for: SSE if it names it, NDJSON for that, any type, or none; else null. */
export function negotiateStream(accept: string | undefined): StreamFormat | null {
  if (!accept || accept.trim() === '') return 'ndjson';
  const types = accept
    .split(',')
    .map((part) => part.split(';'))
    .filter(([, ...params]) => !params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p)))
    .map(([type]) => (type ?? '').trim().toLowerCase());
  if (types.includes(EVENT_STREAM)) return 'sse';
  if (types.some((t) => t === NDJSON || t === '*/*' || t === 'application/*')) return 'ndjson';
  return null;
}

export function contentTypeOf(format: StreamFormat): string {
  return format === 'sse' ? `${EVENT_STREAM}; charset=utf-8` : `${NDJSON}; charset=utf-8`;
}

export function formatEvent(event: { type: string }, format: StreamFormat, id: number): string {
  const json = JSON.stringify(event);
  return format === 'sse' ? `event: ${event.type}\nid: ${id}\ndata: ${json}\n\n` : `${json}\n`;
}

/** Also writes the streamed verification's events (POST /api/verify, issue 15). */
export class EventWriter<E extends { type: string } = OrgEvent> {
  private written = 0;

  constructor(
    private readonly res: ServerResponse,
    private readonly format: StreamFormat,
  ) {}

  emit = (event: E): void => {
    if (this.res.destroyed || this.res.writableEnded) return;
    this.res.write(formatEvent(event, this.format, ++this.written));
  };

  /** Resolves once the socket took what was written (or the client is gone). */
  drained = (): Promise<void> => {
    if (!this.res.writableNeedDrain || this.res.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.once('drain', done);
      this.res.once('close', done);
    });
  };

  get count(): number {
    return this.written;
  }
}

/**
 * Takes the reply over for a stream (the organization run, its Prowler push, the streamed
 * verification): the status and headers go out at once, and the signal aborts when the client
 * closes the connection before the end. A hijacked reply skips Fastify's own headers, so a
 * session cookie the tenancy just set is carried over.
 */
export function openEventStream<E extends { type: string }>(
  req: FastifyRequest,
  reply: FastifyReply,
  format: StreamFormat,
): { res: ServerResponse; writer: EventWriter<E>; signal: AbortSignal } {
  const cookie = reply.getHeader('set-cookie');
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    ...(typeof cookie === 'string' ? { 'set-cookie': cookie } : {}),
    'content-type': contentTypeOf(format),
    'cache-control': 'no-store',
    'x-request-id': String(req.id),
    // Proxies that buffer (nginx) would hold the events back until the end.
    'x-accel-buffering': 'no',
  });
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return { res, writer: new EventWriter<E>(res, format), signal: controller.signal };
}
