import { describe, expect, it } from 'vitest';
import type { OrgEvent } from '../../domain/org-contract.ts';
import { formatEvent, negotiateStream } from './event-stream.ts';

describe('negotiateStream', () => {
  it.each([
    [undefined, 'ndjson'],
    ['', 'ndjson'],
    ['application/x-ndjson', 'ndjson'],
    ['*/*', 'ndjson'],
    ['text/event-stream', 'sse'],
    ['application/json, text/event-stream;q=0.9', 'sse'],
    ['text/event-stream;q=0, application/x-ndjson', 'ndjson'],
    ['application/json', null],
    ['text/html', null],
  ])('%j -> %s', (accept, want) => {
    expect(negotiateStream(accept)).toBe(want);
  });
});

describe('formatEvent', () => {
  const event = {
    type: 'failed',
    runId: 'r',
    failure: { code: 'UNKNOWN', message: 'a\nb', awsError: null, report: null },
  } as OrgEvent;
  it('NDJSON: one line per event', () => {
    const text = formatEvent(event, 'ndjson', 1);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(text)).toEqual(event);
  });
  it('SSE: event, id and one data line', () => {
    const text = formatEvent(event, 'sse', 7);
    const [type, id, data, blank, end] = text.split('\n');
    expect([type, id, blank, end]).toEqual(['event: failed', 'id: 7', '', '']);
    expect(JSON.parse(data?.replace(/^data: /, '') ?? '')).toEqual(event);
  });
});
