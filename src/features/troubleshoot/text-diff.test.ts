import { describe, expect, it } from 'vitest';
import { closestDiff, diffParts } from './text-diff.ts';

describe('diffParts', () => {
  const cases: [string, string, string, [string, string, string, string]][] = [
    ['identical', 'abc', 'abc', ['abc', '', '', '']],
    ['both empty', '', '', ['', '', '', '']],
    [
      'account ID in an ARN',
      'arn:aws:iam::111122223333:root',
      'arn:aws:iam::444455556666:root',
      ['arn:aws:iam::', '111122223333', '444455556666', ':root'],
    ],
    [
      'role name against a wildcard pattern',
      'arn:aws:iam::111122223333:role/prowler*',
      'arn:aws:iam::111122223333:role/scanner',
      ['arn:aws:iam::111122223333:role/', 'prowler*', 'scanner', ''],
    ],
    ['shared digits end and start', '111122223333', '111199993333', ['1111', '2222', '9999', '3333']],
    ['actual is longer (no overlap of prefix and suffix)', 'aa', 'aaa', ['aa', '', 'a', '']],
    ['expected is longer', 'abcabc', 'abc', ['abc', 'abc', '', '']],
    ['expected empty', '', 'x', ['', '', 'x', '']],
    [
      'case differs (StringEquals is case-sensitive)',
      'ProwlerScan',
      'Prowlerscan',
      ['Prowler', 'S', 's', 'can'],
    ],
    ['emoji are never split', 'id-😀-x', 'id-😁-x', ['id-', '😀', '😁', '-x']],
    ['emoji at the end', 'a😀', 'a😁', ['a', '😀', '😁', '']],
  ];
  it.each(cases)('%s', (_name, expected, actual, [prefix, exp, act, suffix]) => {
    const parts = diffParts(expected, actual);
    expect(parts).toEqual({ prefix, expected: exp, actual: act, suffix, equal: expected === actual });
    // The parts always rebuild both inputs.
    expect(parts.prefix + parts.expected + parts.suffix).toBe(expected);
    expect(parts.prefix + parts.actual + parts.suffix).toBe(actual);
  });

  it('stays linear on large inputs', () => {
    const a = 'x'.repeat(200_000);
    // 400k characters a side: a quadratic split would not finish within the test's timeout; speed
    // itself is measured in bench, not asserted here.
    const parts = diffParts(`${a}A${a}`, `${a}B${a}`);
    expect(parts.expected).toBe('A');
    expect(parts.actual).toBe('B');
  });
});

describe('closestDiff', () => {
  it('picks the policy value sharing the most text with the request value', () => {
    const parts = closestDiff(
      ['arn:aws:iam::999999999999:role/other', 'arn:aws:iam::111122223333:role/prowler*'],
      'arn:aws:iam::111122223333:role/scanner',
    );
    expect(parts?.expected).toBe('prowler*');
    expect(parts?.actual).toBe('scanner');
  });

  it('keeps the first value on ties', () => {
    expect(closestDiff(['aX', 'aY'], 'aZ')?.expected).toBe('X');
  });

  it('has nothing to compare when the request lacks the key or the policy lists no value', () => {
    expect(closestDiff(['abc'], null)).toBeNull();
    expect(closestDiff([], 'abc')).toBeNull();
  });
});
