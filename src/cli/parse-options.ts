import { type ParseArgsConfig, parseArgs } from 'node:util';

// Every command's options go through here, so a mistyped option reads the same everywhere:
// "Unknown option '--rolearn'. Did you mean '--role-arn'?" (node:util's message has neither the
// suggestion nor a full stop).

export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Edit distance (insertions, deletions, substitutions), for "did you mean". */
export function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length]!;
}

const squash = (name: string) => name.toLowerCase().replace(/[-_]/g, '');

/** The closest known name, if it is close enough to be what was meant (or differs only in dashes/case). */
export function closest(given: string, known: readonly string[]): string | null {
  let best: { name: string; score: number } | null = null;
  for (const name of known) {
    const score = squash(given) === squash(name) ? 0 : distance(given.toLowerCase(), name.toLowerCase());
    if (!best || score < best.score) best = { name, score };
  }
  if (!best) return null;
  // A third of the name, at least 1 and at most 3 edits: "--rol-arn" yes, "--json" for "--port" no.
  const limit = Math.min(3, Math.max(1, Math.floor(best.name.length / 3)));
  return best.score <= limit ? best.name : null;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.?!]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function optionNames(options: Options): string[] {
  return Object.entries(options).flatMap(([long, o]) => [`--${long}`, ...(o.short ? [`-${o.short}`] : [])]);
}

/** The message for a parseArgs error: one sentence, with a suggestion for an unknown option. */
export function usageMessage(error: Error & { code?: string }, options: Options): string {
  const first = error.message.split('\n')[0] ?? error.message;
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const given = /'([^']+)'/.exec(first)?.[1] ?? '';
    const name = given.split('=')[0] ?? given;
    const known = optionNames(options).filter((o) => o.startsWith('--'));
    const suggestion = closest(name, known);
    return `Unknown option '${name}'.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`;
  }
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const given = /'([^']+)'/.exec(first)?.[1] ?? '';
    return `Unexpected argument '${given}': this command takes only options.`;
  }
  return sentence(first);
}

/** node:util parseArgs, strict, no positionals; a bad option throws a UsageError with one sentence. */
export function parseOptions<T extends Options>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false });
  } catch (e) {
    const error = e as Error & { code?: string };
    if (error.code?.startsWith('ERR_PARSE_ARGS')) throw new UsageError(usageMessage(error, options));
    throw e;
  }
}
