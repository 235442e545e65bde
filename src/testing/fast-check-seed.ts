import { randomInt } from 'node:crypto';

// One seed for every property test of a run (docs/decisions/019-one-seed-per-test-run.md): fixed in
// CI, so a red run fails the same way on a rerun; random locally, so each run explores new cases;
// FC_SEED replays either.

/** The seed of every CI run. Changing it changes which cases CI tries, not whether they must pass. */
export const CI_SEED = 20_261_201;

export interface SeedChoice {
  seed: number;
  why: 'FC_SEED' | 'CI' | 'random';
}

/** FC_SEED if set, the fixed CI seed under CI=true, else a random one. */
export function chooseSeed(
  env: Record<string, string | undefined>,
  random = () => randomInt(2 ** 31 - 1),
): SeedChoice {
  const given = env.FC_SEED?.trim();
  if (given) {
    if (!/^-?\d{1,10}$/.test(given) || Math.abs(Number(given)) > 2 ** 31 - 1) {
      throw new Error(`FC_SEED must be an integer between -2147483647 and 2147483647, not "${given}".`);
    }
    return { seed: Number(given), why: 'FC_SEED' };
  }
  if (env.CI === 'true' || env.CI === '1') return { seed: CI_SEED, why: 'CI' };
  return { seed: random(), why: 'random' };
}

/** The line each run prints once. */
export function seedLine({ seed, why }: SeedChoice): string {
  const source = why === 'FC_SEED' ? 'from FC_SEED' : why === 'CI' ? 'fixed for CI' : 'random';
  return `fast-check seed: ${seed} (${source}; set FC_SEED=${seed} to replay)`;
}
