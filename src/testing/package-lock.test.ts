import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// `npm ci` refuses a lock file that lacks an entry for any dependency, optional ones for other
// platforms included (Biome, SWC and Tailwind's oxide ship one optional package per platform).
// A lock written on one machine with a pruned tree once broke CI this way, so the lock is
// checked here, offline, the way npm resolves a package: from the dependant's own
// node_modules up to the top.

const ROOT = join(import.meta.dirname, '..', '..');

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
}

interface Lock {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

/** Where npm would find `name` for the package installed at `from` ('' is the project). */
function resolves(packages: Lock['packages'], from: string, name: string): boolean {
  let base = from;
  for (;;) {
    const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (packages[candidate]) return true;
    if (base === '') return false;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

/** Every dependency npm ci expects in the lock that the lock does not hold. */
function missingFromLock(lock: Lock): string[] {
  const missing: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    const required = {
      ...entry.dependencies,
      ...entry.optionalDependencies,
      ...(path === '' ? entry.devDependencies : {}),
    };
    for (const name of Object.keys(required)) {
      if (!resolves(lock.packages, path, name)) missing.push(`${name} (needed by ${path || 'the project'})`);
    }
  }
  return missing;
}

describe('package-lock.json', () => {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as Lock;
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as LockEntry;

  it('is a version 3 lock', () => {
    expect(lock.lockfileVersion).toBe(3);
  });

  it('records every dependency, including optional packages for other platforms', () => {
    expect(missingFromLock(lock)).toEqual([]);
  });

  it('finds a pruned lock (the check can fail)', () => {
    const pruned = structuredClone(lock);
    const platformPackage = Object.keys(pruned.packages).find((p) =>
      p.startsWith('node_modules/@biomejs/cli-'),
    );
    expect(platformPackage).toBeDefined();
    delete pruned.packages[platformPackage as string];
    expect(missingFromLock(pruned)).toHaveLength(1);
  });

  it('matches the manifest: the same direct dependencies and ranges', () => {
    const root = lock.packages[''] as LockEntry;
    expect(root.dependencies).toEqual(manifest.dependencies);
    expect(root.devDependencies).toEqual(manifest.devDependencies);
  });
});
