import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { CI_SEED, chooseSeed, seedLine } from './fast-check-seed.ts';

// Property tests are reproducible (docs/decisions/019-one-seed-per-test-run.md): every fc.assert of
// a run uses the one printed seed, CI's is fixed, FC_SEED replays, and a failure names seed and path.

const ROOT = join(import.meta.dirname, '..', '..');

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

describe('the seed of a run', () => {
  it.each([
    [{ CI: 'true' }, CI_SEED, 'CI'],
    [{ CI: '1' }, CI_SEED, 'CI'],
    [{ CI: 'true', FC_SEED: '12345' }, 12345, 'FC_SEED'],
    [{ FC_SEED: ' -7 ' }, -7, 'FC_SEED'],
    [{}, 99, 'random'],
    [{ CI: 'false' }, 99, 'random'],
  ])('%o gives %i (%s)', (env, seed, why) => {
    expect(chooseSeed(env, () => 99)).toEqual({ seed, why });
  });

  it.each(['abc', '1.5', '99999999999', '0x10'])('FC_SEED=%s is refused with a message', (value) => {
    expect(() => chooseSeed({ FC_SEED: value })).toThrow(/FC_SEED must be an integer/);
  });

  it('the printed line says how to replay it', () => {
    expect(seedLine({ seed: 12345, why: 'random' })).toBe(
      'fast-check seed: 12345 (random; set FC_SEED=12345 to replay)',
    );
  });
});

describe('property tests run under it', () => {
  it('fast-check is configured with the run seed in every test file', () => {
    expect(Number.isInteger(inject('fcSeed')), 'the run has a seed').toBe(true);
    expect(fc.readConfigureGlobal().seed).toBe(inject('fcSeed'));
  });

  it('under CI=true the run seed is the fixed one', () => {
    if (process.env.CI !== 'true' || process.env.FC_SEED) return;
    expect(inject('fcSeed')).toBe(CI_SEED);
  });

  it('a failure names the seed and the path, and the same seed and path replay it', () => {
    const property = fc.property(fc.array(fc.nat()), (xs) => xs.reduce((a, b) => a + b, 0) < 1000);
    const details = fc.check(property);
    expect(details.failed).toBe(true);
    expect(details.seed).toBe(inject('fcSeed'));
    const message = fc.defaultReportMessage(details) ?? '';
    expect(message).toContain(`seed: ${details.seed}`);
    expect(message).toContain(`path: "${details.counterexamplePath}"`);
    expect(() => fc.assert(property)).toThrow(`seed: ${details.seed}`);
    const replay = fc.check(property, { path: details.counterexamplePath ?? '' });
    expect(replay.counterexample).toEqual(details.counterexample);
  });

  it('no test sets a seed of its own, and every property test is one vitest runs', () => {
    const tests = [...filesUnder('src'), ...filesUnder('bench'), ...filesUnder('e2e')].filter((f) =>
      readFileSync(join(ROOT, f), 'utf8').includes("from 'fast-check'"),
    );
    expect(tests.length).toBeGreaterThan(5);
    for (const file of tests) {
      if (file.startsWith('src/testing/fast-check-')) continue;
      const text = readFileSync(join(ROOT, file), 'utf8');
      expect(text, `${file} sets its own seed`).not.toMatch(/\bseed\s*:/);
      expect(file, 'property tests are vitest files (the seed setup runs there)').toMatch(
        /^(src|bench)\/.*\.test\.ts$/,
      );
    }
  });
});
