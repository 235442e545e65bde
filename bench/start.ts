import { intFlag, isMain } from './lib/cli.ts';
import type { BenchSection } from './lib/figures.ts';
import { startServer } from './lib/server-process.ts';
import { type Spread, spread } from './lib/stats.ts';

// Time from starting the built server to a healthy /api/health (issue 7, "Start").
// `npm start` runs `vite build` first; this measures what follows the build:
// `node --import tsx src/server/main.ts`, a fresh data directory each run (so the first-start
// work, issuing the External ID, is included), the embedded sandbox on (the default).

export interface StartResult {
  readyMs: Spread;
  /** `npm start` as a user types it: npm, its `vite build`, then the server. */
  npmStartMs: Spread;
}

export async function measureStart(options: { runs?: number; npmRuns?: number } = {}): Promise<StartResult> {
  const runs = options.runs ?? 5;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const server = await startServer();
    times.push(Math.round(server.readyMs));
    await server.stop();
  }
  const npmTimes: number[] = [];
  for (let i = 0; i < (options.npmRuns ?? 2); i++) {
    const server = await startServer({ command: ['npm', 'start'], timeoutMs: 180_000 });
    npmTimes.push(Math.round(server.readyMs));
    await server.stop();
  }
  return { readyMs: spread(times), npmStartMs: spread(npmTimes) };
}

export function startSection(result: StartResult): BenchSection {
  return {
    title: 'Start',
    figures: [
      { label: 'server start (built) to healthy /api/health', unit: 'ms', value: result.readyMs },
      {
        label: '`npm start` (rebuilds dist/web first) to healthy',
        unit: 'ms',
        value: result.npmStartMs,
        note: 'the script runs `vite build` before the server',
      },
    ],
    markdown:
      'Each run spawns `node --import tsx src/server/main.ts` (what `npm start` runs after its `vite build`) with ' +
      'PORT on a free port, HOST=127.0.0.1, a fresh AWS_CONNECT_DATA_DIR (first start: the External ID is issued) ' +
      'and the embedded sandbox on, and polls `GET /api/health` every 10 ms until it answers 200. tsx compiles the ' +
      'TypeScript on the fly, so this includes transpiling the server. The second figure times `npm start` itself, ' +
      'whose script always runs `vite build` first. No target is set in issue 7.',
  };
}

export async function runStart(options: { runs?: number; npmRuns?: number } = {}): Promise<BenchSection> {
  return startSection(await measureStart(options));
}

if (isMain(import.meta.url)) {
  const result = await measureStart({
    runs: intFlag(process.argv, 'runs', 5),
    npmRuns: intFlag(process.argv, 'npm-runs', 2),
  });
  console.log(JSON.stringify(result, null, 2));
}
