import { describe, expect, it } from 'vitest';
import { type Answers, EMPTY_ANSWERS } from './answers.ts';
import { detectedApplied, fillFromDetection, originAfterEdit } from './detected-trust.ts';

// Step 1 found the scanner (an IAM user): the trust settings nobody typed take its values, so step
// 2's template and commands admit it; what the user typed stays theirs (issue 17).

const SUGGESTION = { trustedAccountId: '111111111111', iamPrincipal: 'user/prowler-app', notes: [] };
const DETECTED = {
  identity: {
    arn: 'arn:aws:iam::111111111111:user/prowler-app',
    account: '111111111111',
    userId: 'AIDAEXAMPLE',
    principalArn: 'arn:aws:iam::111111111111:user/prowler-app',
    pathUnknown: false,
  },
  suggestion: SUGGESTION,
} as unknown as NonNullable<Answers['detected']>;

const with_ = (trust: Answers['trust'], trustOrigin: Answers['trustOrigin']): Answers => ({
  ...EMPTY_ANSWERS,
  trust,
  trustOrigin,
  detected: DETECTED,
});

describe('fillFromDetection', () => {
  it('fills untouched settings (no AccountId, the default role/prowler*) and marks them detected', () => {
    expect(fillFromDetection(EMPTY_ANSWERS, SUGGESTION)).toEqual({
      trust: { trustedAccountId: '111111111111', iamPrincipal: 'user/prowler-app' },
      trustOrigin: { trustedAccountId: 'detected', iamPrincipal: 'detected' },
    });
  });

  it('follows a new detection for settings that came from the last one', () => {
    const answers = with_(
      { trustedAccountId: '222222222222', iamPrincipal: 'role/Old' },
      { trustedAccountId: 'detected', iamPrincipal: 'detected' },
    );
    expect(fillFromDetection(answers, SUGGESTION).trust).toEqual({
      trustedAccountId: '111111111111',
      iamPrincipal: 'user/prowler-app',
    });
  });

  it('never overwrites what the user typed, even the default value typed again', () => {
    const answers = with_(
      { trustedAccountId: '121212121212', iamPrincipal: 'role/prowler*' },
      { trustedAccountId: 'entered', iamPrincipal: 'entered' },
    );
    expect(fillFromDetection(answers, SUGGESTION)).toEqual({ trust: {}, trustOrigin: {} });
  });

  it('keeps a value of unknown origin that is not a default (answers saved by an older page)', () => {
    const answers = with_(
      { trustedAccountId: '121212121212', iamPrincipal: 'role/ScannerTask' },
      { trustedAccountId: 'default', iamPrincipal: 'default' },
    );
    expect(fillFromDetection(answers, SUGGESTION)).toEqual({ trust: {}, trustOrigin: {} });
  });
});

describe('originAfterEdit and detectedApplied', () => {
  const detected = with_(
    { trustedAccountId: '111111111111', iamPrincipal: 'user/prowler-app' },
    { trustedAccountId: 'detected', iamPrincipal: 'detected' },
  );

  it('a detected value stays detected while unchanged, and becomes the user’s once typed over', () => {
    expect(originAfterEdit(detected, 'iamPrincipal', 'user/prowler-app')).toBe('detected');
    expect(originAfterEdit(detected, 'iamPrincipal', 'user/prowler-ap')).toBe('entered');
    const typed = { ...detected, trustOrigin: { ...detected.trustOrigin, iamPrincipal: 'entered' as const } };
    expect(originAfterEdit(typed, 'iamPrincipal', 'user/prowler-app')).toBe('entered');
  });

  it('applied: both settings hold the detected values', () => {
    expect(detectedApplied(detected)).toBe(true);
    expect(
      detectedApplied({ ...detected, trust: { ...detected.trust, iamPrincipal: 'role/prowler*' } }),
    ).toBe(false);
    expect(detectedApplied({ ...detected, detected: null })).toBe(false);
  });
});
