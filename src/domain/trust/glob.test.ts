// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables, not JavaScript templates
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globMatch, globUnits, matchUnits } from './glob.ts';

// IAM wildcards: `*` any run (also empty, also across "/"), `?` exactly one character, case-sensitive.

describe('globMatch', () => {
  it.each([
    ['role/prowler*', 'role/prowler', true],
    ['role/prowler*', 'role/prowler-scan', true],
    ['role/prowler*', 'role/team/prowler-scan', false],
    ['role/*', 'role/team/sub/x', true],
    ['*', '', true],
    ['', '', true],
    ['', 'a', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a?c', 'abbc', false],
    ['???', 'abc', true],
    ['*a', 'bbba', true],
    ['*a', 'bbab', false],
    ['a*b*c', 'a-b-c', true],
    ['a*b*c', 'a-c-b', false],
    ['*ab*ab*', 'xabyab', true],
    ['*ab*ab*', 'xaby', false],
    ['abc*abc', 'abcabc', true],
    ['abc*abc', 'abcab', false],
    ['Role/Prowler*', 'role/prowler-x', false],
    ['user/?*', 'user/', false],
    ['arn:aws:iam::*:role/x', 'arn:aws:iam::111122223333:role/x', true],
  ])('%j vs %j -> %s', (pattern, text, expected) => {
    expect(globMatch(pattern, text)).toBe(expected);
  });

  it('ignores case only when asked', () => {
    expect(globMatch('STS:Assume*', 'sts:assumerole')).toBe(false);
    expect(globMatch('STS:Assume*', 'sts:assumerole', true)).toBe(true);
  });

  it('treats regular-expression characters literally (no RegExp is built from the pattern)', () => {
    expect(globMatch('a.b', 'axb')).toBe(false);
    expect(globMatch('a.b', 'a.b')).toBe(true);
    expect(globMatch('(a|b)+[x]', '(a|b)+[x]')).toBe(true);
    expect(globMatch('^$\\', '^$\\')).toBe(true);
  });

  // A backtracking matcher (or a RegExp like /^.*a.*a.*…b$/) takes time exponential in the stars
  // here; these would not finish. The assertions are about the answers, not the clock.
  it('answers pathological patterns against large inputs correctly', () => {
    const stars = `${'*a'.repeat(30)}*b`;
    const text = 'a'.repeat(200_000);
    expect(globMatch(stars, text)).toBe(false);
    expect(globMatch(stars, `${text}b`)).toBe(true);
    expect(globMatch(`${'a*'.repeat(1000)}b`, `${'a'.repeat(999)}`)).toBe(false);
    expect(globMatch(`${'?*'.repeat(500)}c`, `${'x'.repeat(100_000)}c`)).toBe(true);
    expect(globMatch(`*${'a?'.repeat(50)}b*`, 'a'.repeat(100_000))).toBe(false);
  });
});

describe('literal pieces (policy variables and the ${*} ${?} escapes)', () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'b', '*', '?', '/'), maxLength: 12 });

  it('a literal piece matches exactly its own text, wildcards included', () => {
    fc.assert(
      fc.property(text, text, (literal, other) => {
        const units = globUnits([{ text: literal, wildcards: false }]);
        expect(matchUnits(units, literal)).toBe(true);
        expect(matchUnits(units, other)).toBe(other === literal);
      }),
    );
  });

  it('wildcards of the surrounding policy text still apply around a literal piece', () => {
    const units = globUnits([
      { text: 'role/', wildcards: true },
      { text: 'team*', wildcards: false },
      { text: '-*', wildcards: true },
    ]);
    expect(matchUnits(units, 'role/team*-scanner')).toBe(true);
    expect(matchUnits(units, 'role/teamX-scanner')).toBe(false);
  });
});
