import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The tree speaks of the product only: no notes addressed to colleagues, no citations of design
// files kept outside this repository, no paths of the machine it was written on. Design facts live
// in docs/design.md and docs/architecture.md, and what cites them cites a section that exists.

const ROOT = join(import.meta.dirname, '..', '..');
const SELF = 'src/testing/tree.test.ts';

/** Spelled in pieces so that this file does not match itself. */
const FORBIDDEN: Array<[RegExp, string]> = [
  [new RegExp(['PRODUCT', 'md'].join('\\.')), 'a design file outside the repository (use docs/design.md)'],
  [new RegExp(['STYLE', 'md'].join('\\.')), 'a style file outside the repository (use docs/architecture.md)'],
  [new RegExp(['README', 'for-'].join('-')), 'a note addressed to someone'],
  [new RegExp(['\\.\\.', 'shared'].join('/')), 'a path outside the repository'],
  [new RegExp(['', 'work', ''].join('/')), 'a path of the machine it was written on'],
  [new RegExp(`\\b${'D'}\\d('s)?\\s+(page|app|notes?)\\b`), 'a note addressed to someone'],
  [new RegExp(`\\b${'helper'} [A-Z]\\b`), 'a name of someone who wrote it'],
  [new RegExp(['team', 'brief'].join(' '), 'i'), 'a note addressed to the team'],
];

function tracked(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && !/\.(png|jpe?g|ico|woff2?)$/.test(f));
}

/** GitHub's anchor for a Markdown heading. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function offences(files: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    if (file === SELF) continue;
    for (const [pattern, what] of FORBIDDEN)
      if (pattern.test(file)) found.push(`${file}: ${what} (its name)`);
    text.split('\n').forEach((line, i) => {
      for (const [pattern, what] of FORBIDDEN) {
        if (pattern.test(line)) found.push(`${file}:${i + 1}: ${what}: ${line.trim().slice(0, 120)}`);
      }
    });
  }
  return found;
}

describe('the tree speaks of the product only', () => {
  const files = Object.fromEntries(tracked().map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]));

  it('no tracked file cites a file outside the repository, a machine path, or a colleague', () => {
    expect(Object.keys(files).length).toBeGreaterThan(100);
    expect(offences(files)).toEqual([]);
  });

  it('the check finds each kind of offence (it can fail)', () => {
    const samples = [
      `// see ${['PRODUCT', 'md'].join('.')} "AWS facts"`,
      `// (${['STYLE', 'md'].join('.')}, one schema)`,
      `# ${['README', 'for', 'D1'].join('-')}.md`,
      `// limits: ${['..', 'shared', 'x'].join('/')}`,
      `const p = '${['', 'work', 'main', 'x'].join('/')}';`,
      `// composed at depths of ${'D'}1's page`,
      `// soak (${'helper'} F, reliability)`,
      `// listed in the ${['team', 'brief'].join(' ')}`,
    ];
    for (const sample of samples) expect(offences({ 'x.ts': sample }), sample).toHaveLength(1);
    expect(offences({ [`src/${['README', 'for', 'D1'].join('-')}.md`]: 'notes' })).toHaveLength(1);
  });

  it('every docs/design.md#... and docs/architecture.md#... citation names a heading that exists', () => {
    const anchors = new Map<string, Set<string>>();
    for (const doc of ['docs/design.md', 'docs/architecture.md']) {
      const headings = (files[doc] ?? '').match(/^#{1,6} .+$/gm) ?? [];
      anchors.set(doc, new Set(headings.map((h) => anchor(h.replace(/^#+ /, '')))));
    }
    const broken: string[] = [];
    let cited = 0;
    for (const [file, text] of Object.entries(files)) {
      for (const m of text.matchAll(/docs\/(design|architecture)\.md#([a-z0-9-]+)/g)) {
        cited++;
        if (!anchors.get(`docs/${m[1]}.md`)?.has(m[2] as string)) broken.push(`${file}: ${m[0]}`);
      }
    }
    expect(cited).toBeGreaterThan(20);
    expect(broken).toEqual([]);
  });
});
