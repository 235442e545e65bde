import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInput } from './read-input.ts';

describe('readInput', () => {
  const dir = mkdtempSync(join(tmpdir(), 'read-input-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads a file up to its bound, and refuses one byte more by name', async () => {
    expect(await readInput(file('at.json', 'x'.repeat(64)), 'the policy file', 64)).toEqual({
      ok: true,
      text: 'x'.repeat(64),
    });
    const over = file('over.json', 'x'.repeat(65));
    expect(await readInput(over, 'the policy file', 64)).toEqual({
      ok: false,
      message: `the policy file ${over} is larger than 64 bytes.`,
    });
  });

  it('stops at the bound on an endless input instead of reading it whole', async () => {
    // /dev/zero never ends: a reader that reads to the end before checking never returns.
    expect(await readInput('/dev/zero', 'the accounts CSV', 1_000_000)).toEqual({
      ok: false,
      message: 'the accounts CSV /dev/zero is larger than 1,000,000 bytes.',
    });
  });

  it('keeps a character whole at the end of the file (UTF-8 decoded once)', async () => {
    const text = 'é'.repeat(10);
    expect(await readInput(file('utf8.txt', text), 'the file', 20)).toEqual({ ok: true, text });
  });

  it('says why a path cannot be read, in one line', async () => {
    expect(await readInput(join(dir, 'missing.json'), 'the role evidence file')).toEqual({
      ok: false,
      message: `cannot read the role evidence file ${join(dir, 'missing.json')}: no such file.`,
    });
    expect(await readInput(dir, 'the role evidence file')).toEqual({
      ok: false,
      message: `cannot read the role evidence file ${dir}: it is a directory.`,
    });
  });
});
