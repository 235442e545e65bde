import { describe, expect, it } from 'vitest';
import { trustPolicyFor } from '../../domain/template/role-template.ts';
import { evaluate, parsePolicyText } from '../../domain/trust/evaluate.ts';
import { MAX_POLICY_CHARS, MAX_POLICY_TEXT_CHARS } from '../../domain/trust/limits.ts';
import { policyTextFrom, simulate } from './simulator-model.ts';
import { trustChainModel } from './trust-chain-model.ts';

// Real evaluator, real ARN conversion: these tests exercise the simulator end to end minus React.

const ID = 'a1b2c3d4e5f6a7b8c9d0';
// The template's own trust policy, as the wizard hands it to the simulator.
const POLICY = trustPolicyFor({
  partition: 'aws',
  trustedAccountId: '111122223333',
  iamPrincipal: 'role/prowler*',
  externalId: ID,
});
const TEXT = policyTextFrom(POLICY);
const SESSION = 'arn:aws:sts::111122223333:assumed-role/prowler-scan/worker-1';

function failing(callerArn: string, externalId: string) {
  const sim = simulate({ policyText: TEXT, callerArn, externalId });
  const model = sim.result ? trustChainModel(sim.result.evaluation) : null;
  return { sim, failing: model?.primary?.links.filter((l) => l.status === 'fail').map((l) => l.title) };
}

describe('simulate', () => {
  it('admits an assumed-role session of a prowler* role with the right External ID', () => {
    const { sim, failing: fails } = failing(SESSION, ID);
    expect(sim.result?.evaluation.decision).toBe('allow');
    expect(sim.result).toMatchObject({
      principalArn: 'arn:aws:iam::111122223333:role/prowler-scan',
      pathUnknown: true,
      callerArn: SESSION,
    });
    expect(fails).toEqual([]);
    expect([sim.policyError, sim.callerError, sim.externalIdNote]).toEqual([null, null, null]);
  });

  it.each([
    ['a wrong External ID', SESSION, 'something-else', ['StringEquals sts:ExternalId']],
    ['no External ID at all', SESSION, '', ['StringEquals sts:ExternalId']],
    [
      'a role outside prowler*',
      'arn:aws:iam::111122223333:role/scanner',
      ID,
      ['StringLike aws:PrincipalArn'],
    ],
    [
      'another account',
      'arn:aws:iam::444455556666:role/prowler-scan',
      ID,
      ['Principal', 'StringLike aws:PrincipalArn'],
    ],
  ])('denies %s and names the failing link', (_name, callerArn, externalId, expected) => {
    const { sim, failing: fails } = failing(callerArn, externalId);
    expect(sim.result?.evaluation.decision).toBe('deny');
    expect(fails).toEqual(expected);
  });

  it.each([
    ['bad JSON', '{"Version": "2012-10-17",', /not valid JSON/],
    ['an empty box', '   ', /empty/],
    ['a JSON array', '[]', /JSON object/],
    ['deep nesting', '['.repeat(MAX_POLICY_TEXT_CHARS - 1), /./],
    ['too much text', `${TEXT}${' '.repeat(MAX_POLICY_TEXT_CHARS)}`, /reads at most 100,000/],
    [
      'a document larger than IAM allows',
      JSON.stringify({ ...POLICY, Id: 'x'.repeat(MAX_POLICY_CHARS) }),
      /more than 10,240 characters \(white space not counted\)/,
    ],
  ])('reports %s on the policy field instead of throwing', (_name, policyText, message) => {
    const sim = simulate({ policyText, callerArn: SESSION, externalId: ID });
    expect(sim.result).toBeNull();
    expect(sim.policyError).toMatch(message);
    expect(sim.callerError).toBeNull();
  });

  it('carries problems of a well-formed but odd document into the evaluation', () => {
    const sim = simulate({ policyText: '{"Version":"2012-10-17"}', callerArn: SESSION, externalId: ID });
    expect(sim.result?.evaluation.decision).toBe('deny');
    expect(sim.result?.evaluation.policyErrors.join(' ')).toMatch(/no Statement/);
  });

  it.each([
    ['empty', '', /Enter the caller/],
    ['not an ARN', 'prowler-scan', /not an AWS principal ARN/],
    ['too long', `arn:aws:iam::111122223333:role/${'a'.repeat(2100)}`, /at most 2,048/],
  ])('reports a caller that is %s', (_name, callerArn, message) => {
    const sim = simulate({ policyText: TEXT, callerArn, externalId: ID });
    expect(sim.result).toBeNull();
    expect(sim.callerError).toMatch(message);
  });

  it('notes an External ID AWS would refuse, but still evaluates', () => {
    const sim = simulate({ policyText: TEXT, callerArn: SESSION, externalId: 'has space' });
    expect(sim.externalIdNote).toMatch(/AWS would reject/);
    expect(sim.result?.evaluation.decision).toBe('deny');
  });

  it('refuses an oversized document with the same words as the CLI (one evaluator)', () => {
    const text = JSON.stringify({ ...POLICY, Id: 'x'.repeat(MAX_POLICY_CHARS) });
    const parsed = parsePolicyText(text);
    expect('error' in parsed && parsed.error).toBe(
      simulate({ policyText: text, callerArn: SESSION, externalId: ID }).policyError,
    );
  });

  // `*a*a*…*b` against a run of "a": exponential for a backtracking matcher, so this would never
  // finish; the segment matcher (glob.ts) answers it like any other policy.
  it('answers a pathological pattern', () => {
    const pattern = `${'*a'.repeat(1_000)}*b`;
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'sts:AssumeRole',
          Condition: { StringLike: { 'aws:PrincipalArn': pattern, 'sts:ExternalId': pattern } },
        },
      ],
    });
    expect(policy.length).toBeLessThan(MAX_POLICY_CHARS);
    const sim = simulate({
      policyText: policy,
      callerArn: `arn:aws:iam::111122223333:role/${'a'.repeat(60)}`,
      externalId: 'a'.repeat(1_200),
    });
    expect(sim.policyError).toBeNull();
    const model = sim.result ? trustChainModel(sim.result.evaluation) : null;
    expect(model?.decision).toBe('deny');
    const admitted = evaluate(JSON.parse(policy), {
      principalArn: `arn:aws:iam::111122223333:role/${'a'.repeat(1_200)}b`,
      context: { 'sts:ExternalId': `${'a'.repeat(1_200)}b` },
    });
    expect(admitted.decision).toBe('allow');
  });
});

describe('policyTextFrom', () => {
  it.each([
    ['nothing', undefined, ''],
    ['null', null, ''],
    ['text as is', '{ "a": 1 }', '{ "a": 1 }'],
    ['an object, pretty-printed', { a: 1 }, '{\n  "a": 1\n}'],
  ])('%s', (_name, input, expected) => {
    expect(policyTextFrom(input)).toBe(expected);
  });

  it('gives an empty box for a value JSON cannot hold', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(policyTextFrom(cyclic)).toBe('');
  });
});
