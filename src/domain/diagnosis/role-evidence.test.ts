import { describe, expect, it } from 'vitest';
import { doctorOutput, getRoleOutput, NO_SUCH_ENTITY } from '../../testing/role-evidence.ts';
import { fieldErrorsFrom } from '../field-errors.ts';
import { verifyRequestSchema } from '../verify-request.ts';
import { evidenceMismatch, parseRoleEvidence, ROLE_EVIDENCE_MAX_CHARS } from './role-evidence.ts';

// Every form of role evidence a user may paste back, and what hostile or broken text gets: one
// message for the roleEvidence field, never the pasted text echoed, never a throw.

const PARAMS = { ExternalId: 'ext-issued-0001', AccountId: '111111111111', IAMPrincipal: 'role/prowler*' };
const pretty = (v: unknown) => JSON.stringify(v, null, 4);
/** What the doctor's shell command prints: indentation and newlines dropped. */
const compact = (v: unknown) => pretty(v).replace(/^ */gm, '').replace(/\n/g, '');

describe('accepted forms', () => {
  it.each([
    ['the doctor’s output', compact(doctorOutput('333333333333', PARAMS))],
    ['the doctor’s output, pretty-printed', pretty(doctorOutput('333333333333', PARAMS))],
    ['get-role output, policy decoded (aws CLI)', pretty(getRoleOutput('333333333333', PARAMS))],
    [
      'get-role output, policy URL-encoded (IAM API)',
      pretty(getRoleOutput('333333333333', PARAMS, { encoded: true })),
    ],
    [
      'get-role output with spaces and a trailing newline around it',
      `\n  ${pretty(getRoleOutput('333333333333', PARAMS))}\n\n`,
    ],
  ])('%s', (_label, text) => {
    const parsed = parseRoleEvidence(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok || !parsed.evidence.found) throw new Error('expected a found role');
    expect(parsed.evidence.arn).toBe('arn:aws:iam::333333333333:role/ProwlerScan');
    expect(parsed.evidence.accountId).toBe('333333333333');
    expect(parsed.evidence.trustPolicy).toMatchObject({
      Statement: [
        { Condition: { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/prowler*' } } },
      ],
    });
  });

  it('the doctor’s output carries the stack, the policies and the tags', () => {
    const parsed = parseRoleEvidence(compact(doctorOutput('333333333333', PARAMS)));
    if (!parsed.ok || !parsed.evidence.found) throw new Error('expected a found role');
    expect(parsed.evidence.stack).toMatchObject({
      name: 'ProwlerScan',
      status: 'CREATE_COMPLETE',
      parameters: PARAMS,
    });
    expect(parsed.evidence.attachedPolicyArns).toEqual([
      'arn:aws:iam::aws:policy/SecurityAudit',
      'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
    ]);
    expect(parsed.evidence.inlinePolicyNames).toEqual(['ProwlerScanAdditions']);
    expect(parsed.evidence.tags).toEqual([{ Key: 'team', Value: 'security' }]);
  });

  it.each([
    ['the aws CLI’s NoSuchEntity text (AWS wording)', NO_SUCH_ENTITY, 'ProwlerScan'],
    ['with the blank line the CLI prints first', `\n${NO_SUCH_ENTITY}\n`, 'ProwlerScan'],
    [
      'moto’s wording',
      'An error occurred (NoSuchEntity) when calling the GetRole operation: Role ProwlerScan not found',
      'ProwlerScan',
    ],
    [
      'the doctor’s output for a missing role',
      compact(doctorOutput('888888888888', PARAMS, { missing: true })),
      'ProwlerScan',
    ],
  ])('no such role: %s', (_label, text, name) => {
    const parsed = parseRoleEvidence(text);
    expect(parsed).toMatchObject({ ok: true, evidence: { found: false, name } });
  });

  it('a missing role’s doctor output keeps the stack’s state (a failed stack holds no role)', () => {
    const parsed = parseRoleEvidence(
      compact(doctorOutput('888888888888', PARAMS, { missing: true, stackStatus: 'ROLLBACK_COMPLETE' })),
    );
    expect(parsed).toMatchObject({
      ok: true,
      evidence: { found: false, stack: { status: 'ROLLBACK_COMPLETE' } },
    });
  });
});

const SECRETISH = 'the-customer-wrote-this-0123456789';

describe('refused input: one message for the field, the text never echoed', () => {
  it.each([
    ['empty', '', /is empty/],
    ['only spaces', '   \n ', /is empty/],
    ['plain prose', `hello ${SECRETISH}`, /not output we recognise/],
    ['cut-off JSON', pretty(getRoleOutput('333333333333', PARAMS)).slice(0, 200), /not valid JSON/],
    ['JSON with a secret-looking key', `{"${SECRETISH}": 1`, /not valid JSON/],
    ['a JSON array', `["${SECRETISH}"]`, /not output we recognise/],
    ['a JSON string', '"{}"', /not output we recognise/],
    [
      'another JSON object',
      `{"Stacks": [], "x": "${SECRETISH}"}`,
      /neither the doctor’s output nor get-role’s/,
    ],
    [
      'get-role without a policy',
      '{"Role": {"RoleName": "ProwlerScan", "Arn": "arn:aws:iam::333333333333:role/ProwlerScan"}}',
      /AssumeRolePolicyDocument/,
    ],
    [
      'a Role.Arn that is no role ARN',
      `{"Role": {"RoleName": "x", "Arn": "${SECRETISH}", "AssumeRolePolicyDocument": {}}}`,
      /not an IAM role ARN/,
    ],
    [
      'a policy string that is not JSON',
      '{"Role": {"RoleName": "x", "Arn": "arn:aws:iam::333333333333:role/x", "AssumeRolePolicyDocument": "%7Bnope"}}',
      /not a JSON policy/,
    ],
    [
      'AccessDenied instead of the role',
      'An error occurred (AccessDenied) when calling the GetRole operation: User: arn:aws:iam::333333333333:user/x is not authorized',
      /AccessDenied.*administrator/,
    ],
    [
      'doctor output of another format version',
      '{"awsConnectDoctor": 99, "getRole": {"error": "x"}}',
      /another version/,
    ],
    [
      'doctor output whose get-role failed without a reason',
      '{"awsConnectDoctor": 1, "getRole": {"error": "Could not connect to the endpoint URL"}}',
      /does not say why/,
    ],
    ['deeply nested JSON', `${'['.repeat(5000)}${']'.repeat(5000)}`, /not output we recognise/],
    ['deeply nested objects', `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`, /neither the doctor’s output/],
    [
      'prototype keys',
      `{"__proto__": {"Role": 1}, "constructor": {"prototype": {"x": "${SECRETISH}"}}}`,
      /neither the doctor’s output/,
    ],
    ['NUL and control characters', `{"Role":\u0000\u0007}`, /not valid JSON/],
    ['oversized', `{"Role": "${'x'.repeat(ROLE_EVIDENCE_MAX_CHARS)}"}`, /at most 16,000 are read/],
  ])('%s', (_label, text, message) => {
    const parsed = parseRoleEvidence(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.message).toMatch(/^roleEvidence/);
    expect(parsed.message).toMatch(message);
    expect(parsed.message).not.toContain(SECRETISH);
    expect(parsed.message.length).toBeLessThan(400);
  });

  it('is not text at all', () => {
    expect(parseRoleEvidence({ Role: {} } as unknown)).toMatchObject({ ok: false });
  });
});

describe('the request schema: one schema for the form and the server', () => {
  const base = {
    source: { kind: 'sdk-default' },
    roleArn: 'arn:aws:iam::333333333333:role/ProwlerScan',
    externalId: 'ext-issued-0001',
  };
  const errors = (roleEvidence: unknown) => {
    const r = verifyRequestSchema.safeParse({ ...base, roleEvidence });
    return r.success ? [] : fieldErrorsFrom(r.error);
  };

  it('parses the evidence into its one shape', () => {
    const r = verifyRequestSchema.parse({ ...base, roleEvidence: NO_SUCH_ENTITY });
    expect(r.roleEvidence).toMatchObject({ found: false, name: 'ProwlerScan' });
  });

  it.each([
    ['garbage', 'nope', /not output we recognise/],
    ['a number', 42, /must be text/],
    ['oversized', 'x'.repeat(ROLE_EVIDENCE_MAX_CHARS + 1), /too long/],
    [
      'another account’s role',
      pretty(getRoleOutput('444444444444', PARAMS)),
      /account 444444444444.*333333333333/,
    ],
    ['another role', pretty(getRoleOutput('333333333333', PARAMS, { name: 'Other' })), /the role Other/],
    ['no such role of another name', NO_SUCH_ENTITY.replace('ProwlerScan', 'Other'), /no role Other/],
  ])('%s -> a roleEvidence field error', (_label, value, message) => {
    const e = errors(value);
    expect(e).toHaveLength(1);
    expect(e[0]?.path).toBe('roleEvidence');
    expect(e[0]?.message).toMatch(message);
  });

  it('keeps a role of the same name under another path: it proves the ARN names no role', () => {
    const e = parseRoleEvidence(pretty(getRoleOutput('333333333333', PARAMS, { path: '/team/' })));
    if (!e.ok) throw new Error(e.message);
    expect(evidenceMismatch(e.evidence, { accountId: '333333333333', name: 'ProwlerScan' })).toBeNull();
  });
});
