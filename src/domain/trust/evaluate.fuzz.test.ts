import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate, parsePolicyText } from './evaluate.ts';
import { evaluationSchema, type TrustRequest } from './explanation.ts';
import { globMatch } from './glob.ts';

// Issue 8, "Bad input": the evaluator and the simulator's parser take any pasted document.
// They never throw past their boundary (a bad document is a deny with policyErrors), the
// answer always has the shape the browser parses, and wildcard matching stays linear.

let inputs = 0;
function counted<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return arb.map((v) => {
    inputs++;
    return v;
  });
}
afterAll(() => console.log(`[fuzz] domain/trust/evaluate: ${inputs} inputs`));

const CALLER = 'arn:aws:iam::111111111111:user/prowler-app';
const REQUEST: TrustRequest = { principalArn: CALLER, context: { 'sts:ExternalId': 'ext-123' } };

/** Evaluate and check the answer's contract; any throw fails the property with the input. */
function evaluatedOk(policy: unknown, request: TrustRequest = REQUEST) {
  const result = evaluate(policy, request);
  const parsed = evaluationSchema.safeParse(result);
  expect(parsed.success, parsed.error?.message).toBe(true);
  expect(result.decision === 'allow').toBe(result.reason === 'allowed');
  expect(result.reason === 'explicit-deny').toBe(
    result.statements.some((s) => s.effect === 'Deny' && s.applies),
  );
  return result;
}

/** Values a policy author (or a fuzzer) puts where a string belongs. */
const scalar = fc.oneof(
  fc.constantFrom(
    '*',
    'sts:AssumeRole',
    'sts:*',
    'STS:ASSUMEROLE',
    'iam:PassRole',
    '111111111111',
    '222222222222',
  ),
  fc.constantFrom(
    CALLER,
    'arn:aws:iam::111111111111:root',
    'arn:aws:iam::111111111111:role/prowler*',
    'ext-123',
  ),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const valueOrList = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }));
const operator = fc.constantFrom(
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'StringLikeIfExists',
  'ArnLike',
  'ArnEquals',
  'ArnNotLike',
  'Bool',
  'Null',
  'NumericLessThan',
  'ForAnyValue:StringLike',
  'ForAllValues:StringEquals',
  'NullIfExists',
  'stringequals',
  'IfExists',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
);
const conditionKey = fc.constantFrom(
  'sts:ExternalId',
  'STS:EXTERNALID',
  'aws:PrincipalArn',
  'aws:principalarn',
  'aws:PrincipalAccount',
  'aws:MultiFactorAuthPresent',
  '__proto__',
  'constructor',
  '',
);
const condition = fc.dictionary(operator, fc.dictionary(conditionKey, valueOrList, { maxKeys: 3 }), {
  maxKeys: 3,
});
const principal = fc.oneof(
  fc.constant('*'),
  fc.record({ AWS: valueOrList }),
  fc.record({ Service: valueOrList }),
  fc.dictionary(fc.constantFrom('AWS', 'Federated', 'CanonicalUser', '__proto__'), valueOrList, {
    maxKeys: 2,
  }),
  fc.jsonValue({ maxDepth: 2 }),
);
const statement = fc.record(
  {
    Sid: fc.oneof(fc.string({ maxLength: 10 }), fc.integer()),
    Effect: fc.oneof(fc.constantFrom('Allow', 'Deny', 'allow', ''), fc.jsonValue({ maxDepth: 1 })),
    Principal: principal,
    NotPrincipal: principal,
    Action: valueOrList,
    NotAction: valueOrList,
    Resource: valueOrList,
    Condition: fc.oneof(condition, fc.jsonValue({ maxDepth: 2 })),
  },
  { requiredKeys: ['Effect'] },
);
const policy = fc.record(
  {
    Version: fc.oneof(
      fc.constantFrom('2012-10-17', '2008-10-17', '2024-01-01'),
      fc.jsonValue({ maxDepth: 1 }),
    ),
    Id: fc.string({ maxLength: 10 }),
    Statement: fc.oneof(statement, fc.array(statement, { maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })),
  },
  { requiredKeys: [] },
);
const request: fc.Arbitrary<TrustRequest> = fc.record(
  {
    principalArn: fc.oneof(
      fc.constantFrom(
        CALLER,
        'arn:aws:sts::111111111111:assumed-role/prowler-worker/s1',
        'arn:aws-cn:iam::111111111111:root',
      ),
      fc.string({ maxLength: 60 }),
    ),
    action: fc.constantFrom('sts:AssumeRole', 'sts:TagSession', ''),
    context: fc.dictionary(
      conditionKey,
      fc.oneof(
        fc.string({ maxLength: 20 }),
        fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
        fc.boolean(),
      ),
      { maxKeys: 3 },
    ),
  },
  { requiredKeys: ['principalArn'] },
);

const BLANKET_DENY = { Effect: 'Deny', Principal: '*', Action: '*' };

describe('evaluate: structured but hostile policies', () => {
  it('never throws and always answers a schema-valid evaluation', () => {
    fc.assert(
      fc.property(counted(policy), counted(request), (p, r) => {
        evaluatedOk(p, r);
      }),
      // Found by this property at run 730 once; kept so every run tries it.
      { numRuns: 1500, examples: [[{ Version: { toString: 0 } }, REQUEST]] },
    );
  });

  it('an added blanket Deny always wins', () => {
    fc.assert(
      fc.property(counted(fc.array(statement, { maxLength: 4 })), counted(request), (statements, r) => {
        const result = evaluatedOk({ Version: '2012-10-17', Statement: [...statements, BLANKET_DENY] }, r);
        expect(result.decision).toBe('deny');
        expect(result.reason).toBe('explicit-deny');
      }),
      { numRuns: 500 },
    );
  });

  it('statement order and a single statement vs a list of one do not change the decision', () => {
    fc.assert(
      fc.property(
        counted(fc.array(statement, { minLength: 1, maxLength: 4 })),
        counted(request),
        (statements, r) => {
          const forward = evaluatedOk({ Statement: statements }, r).decision;
          expect(evaluatedOk({ Statement: [...statements].reverse() }, r).decision).toBe(forward);
          if (statements.length === 1)
            expect(evaluatedOk({ Statement: statements[0] }, r).decision).toBe(forward);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('condition key names are case-insensitive', () => {
    const flipCase = (s: string) =>
      [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
    fc.assert(
      fc.property(counted(condition), (cond) => {
        const flipped = Object.fromEntries(
          Object.entries(cond).map(([op, keys]) => [
            op,
            Object.fromEntries(Object.entries(keys).map(([k, v]) => [flipCase(k), v])),
          ]),
        );
        const base = { Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 'sts:AssumeRole' };
        const a = evaluatedOk({ Statement: { ...base, Condition: cond } }).decision;
        expect(evaluatedOk({ Statement: { ...base, Condition: flipped } }).decision).toBe(a);
      }),
      { numRuns: 500 },
    );
  });
});

describe('evaluate: anything at all', () => {
  it('any JSON value is a deny with reasons or a valid evaluation, never a throw', () => {
    fc.assert(
      fc.property(counted(fc.jsonValue()), (value) => {
        evaluatedOk(value);
      }),
      { numRuns: 1000 },
    );
  });

  it('any JavaScript value (null prototypes, boxed values, odd keys) never throws', () => {
    const weird = fc.anything({
      withNullPrototype: true,
      withBoxedValues: true,
      withObjectString: true,
      withSparseArray: true,
      withMap: true,
      withSet: true,
      key: fc.constantFrom(
        'Statement',
        'Effect',
        'Principal',
        'Action',
        'Condition',
        'Version',
        'AWS',
        '__proto__',
      ),
    });
    fc.assert(
      fc.property(counted(weird), (value) => {
        evaluatedOk(value);
        evaluatedOk({
          Version: value,
          Statement: { Effect: value, Principal: value, Action: value, Condition: value },
        });
      }),
      { numRuns: 500 },
    );
  });

  it('does not pollute Object.prototype through __proto__ or constructor keys', () => {
    const text = `{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},
      "Statement":[{"Effect":"Allow","Principal":{"__proto__":{"AWS":"*"}},"Action":"sts:AssumeRole",
      "Condition":{"__proto__":{"polluted":"yes"},"StringEquals":{"__proto__":"x","constructor":"y"}}}]}`;
    inputs++;
    const parsed = parsePolicyText(text);
    expect('policy' in parsed).toBe(true);
    const result = evaluatedOk('policy' in parsed ? parsed.policy : null);
    expect(result.decision).toBe('deny');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

/** Where a hostile value can sit in a trust policy; `@` is replaced by the value's JSON text. */
const SLOTS: Record<string, string> = {
  Version: '{"Version":@,"Statement":[]}',
  Effect: '{"Statement":{"Effect":@,"Principal":"*","Action":"sts:AssumeRole"}}',
  Sid: '{"Statement":{"Sid":@,"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}}',
  Principal: '{"Statement":{"Effect":"Allow","Principal":@,"Action":"sts:AssumeRole"}}',
  'Principal.AWS': '{"Statement":{"Effect":"Allow","Principal":{"AWS":@},"Action":"sts:AssumeRole"}}',
  Action: '{"Statement":{"Effect":"Allow","Principal":"*","Action":@}}',
  Condition: '{"Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":@}}',
  'Condition value':
    '{"Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":@}}}}',
  Statement: '{"Statement":@}',
  'the document': '@',
};

/** Parse as the simulator does, then evaluate what it parsed (or the raw text when it refused). */
function throughTheSimulator(text: string) {
  inputs++;
  const parsed = parsePolicyText(text);
  return evaluatedOk('policy' in parsed ? parsed.policy : text);
}

describe('evaluate: deep nesting (valid JSON that a recursive walk would overflow on)', () => {
  const deep = `${'['.repeat(100_000)}"x"${']'.repeat(100_000)}`;
  for (const [where, template] of Object.entries(SLOTS)) {
    it(`${where} nested 100000 deep: evaluated to deny with reasons, no throw`, () => {
      const result = throughTheSimulator(template.replace('@', deep));
      // A malformed Sid is only a label; every other slot makes the statement (and so the policy) deny.
      if (where !== 'Sid') {
        expect(result.decision).toBe('deny');
        expect(result.policyErrors.length).toBeGreaterThan(0);
      }
    });
  }
});

describe('evaluate: JSON objects whose keys shadow Object.prototype methods', () => {
  // Valid JSON such as {"toString":0} makes String(value) and template literals throw
  // ("Cannot convert object to primitive value") unless the evaluator stringifies safely.
  const poison = '{"toString":0,"valueOf":0}';
  for (const [where, template] of Object.entries(SLOTS)) {
    it(`${where} = ${poison}: evaluated without a throw`, () => {
      const result = throughTheSimulator(template.replace('@', poison));
      if (where !== 'Sid') expect(result.decision).toBe('deny');
    });
  }
});

describe('wildcards stay linear', () => {
  // `a*a*a*…*b` against a long run of "a": a backtracking matcher (or a RegExp built from the
  // pattern) takes time exponential in the number of stars; this would blow the test timeout.
  // The caller's ARN stays within the evaluator's bound (limits.ts); globMatch alone takes longer text below.
  const stars = `${'a*'.repeat(40)}b`;
  const longA = 'a'.repeat(1_900);
  const table = [
    {
      name: 'StringLike aws:PrincipalArn, no match',
      pattern: `arn:aws:iam::111111111111:user/${stars}`,
      arn: longA,
      allow: false,
    },
    {
      name: 'StringLike aws:PrincipalArn, match',
      pattern: `arn:aws:iam::111111111111:user/${stars}`,
      arn: `${longA}b`,
      allow: true,
    },
    {
      name: 'question marks',
      pattern: `arn:aws:iam::111111111111:user/${'?*'.repeat(40)}b`,
      arn: longA,
      allow: false,
    },
  ];
  for (const c of table) {
    it(c.name, () => {
      inputs++;
      const principalArn = `arn:aws:iam::111111111111:user/${c.arn}`;
      const doc = {
        Statement: {
          Effect: 'Allow',
          Principal: { AWS: '111111111111' },
          Action: `sts:*${[...'AssumeRole'].join('*')}*`,
          Condition: {
            StringLike: { 'aws:PrincipalArn': c.pattern },
            ArnLike: { 'aws:PrincipalArn': c.pattern },
          },
        },
      };
      const result = evaluatedOk(doc, { principalArn });
      expect(result.decision).toBe(c.allow ? 'allow' : 'deny');
    });
  }

  it('globMatch agrees with a reference dynamic-programming matcher', () => {
    const alphabet = fc.constantFrom('a', 'b', '/', '*', '?');
    const text = fc.array(fc.constantFrom('a', 'b', '/'), { maxLength: 12 }).map((c) => c.join(''));
    fc.assert(
      fc.property(
        counted(fc.array(alphabet, { maxLength: 10 }).map((c) => c.join(''))),
        text,
        (pattern, t) => {
          expect(globMatch(pattern, t)).toBe(referenceGlob(pattern, t));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('a 200-star pattern against 100000 characters finishes', () => {
    inputs++;
    expect(globMatch(`${'*a'.repeat(200)}*b`, 'a'.repeat(100_000))).toBe(false);
    expect(globMatch(`${'*a'.repeat(200)}*b`, `${'a'.repeat(100_000)}b`)).toBe(true);
  });
});

describe('parsePolicyText: the simulator boundary', () => {
  const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.string({
      unit: fc.oneof(fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '%', '\\'), loneSurrogate),
      maxLength: 60,
    }),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.jsonValue().map((v) => encodeURIComponent(JSON.stringify(v))),
  );

  it('never throws: answers {policy} for a JSON object and {error} otherwise', () => {
    fc.assert(
      fc.property(counted(text), (t) => {
        const result = parsePolicyText(t);
        if ('error' in result) expect(typeof result.error).toBe('string');
        else {
          expect(typeof result.policy).toBe('object');
          evaluatedOk(result.policy);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('a 5 MB document is refused for its size with a sentence, not by a crash', () => {
    inputs++;
    const statements = Array.from({ length: 20_000 }, (_, i) => ({
      Sid: `s${i}`,
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${String(i).padStart(12, '0')}:root` },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': 'x'.repeat(200) } },
    }));
    const parsed = parsePolicyText(JSON.stringify({ Statement: statements }));
    expect('error' in parsed && parsed.error).toMatch(/reads at most 100,000/);
    const refused = evaluatedOk({ Statement: statements });
    expect(refused.decision).toBe('deny');
    expect(refused.policyErrors.join(' ')).toMatch(/more than 10,240 characters/);
  });
});

/** Textbook O(p × t) wildcard matcher, the oracle for globMatch. */
function referenceGlob(pattern: string, text: string): boolean {
  let row = new Array<boolean>(text.length + 1).fill(false);
  row[0] = true;
  for (const p of pattern) {
    const next = new Array<boolean>(text.length + 1).fill(false);
    if (p === '*') {
      next[0] = row[0] ?? false;
      for (let j = 1; j <= text.length; j++) next[j] = (row[j] ?? false) || (next[j - 1] ?? false);
    } else {
      for (let j = 1; j <= text.length; j++)
        next[j] = (row[j - 1] ?? false) && (p === '?' || p === text[j - 1]);
    }
    row = next;
  }
  return row[text.length] ?? false;
}
