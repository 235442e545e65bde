import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

// The project runs on Node 22 LTS or later (issue 11, item 8). `engines` is the one place that
// says which versions, and it may admit only versions every locked dependency accepts.

const ROOT = join(import.meta.dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const manifest = JSON.parse(read('package.json')) as { engines: { node: string } };
const lock = JSON.parse(read('package-lock.json')) as {
  packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean }>;
};
const ENGINES = manifest.engines.node;

describe('Node version', () => {
  it('the suite runs on a Node that package.json admits', () => {
    expect(semver.satisfies(process.version, ENGINES), `${process.version} vs "${ENGINES}"`).toBe(true);
  });

  it('engines admits no Node version that a locked dependency refuses', () => {
    const refused: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      const theirs = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (!path || !theirs) continue;
      if (!semver.subset(ENGINES, theirs))
        refused.push(`${path.replace(/^.*node_modules\//, '')}: ${theirs}`);
    }
    expect(refused).toEqual([]);
  });

  it('engines starts at Node 22', () => {
    expect(semver.minVersion(ENGINES)?.major).toBe(22);
  });

  it('.nvmrc, the README and .ci/run name the same Node', () => {
    const floor = semver.minVersion(ENGINES)!;
    expect(read('.nvmrc').trim()).toBe(String(floor.major));
    expect(read('README.md')).toContain(`(Node ${floor.major}.${floor.minor}+`);
    expect(read('.ci/run')).toContain(`node@${floor.major}`);
  });

  it('the AWS SDK prints no Node version warning', () => {
    const script =
      "const { STSClient } = await import('@aws-sdk/client-sts'); new STSClient({ region: 'us-east-1' });";
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/NodeVersionSupportWarning|will require node/);
  });
});
