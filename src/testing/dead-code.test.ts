import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Dead code the compiler does not see (tsconfig's noUnusedLocals/noUnusedParameters covers the
// rest): an export that nothing uses, not even its own file, and a conditional whose two branches
// are the same text.

const ROOT = join(import.meta.dirname, '..', '..');
const files = execFileSync('git', ['ls-files', '-z', '--', '*.ts', '*.tsx', '*.cjs', '*.js'], {
  cwd: ROOT,
  encoding: 'utf8',
})
  .split('\0')
  .filter(Boolean);
const texts = new Map(files.map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]));
const isSource = (f: string) => /^(src|bench|e2e)\//.test(f) && !/\.(test|spec)\.tsx?$/.test(f);

function unusedExports(sources: Map<string, string>): string[] {
  const unused: string[] = [];
  const all = [...sources.values()].join('\n');
  for (const [file, text] of sources) {
    if (!isSource(file)) continue;
    const declared =
      /^export (?:async )?(?:function|const|let|type|interface|class|enum)\s+([A-Za-z_$][\w$]*)/gm;
    for (const [, name] of text.matchAll(declared)) {
      const uses =
        all.match(new RegExp(`(?<![\\w$])${name!.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'))?.length ?? 0;
      if (uses <= 1) unused.push(`${file}: ${name}`);
    }
  }
  return unused;
}

function sameBranches(sources: Map<string, string>): string[] {
  const found: string[] = [];
  for (const [file, text] of sources) {
    if (!isSource(file)) continue;
    for (const m of text.matchAll(/\?\s*('[^'\n]*'|"[^"\n]*"|`[^`\n]*`)\s*:\s*\1(?![\w.([])/g)) {
      found.push(`${file}: ${m[0]}`);
    }
  }
  return found;
}

describe('dead code', () => {
  it('every export is used somewhere', () => {
    expect(unusedExports(texts)).toEqual([]);
  });

  it('no conditional has two identical branches', () => {
    expect(sameBranches(texts)).toEqual([]);
  });

  it('both checks can fail', () => {
    const sample = new Map([
      [
        'src/x.ts',
        "export function neverCalled() {}\nexport const label = ok ? 'Saved ' : 'Saved ';\nshow(label);\n",
      ],
    ]);
    expect(unusedExports(sample)).toEqual(['src/x.ts: neverCalled']);
    expect(sameBranches(sample)).toEqual(["src/x.ts: ? 'Saved ' : 'Saved '"]);
  });
});
