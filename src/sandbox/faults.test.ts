import { describe, expect, it } from 'vitest';
import { FaultState } from './faults.ts';

// The fault decisions in isolation, with a scripted random source.

const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
};

describe('FaultState', () => {
  it('fires "next" N times, then stops', () => {
    const f = new FaultState();
    f.set({ throttle: { next: 2 } });
    const kinds = [1, 2, 3].map(() => f.decide('sts', 'GetCallerIdentity').kind);
    expect(kinds).toEqual(['throttle', 'throttle', null]);
    expect(f.snapshot().throttle?.next).toBe(0);
  });

  it('fires "rate" when the random draw is below it', () => {
    const f = new FaultState(sequence(0.1, 0.9, 0.29, 0.3));
    f.set({ serverError: { rate: 0.3, status: 503 } });
    const out = [1, 2, 3, 4].map(() => f.decide('sts', 'AssumeRole'));
    expect(out.map((d) => d.kind)).toEqual(['serverError', null, 'serverError', null]);
    expect(out[0]?.status).toBe(503);
  });

  it.each([
    [['AssumeRole'], 'sts', 'AssumeRole', true],
    [['sts:AssumeRole'], 'sts', 'AssumeRole', true],
    [['iam:AssumeRole'], 'sts', 'AssumeRole', false],
    [['GetRole'], 'sts', 'AssumeRole', false],
  ])('limits to actions %j: %s:%s fires=%s', (actions, service, action, fires) => {
    const f = new FaultState();
    f.set({ reset: { rate: 1, actions } });
    expect(f.decide(service, action).kind).toBe(fires ? 'reset' : null);
  });

  it('applies the top-level actions to latency and to faults without their own', () => {
    const f = new FaultState();
    f.set({ latencyMs: 50, actions: ['AssumeRole'], hang: { rate: 1 } });
    expect(f.decide('sts', 'GetCallerIdentity')).toEqual({ latencyMs: 0, kind: null });
    expect(f.decide('sts', 'AssumeRole')).toEqual({ latencyMs: 50, kind: 'hang' });
  });

  it('tries reset, hang, serverError, throttle, malformed in that order', () => {
    const f = new FaultState();
    f.set({ malformed: { rate: 1 }, throttle: { rate: 1 }, hang: { rate: 1 } });
    expect(f.decide('sts', 'X').kind).toBe('hang');
  });

  it.each([
    [{}, true],
    [{ clockSkewSeconds: 900 }, false],
    [{ clockSkewSeconds: 900, dateHeader: 'send' as const }, true],
    [{ dateHeader: 'omit' as const }, false],
  ])('sends the Date header for %j: %s', (input, send) => {
    const f = new FaultState();
    f.set(input);
    expect(f.sendDateHeader).toBe(send);
  });

  it.each([
    { throttle: { rate: 1.5 } },
    { serverError: { status: 502 } },
    { latencyMs: -1 },
    { bogus: true },
    { throttle: { actions: ['sts:'] } },
  ])('refuses %j', (input) => {
    expect(() => new FaultState().set(input as never)).toThrow();
  });
});
