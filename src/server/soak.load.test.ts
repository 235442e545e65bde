import { describe, expect, it } from 'vitest';
import { runSoak, SOAK_FD_TOLERANCE, SOAK_GROWTH_LIMIT_PCT } from '../../bench/soak.ts';

// Issue 8, "Load and soak", short form: 1,000 verifications after a warm-up of 500, through the
// real server over HTTP in a fresh process (bench/soak.ts; `npm run bench` runs 10,000). Memory
// settles after the warm-up and every descriptor the run opened is closed again. A warm-up of 100
// was too short: with other test files on both cores, RSS after gc() still climbed by 10 % while
// the live heap stayed flat (the allocator had not reached its working size yet).

describe('soak (short form)', () => {
  it('1,000 verifications after 500 of warm-up: no error, RSS growth after warm-up under 10 %, no descriptor left open', {
    timeout: 300_000,
  }, async () => {
    const r = await runSoak({ iterations: 1500, warmup: 500 });
    console.log(
      `[soak] ${r.iterations} verifications in ${(r.durationMs / 1000).toFixed(1)} s: RSS after warm-up ${r.rssAfterWarmup.toFixed(1)} MB, ` +
        `at 1k ${r.rssAt1k?.toFixed(1)} MB (growth ${r.growthPct.toFixed(1)} %), heap ${r.heapAfterWarmup.toFixed(1)} -> ${r.heapEnd.toFixed(1)} MB, ` +
        `fds ${r.fdsBefore} before / ${r.fdsWarm} warm / ${r.fdsLoaded} loaded / ${r.fdsAfter} after close, errors ${r.errors}`,
    );
    expect(r.errors, r.firstError ?? '').toBe(0);
    expect(r.awsCalls).toBe(r.iterations * 6);
    expect(r.warmup).toBe(500);
    expect(r.rssAt1k).not.toBeNull();
    expect(r.growthPct).toBeLessThan(SOAK_GROWTH_LIMIT_PCT);
    // Live heap is the sharper signal for a leak of retained objects (RSS also holds freed pages).
    expect(r.heapEnd).toBeLessThan(r.heapAfterWarmup * 1.1 + 2);
    if (r.fdsBefore !== null && r.fdsAfter !== null) {
      expect(Math.abs(r.fdsAfter - r.fdsBefore)).toBeLessThanOrEqual(SOAK_FD_TOLERANCE);
      // While running, the count is bounded by the pools, not by the number of verifications.
      expect(r.fdsLoaded! - r.fdsWarm!).toBeLessThanOrEqual(64);
    }
  });
});
