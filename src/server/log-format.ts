import type { DestinationStream } from 'pino';

// On a terminal, people read the log: one short line per entry instead of pino's JSON. The JSON
// is still what is formatted (after redaction), so a pretty line can hold nothing the JSON does not.

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** Fields every line has, or that the line already shows in its own words. */
const SHOWN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'req', 'res', 'responseTime', 'reqId']);

function clock(time: unknown): string {
  const date = typeof time === 'number' ? new Date(time) : new Date();
  return date.toTimeString().slice(0, 8);
}

function value(v: unknown): string {
  if (typeof v === 'string') return /\s/.test(v) ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}

/** One pino JSON line as text, e.g. `10:42:07 INFO  POST /api/verify 200 812 ms`. */
export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const level = (LEVELS[entry.level as number] ?? String(entry.level)).padEnd(5);
  const req = entry.req as { method?: string; url?: string } | undefined;
  const res = entry.res as { statusCode?: number } | undefined;
  const parts = [clock(entry.time), level];
  if (req?.method && res?.statusCode !== undefined) {
    const ms = typeof entry.responseTime === 'number' ? ` ${Math.round(entry.responseTime)} ms` : '';
    parts.push(`${req.method} ${req.url ?? ''} ${res.statusCode}${ms}`);
  } else {
    parts.push(String(entry.msg ?? ''));
    if (req?.method) parts.push(`${req.method} ${req.url ?? ''}`);
  }
  const extra = Object.entries(entry)
    .filter(([key]) => !SHOWN.has(key))
    .map(([key, v]) => `${key}=${value(v)}`);
  // A warning or error keeps its request id: it ties the line to the x-request-id a user reports.
  if (typeof entry.reqId === 'string' && (entry.level as number) >= 40) extra.push(`req=${entry.reqId}`);
  return [...parts, ...extra].join(' ');
}

export function prettyDestination(write: (text: string) => void): DestinationStream {
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line) write(`${prettyLine(line)}\n`);
    },
  };
}
