import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, scrubSecrets } from './scrub.ts';

// The straightforward walk: every string of the value with each secret replaced.
function scrubbedByWalk(v: unknown, secrets: readonly string[]): unknown {
  const needles = secrets.filter((s) => s.length >= 8);
  if (typeof v === 'string') return needles.reduce((t, s) => t.split(s).join(REDACTED), v);
  if (Array.isArray(v)) return v.map((x) => scrubbedByWalk(x, secrets));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrubbedByWalk(x, secrets)]));
  return v;
}

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('scrubSecrets', () => {
  it.each([
    ['a message that holds the secret', { message: `bad key ${SECRET}!` }, [SECRET]],
    ['the secret deep in an array', { a: [{ b: ['x', SECRET] }] }, [SECRET]],
    ['a secret JSON escapes (a quote, a backslash, a newline)', { m: 'k"e\\y\nsecret!' }, ['k"e\\y\nsecret']],
    ['the secret only as a key: keys are kept', { [SECRET]: 'value' }, [SECRET]],
    ['a value that is not plain JSON', { when: new Date(0), m: SECRET }, [SECRET]],
  ])('%s', (_why, value, secrets) => {
    expect(scrubSecrets(value, secrets)).toEqual(scrubbedByWalk(value, secrets));
  });

  it('no secret in the value: the value itself comes back, not a copy', () => {
    const report = { diagnosis: { code: 'OK' }, checks: [{ id: 'x', detail: 'fine' }], n: 1, u: undefined };
    expect(scrubSecrets(report, [SECRET])).toBe(report);
  });

  it('equals the walk for any JSON-like value and secrets drawn from its own strings', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    const strings = (v: unknown): string[] =>
      typeof v === 'string'
        ? [v]
        : Array.isArray(v)
          ? v.flatMap(strings)
          : v && typeof v === 'object'
            ? Object.entries(v).flatMap(([k, x]) => [k, ...strings(x)])
            : [];
    const case_ = json.chain((value) => {
      const own = strings(value).filter((s) => s.length >= 8);
      const secret = own.length > 0 ? fc.constantFrom(...own) : fc.string({ minLength: 8 });
      return fc.tuple(
        fc.constant(value),
        fc.array(fc.oneof(secret, fc.string({ minLength: 8 })), { maxLength: 3 }),
      );
    });
    fc.assert(
      fc.property(case_, ([value, secrets]) => {
        expect(scrubSecrets(value, secrets)).toEqual(scrubbedByWalk(value, secrets));
      }),
    );
  });
});
