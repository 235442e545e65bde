import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API } from '../domain/api-contract.ts';
import { ROLE_EVIDENCE_MAX_CHARS } from '../domain/diagnosis/role-evidence.ts';
import { verifyReportSchema } from '../domain/diagnosis-contract.ts';
import { factValues } from '../testing/facts.ts';
import { getRoleFromSandbox } from '../testing/role-evidence.ts';
import { role } from './sandbox-cases.ts';
import { type SandboxApp, sandboxApp, TEST_EXTERNAL_ID } from './test-support.ts';

// The demo rows a newcomer reaches with the wizard's default step-3 values (AccountId of the
// detected identity, IAMPrincipal role/prowler*), through the real server: first the suspected
// cause with its candidates, then, with the role's real state pasted back (roleEvidence), the
// confirmed one. The evidence is built from the sandbox's own state of each account.

let server: SandboxApp;
beforeAll(async () => {
  server = await sandboxApp({ AWS_CONNECT_AWS_TIMEOUT_MS: '10000' });
});
afterAll(() => server.close());

const DEFAULT_STEP3 = { trustedAccountId: '111111111111', iamPrincipal: 'role/prowler*' };

async function verify(account: string, extra: Record<string, unknown> = {}) {
  const res = await fetch(`${server.url}${API.verify}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      source: { kind: 'sdk-default' },
      roleArn: role(account),
      externalId: TEST_EXTERNAL_ID,
      ...DEFAULT_STEP3,
      ...extra,
    }),
  });
  return { status: res.status, text: await res.text() };
}

describe('each demo row with the default step-3 values: suspected first, confirmed with evidence', () => {
  it.each([
    ['333333333333', 'TRUST_PRINCIPAL_MISMATCH'],
    ['444444444444', 'TRUST_ACCOUNT_MISMATCH'],
    ['555555555555', 'EXTERNAL_ID_MISMATCH'],
    ['888888888888', 'ROLE_NOT_FOUND'],
  ])('%s -> %s', async (account, confirmed) => {
    const before = verifyReportSchema.parse(JSON.parse((await verify(account)).text));
    expect(before.diagnosis.confidence).toBe('suspected');
    expect(before.guidance.title).toBe('AWS refused and does not say why');
    // role/prowler* contradicts the user the scanner runs as: that candidate first, all four kept.
    expect(before.diagnosis.candidates.map((c) => c.code)).toEqual([
      'TRUST_PRINCIPAL_MISMATCH',
      'EXTERNAL_ID_MISMATCH',
      'ROLE_NOT_FOUND',
      'TRUST_ACCOUNT_MISMATCH',
    ]);
    expect(before.guidance.steps[0]).toMatchObject({ runIn: 'target-account' });
    expect(before.guidance.steps[0]?.command).toMatch(/^r=ProwlerScan g=us-east-1 s=ProwlerScan; /);

    const after = await verify(account, { roleEvidence: getRoleFromSandbox(server.sandbox.world, account) });
    expect(after.status, after.text).toBe(200);
    const report = verifyReportSchema.parse(JSON.parse(after.text));
    expect(report.diagnosis).toMatchObject({ code: confirmed, confidence: 'confirmed', candidates: [] });
    expect(report.guidance.title).not.toBe('AWS refused and does not say why');
    expect(report.guidance.confidence).toBe('confirmed');
    if (confirmed !== 'ROLE_NOT_FOUND') expect(report.trust?.basis).toBe('role-evidence');
    for (const step of report.guidance.steps) if (step.command) expect(step.runIn).toBe('target-account');
  });

  it('777 with evidence: the warning stays, the fix is built from the caller that connected', async () => {
    const res = await verify('777777777777', {
      roleEvidence: getRoleFromSandbox(server.sandbox.world, '777777777777'),
    });
    const report = verifyReportSchema.parse(JSON.parse(res.text));
    expect(report.diagnosis.code).toBe('EXTERNAL_ID_NOT_ENFORCED');
    expect(report.trust?.basis).toBe('role-evidence');
    const lead = report.guidance.steps[0]?.command ?? '';
    expect(lead).toMatch(/^aws iam update-assume-role-policy --role-name ProwlerScan --policy-document '/);
    // Built from user/prowler-app, which just connected, not from the role/prowler* typed in step 3.
    expect(lead).toContain('arn:aws:iam::111111111111:user/prowler-app');
    expect(lead).not.toContain('role/prowler*');
  });
});

describe('roleEvidence is bounded, validated as a field, and never echoed', () => {
  const CANARY = 'canary-7f1d2c9e-in-the-pasted-text';

  it.each([
    ['prose', `this is not it ${CANARY}`, /not output we recognise/],
    ['cut-off JSON', `{"Role": {"RoleName": "${CANARY}"`, /not valid JSON/],
    ['another account’s role', 'ANOTHER_ACCOUNT', /account 444444444444/],
    ['oversized', `{"x":"${CANARY}${'a'.repeat(ROLE_EVIDENCE_MAX_CHARS)}"}`, /too long/],
  ])('%s: 400 with a roleEvidence field error, no stack trace, no echo', async (_label, text, message) => {
    const evidence =
      text === 'ANOTHER_ACCOUNT' ? getRoleFromSandbox(server.sandbox.world, '444444444444') : text;
    const res = await verify('333333333333', { roleEvidence: evidence });
    expect(res.status).toBe(400);
    const body = JSON.parse(res.text) as {
      error: { code: string; fields: { path: string; message: string }[] };
    };
    expect(body.error.code).toBe('INVALID_INPUT');
    expect(body.error.fields[0]?.path).toBe('roleEvidence');
    expect(body.error.fields[0]?.message).toMatch(message);
    expect(res.text).not.toContain(CANARY);
    expect(res.text).not.toMatch(/at .*\.ts:\d+|Error:/);
  });

  it('larger than the body limit: 413 before anything is parsed', async () => {
    const res = await verify('333333333333', { roleEvidence: 'x'.repeat(40_000) });
    expect(res.status).toBe(413);
  });

  it('an accepted evidence is used, not echoed: the report and the logs hold none of its other text', async () => {
    const doc = JSON.parse(getRoleFromSandbox(server.sandbox.world, '333333333333'));
    doc.Role.Description = CANARY;
    doc.Role.RoleLastUsed = { Region: CANARY };
    const res = await verify('333333333333', { roleEvidence: JSON.stringify(doc) });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(CANARY);
    expect(server.logs.join('\n')).not.toContain(CANARY);
    const report = verifyReportSchema.parse(JSON.parse(res.text));
    expect(report.diagnosis.code).toBe('TRUST_PRINCIPAL_MISMATCH');
    expect(factValues(report.diagnosis.facts).rolePrincipalArnPatterns).toBe(
      'arn:aws:iam::111111111111:role/prowler*',
    );
    expect(JSON.stringify(report.request)).not.toContain('roleEvidence');
  });
});
