import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { toYaml, yamlScalar } from './yaml.ts';

// The emitter is checked against an independent YAML parser (the `yaml` package), in both the
// YAML 1.2 core schema and the YAML 1.1 schema that older readers (PyYAML in cfn-lint) use.

const parse11 = (text: string) => parseDocument(text, { version: '1.1' }).toJS();

describe('yamlScalar', () => {
  it.each([
    ['ProwlerScan', 'ProwlerScan'],
    ['2012-10-17', "'2012-10-17'"],
    ['111122223333', "'111122223333'"],
    ['yes', "'yes'"],
    ['Off', "'Off'"],
    ['null', "'null'"],
    ['~', "'~'"],
    ['', "''"],
    ['sts:AssumeRole', "'sts:AssumeRole'"],
    ['role/prowler*', "'role/prowler*'"],
    ["it's", "'it''s'"],
    ['line\nbreak', '"line\\nbreak"'],
    ['trailing ', "'trailing '"],
    ['- dash', "'- dash'"],
    ['# hash', "'# hash'"],
  ])('%j -> %s', (value, written) => {
    expect(yamlScalar(value)).toBe(written);
  });
});

describe('toYaml', () => {
  it('writes nested maps and lists in block style', () => {
    expect(toYaml({ a: { b: [1, { c: 'x', d: [] }], e: {} }, f: [[true, null]] })).toBe(
      [
        'a:',
        '  b:',
        '    - 1',
        '    - c: x',
        '      d: []',
        '  e: {}',
        'f:',
        '  - - true',
        '    - null',
        '',
      ].join('\n'),
    );
  });

  it('round-trips any JSON value through an independent parser, in YAML 1.2 and 1.1', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const normal = JSON.parse(JSON.stringify(value));
        const text = toYaml(value);
        expect(parse(text)).toEqual(normal);
        expect(parse11(text)).toEqual(normal);
      }),
      { numRuns: 1000 },
    );
  });

  it('round-trips strings that look like other YAML types', () => {
    const tricky = [
      'true',
      'False',
      'NO',
      'y',
      '0x1F',
      '1e3',
      '.inf',
      '-.5',
      '0o17',
      '1_000',
      '12:30',
      '2001-12-14',
      '<<',
      '&a',
      '*a',
      '!tag',
      '%x',
      '@x',
      '`x',
      '{a}',
      '[a]',
      '|',
      '>',
      '? x',
      'a: b',
      'a #b',
      '"q"',
    ];
    const value = Object.fromEntries(tricky.map((t) => [t, t]));
    expect(parse(toYaml(value))).toEqual(value);
    expect(parse11(toYaml(value))).toEqual(value);
  });
});
