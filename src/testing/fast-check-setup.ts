import fc from 'fast-check';
import { inject } from 'vitest';

// Vitest setupFiles: runs in each test file's context, so the fast-check module every property test
// imports is configured with the run's seed (chosen and printed once by fast-check-global-setup.ts).
// fast-check's failure message then names this seed and the failing path, which FC_SEED replays.
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: inject('fcSeed') });
