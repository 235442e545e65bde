import { describe, expect, it } from 'vitest';
import { closest, parseOptions, UsageError } from './parse-options.ts';

const OPTIONS = {
  'role-arn': { type: 'string' },
  'external-id': { type: 'string' },
  port: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function messageOf(args: string[]): string {
  try {
    parseOptions(args, OPTIONS);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`${args.join(' ')} was accepted`);
}

describe('parseOptions: one sentence per mistake, with a suggestion when one is close', () => {
  it.each([
    [['--rolearn', 'x'], "Unknown option '--rolearn'. Did you mean '--role-arn'?"],
    [['--Role-Arn', 'x'], "Unknown option '--Role-Arn'. Did you mean '--role-arn'?"],
    [['--role_arn=x'], "Unknown option '--role_arn'. Did you mean '--role-arn'?"],
    [['--extrnal-id', 'x'], "Unknown option '--extrnal-id'. Did you mean '--external-id'?"],
    [['--prot', '1'], "Unknown option '--prot'. Did you mean '--port'?"],
    [['--jsno'], "Unknown option '--jsno'. Did you mean '--json'?"],
    [['--frobnicate'], "Unknown option '--frobnicate'."],
    [['-x'], "Unknown option '-x'."],
    [['--port'], "Option '--port <value>' argument missing."],
    [['--json=yes'], "Option '--json' does not take an argument."],
    [['extra'], "Unexpected argument 'extra': this command takes only options."],
  ])('%j', (args, message) => {
    expect(messageOf(args)).toBe(message);
  });

  it('returns the values when every option is known', () => {
    expect(parseOptions(['--role-arn', 'r', '--json'], OPTIONS).values).toEqual({
      'role-arn': 'r',
      json: true,
    });
  });
});

describe('closest', () => {
  it.each([
    ['--rolearn', ['--role-arn', '--region'], '--role-arn'],
    ['--regoin', ['--role-arn', '--region'], '--region'],
    ['--port', ['--json', '--help'], null],
    ['--x', ['--json'], null],
    ['verfy', ['serve', 'verify', 'trust'], 'verify'],
    ['', ['serve'], null],
  ])('%s in %j: %s', (given, known, expected) => {
    expect(closest(given, known)).toBe(expected);
  });
});
