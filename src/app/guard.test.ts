import { describe, expect, it } from 'vitest';
import type { VerifyReport } from '../domain/diagnosis-contract.ts';
import { type Answers, EMPTY_ANSWERS } from '../features/connect/store/answers.ts';
import { NO_SECRETS, type Secrets } from '../features/connect/store/secrets.ts';
import { firstUnfinished, resolveStep } from './guard.ts';
import { STEPS } from './steps.ts';

// The guard against the real registry: a deep link ahead of the answers goes to the first step
// whose schema the answers do not pass (issue 6, Behaviour).

const REPORT = { requestId: 'r-1' } as unknown as VerifyReport;

function answers(upTo: 'none' | 'source' | 'template' | 'trust' | 'role' | 'verify'): Answers {
  const order = ['source', 'template', 'trust', 'role', 'verify'];
  const n = upTo === 'none' ? 0 : order.indexOf(upTo) + 1;
  const a: Answers = structuredClone(EMPTY_ANSWERS);
  if (n >= 1) a.sourceKind = 'sdk-default';
  if (n >= 2) a.template = { region: 'eu-west-1', stackName: 'ProwlerScan', reviewed: true };
  if (n >= 3) a.trust = { trustedAccountId: '111111111111', iamPrincipal: 'user/prowler-app' };
  if (n >= 4) a.role = { ...a.role, roleArn: 'arn:aws:iam::222222222222:role/ProwlerScan' };
  return a;
}

const input = (a: Answers, secrets: Secrets = NO_SECRETS) => ({
  answers: a,
  secrets,
  defaultRegion: 'us-east-1',
});

describe('resolveStep', () => {
  it.each([
    ['nothing answered, deep link to verify', answers('none'), 'verify', 'source', true],
    ['nothing answered, the first step', answers('none'), 'source', 'source', false],
    ['source chosen, deep link to trust', answers('source'), 'trust', 'template', true],
    ['up to trust, deep link to result', answers('trust'), 'result', 'role', true],
    ['up to role, verify is reachable', answers('role'), 'verify', 'verify', false],
    ['up to role, result needs a report', answers('role'), 'result', 'verify', true],
    ['going back is always allowed', answers('role'), 'template', 'template', false],
    ['an unknown step id', answers('trust'), 'nope', 'role', true],
    ['no step in the URL', answers('trust'), null, 'role', true],
  ] as const)('%s', (_, a, requested, expected, redirected) => {
    const r = resolveStep(STEPS, requested, input(a));
    expect(STEPS[r.index]?.id).toBe(expected);
    expect(r.redirected).toBe(redirected);
  });

  it('a kept report finishes the verify step; a value without a request ID does not', () => {
    // The guard checks only the report's shape (the first screen does not carry its schema); the
    // result step parses it in full and drops one that does not match the contract
    // (e2e/behaviour.spec.ts, "a kept report that no longer matches the contract").
    expect(STEPS[firstUnfinished(STEPS, input({ ...answers('role'), report: REPORT }))]?.id).toBe('result');
    const broken = { ...answers('role'), report: { requestId: 7 } } as unknown as Answers;
    expect(STEPS[firstUnfinished(STEPS, input(broken))]?.id).toBe('verify');
  });

  it('the template step falls back to the server region when none was typed', () => {
    const a = answers('template');
    a.template.region = '';
    expect(STEPS[firstUnfinished(STEPS, input(a))]?.id).toBe('trust');
  });

  it('access keys count only while they are in memory: a reload sends the user back to step 1', () => {
    const a = { ...answers('role'), sourceKind: 'access-keys' as const };
    expect(STEPS[firstUnfinished(STEPS, input(a))]?.id).toBe('source');
    const keys = {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      sessionToken: '',
    };
    expect(STEPS[firstUnfinished(STEPS, input(a, keys))]?.id).toBe('verify');
  });

  it('temporary keys need their session token', () => {
    const a = { ...answers('role'), sourceKind: 'access-keys' as const };
    const keys = {
      accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      sessionToken: '',
    };
    expect(STEPS[firstUnfinished(STEPS, input(a, keys))]?.id).toBe('source');
  });
});

describe('the registry', () => {
  it('lists the six steps of issue 6 in order, each with a title', () => {
    expect(STEPS.map((s) => s.id)).toEqual(['source', 'template', 'trust', 'role', 'verify', 'result']);
    for (const step of STEPS) expect(step.title.length).toBeGreaterThan(0);
  });
});
