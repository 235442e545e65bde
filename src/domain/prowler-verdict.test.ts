import { describe, expect, it } from 'vitest';
import { PROWLER_ERROR_TEXTS } from '../testing/prowler-texts.ts';
import type { OurVerdict, ProwlerVerdict } from './prowler-api.ts';
import { compareVerdicts, PROWLER_ERROR_RULES, readProwlerResult } from './prowler-verdict.ts';

const ROLE = 'arn:aws:iam::222222222222:role/ProwlerScan';
const EXTERNAL_ID = '4b7c2b1e-9a39-4d0f-9a6e-3e1f2c6b8d10';
const pushed = { roleArn: ROLE, externalId: EXTERNAL_ID, accountId: '222222222222' };
const ours = (over: Partial<OurVerdict> = {}): OurVerdict => ({
  code: 'OK',
  connected: true,
  sourceKind: 'access-keys',
  callerArn: 'arn:aws:iam::111111111111:user/alice',
  roleArn: ROLE,
  externalId: EXTERNAL_ID,
  ...over,
});
const failedWith = (text: string): ProwlerVerdict => readProwlerResult({ connected: false, error: text });
const CONNECTED: ProwlerVerdict = { connected: true, error: null, diagnosis: null };

describe('Prowler error texts -> our diagnosis codes', () => {
  it.each(PROWLER_ERROR_TEXTS)('"$text" -> $code ($rule)', ({ text, code, rule, confidence }) => {
    expect(failedWith(text)).toMatchObject({
      connected: false,
      error: text,
      diagnosis: { code, rule, confidence },
    });
  });

  it('every rule but the catch-alls is held by a known text', () => {
    const held = new Set(PROWLER_ERROR_TEXTS.map((t) => t.rule));
    const untested = PROWLER_ERROR_RULES.map((r) => r.id).filter(
      (id) => !held.has(id) && !['parameter-validation', 'other-prowler-error', 'unrecognised'].includes(id),
    );
    expect(untested).toEqual([]);
  });

  it('names the endpoint the worker could not reach', () => {
    expect(failedWith(PROWLER_ERROR_TEXTS[4]!.text).diagnosis?.summary).toContain('http://127.0.0.1:1/');
  });

  it('a bare AccessDenied of the worker is a suspected trust-side cause, with the other candidates', () => {
    const v = failedWith(
      'AWSAssumeRoleError[1012]: AWS assume role error - An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:iam::999999999999:user/prowler-worker is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/ProwlerScan',
    );
    expect(v.diagnosis).toMatchObject({
      code: 'TRUST_PRINCIPAL_MISMATCH',
      confidence: 'suspected',
      candidates: ['TRUST_ACCOUNT_MISMATCH', 'EXTERNAL_ID_MISMATCH'],
    });
    expect(v.diagnosis?.summary).toContain('arn:aws:iam::999999999999:user/prowler-worker');
  });

  it('another Prowler error, or any other text, is UNKNOWN and kept verbatim', () => {
    expect(failedWith('AWSSessionTokenExpiredError[1099]: boom').diagnosis).toMatchObject({
      code: 'UNKNOWN',
      rule: 'other-prowler-error',
    });
    expect(failedWith('something else')).toMatchObject({
      error: 'something else',
      diagnosis: { code: 'UNKNOWN', rule: 'unrecognised' },
    });
  });

  it('control characters are taken out of the text, line breaks kept', () => {
    expect(failedWith('a\u0000b\u001b[31mc\nd').error).toBe('a b [31mc\nd');
  });
});

describe('two verdicts side by side', () => {
  it('both connected: agree; a warning of ours still stands (Prowler checks no permission)', () => {
    expect(compareVerdicts(ours(), CONNECTED, pushed).agreement).toBe('agree');
    const w = compareVerdicts(ours({ code: 'PERMISSIONS_INCOMPLETE' }), CONNECTED, pushed);
    expect(w.explanation.join(' ')).toContain('PERMISSIONS_INCOMPLETE still stands');
  });

  it('ours connected with the browser keys, Prowler refused: the caller differs', () => {
    const c = compareVerdicts(
      ours(),
      failedWith(
        'AWSAssumeRoleError[1012]: AWS assume role error - An error occurred (AccessDenied) when calling the AssumeRole operation: User: x is not authorized to perform: sts:AssumeRole on resource: y',
      ),
      pushed,
    );
    expect(c.agreement).toBe('disagree');
    expect(c.explanation[0]).toContain(
      'access keys pasted in the browser as arn:aws:iam::111111111111:user/alice',
    );
    expect(c.explanation[0]).toContain('the caller differs');
  });

  it('Prowler checks the account against the uid; ours only when given one', () => {
    const c = compareVerdicts(
      ours({ sourceKind: 'sdk-default' }),
      failedWith(PROWLER_ERROR_TEXTS[1]!.text),
      pushed,
    );
    expect(c.explanation.join(' ')).toContain('provider’s account ID (222222222222)');
    expect(c.explanation[0]).toContain('this server’s own default credentials');
  });

  it('ours refused, Prowler connected: the role admits Prowler’s identity', () => {
    const c = compareVerdicts(
      ours({ code: 'TRUST_PRINCIPAL_MISMATCH', connected: false }),
      CONNECTED,
      pushed,
    );
    expect(c).toMatchObject({ agreement: 'disagree' });
    expect(c.explanation[0]).toContain('TRUST_PRINCIPAL_MISMATCH');
  });

  it('different settings are said, and no verdict of ours is said too', () => {
    const c = compareVerdicts(ours({ externalId: 'another-one-00' }), CONNECTED, pushed);
    expect(c.explanation.join(' ')).toContain('different settings');
    expect(compareVerdicts(null, CONNECTED, pushed).agreement).toBe('none');
  });
});
