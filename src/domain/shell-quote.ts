// The one way the product writes a value into a shell command it shows (guidance steps, exports,
// the role template's CLI commands). A value is left bare only when it is made of characters no
// POSIX shell, bash or zsh treats specially; anything else goes in single quotes, inside which
// only the quote itself needs care. A leading "=" stays quoted because zsh expands "=word" to a
// path. NUL cannot be part of any program argument, so no quoting can carry it: callers never
// have one (every input is validated first).
// https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_02_02

const BARE = /^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+=:,./-]*$/;

export function shellQuote(value: string): string {
  if (BARE.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A command line from its program and arguments, each one word whatever it holds. */
export function shellCommand(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
