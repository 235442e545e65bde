import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { BUNDLE_BUDGETS, type BundleReport, bundleTable, KB, measureBundle } from './bundle.ts';
import { flag, intFlag } from './lib/cli.ts';
import type { BenchSection } from './lib/figures.ts';
import { machine } from './lib/machine.ts';
import { runMonitorPass } from './monitor-pass.ts';
import { runOrg } from './org.ts';
import { runPage } from './page.ts';
import { headline, renderResults } from './results.ts';
import { runSoak } from './soak.ts';
import { runStart } from './start.ts';
import { runThroughput } from './throughput.ts';
import { runVerifyLatency } from './verify-latency.ts';
import { runVerifyStream } from './verify-stream.ts';

// `npm run bench`: builds the web app, runs every bench several times and writes
// bench/RESULTS.md (issue 7). Options:
//   --only bundle,start,verify,verify-stream,throughput,page,monitor,org,soak   run a subset
//   --quick                                            fewer and shorter runs (a smoke test, not figures)
//   --no-build                                         measure the existing dist/web
//   --out <file>                                       where to write (default bench/RESULTS.md)
// A bench that throws is reported in RESULTS.md and makes the exit code 1; a missed target does not.

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const only = flag(argv, 'only')
  ?.split(',')
  .map((s) => s.trim());
const out = flag(argv, 'out') ?? 'bench/RESULTS.md';
const runs = (full: number) => intFlag(argv, 'runs', quick ? Math.min(full, 2) : full);

function bundleSection(report: BundleReport): BenchSection {
  return {
    title: 'Bundle',
    figures: [
      {
        label: 'first-screen JS (gzip -9)',
        unit: 'KB',
        value: report.firstScreenJs / KB,
        target: { op: '<=', value: BUNDLE_BUDGETS.firstScreenJs / KB },
        note: 'entry + static imports + modulepreloads',
      },
      {
        label: 'all JS, every step of the wizard (gzip -9)',
        unit: 'KB',
        value: report.allJs / KB,
        target: { op: '<=', value: BUNDLE_BUDGETS.allJs / KB },
      },
      {
        label: 'organization flow JS (gzip -9)',
        unit: 'KB',
        value: report.organizationJs / KB,
        target: { op: '<=', value: BUNDLE_BUDGETS.organizationJs / KB },
        note: 'its own chunk; what it shares with the wizard counts above',
      },
      {
        label: 'connections pages JS (gzip -9)',
        unit: 'KB',
        value: report.connectionsJs / KB,
        target: { op: '<=', value: BUNDLE_BUDGETS.connectionsJs / KB },
        note: 'its own chunk, the same way',
      },
      {
        label: 'later-step chunks JS (gzip -9)',
        unit: 'KB',
        value: report.laterStepJs / KB,
        target: { op: '<=', value: BUNDLE_BUDGETS.laterStepJs / KB },
        note: 'what ?step=… preloads beside the entry',
      },
      {
        label: 'JS at start: a later step (?step=…)',
        unit: 'KB',
        value: report.pagesJs.laterStep / KB,
        note: 'entry + later-step chunks; a later step drawn from the tab’s copy asks for its chunks after its first paint (decisions 065, 066)',
      },
      {
        label: 'JS at start: organization page (?flow=organization)',
        unit: 'KB',
        value: report.pagesJs.organization / KB,
        note: 'entry + organization chunk + the wizard chunks it imports',
      },
      {
        label: 'CSS (gzip -9)',
        unit: 'KB',
        value: report.css / KB,
        target: { op: '<=', value: BUNDLE_BUDGETS.css / KB },
      },
      { label: 'first-screen CSS (gzip -9)', unit: 'KB', value: report.firstScreenCss / KB },
    ],
    markdown: [
      'From `dist/web/index.html` and `dist/web/.vite/manifest.json`: the first screen is the entry chunk, its ' +
        'static imports (recursively) and every `modulepreload`/stylesheet link of index.html; "every step" is every ' +
        "JS file in the build but the organization flow's and the connections pages' own chunks, which have their own budgets. Each file is gzipped separately at level 9 (node:zlib), as a server would send it; " +
        '1 KB = 1000 bytes. The same budgets are asserted in `npm test` (bench/bundle-budget.test.ts).',
      '',
      bundleTable(report),
    ].join('\n'),
  };
}

interface Bench {
  id: string;
  title: string;
  command: string;
  run: () => Promise<BenchSection>;
}

const BENCHES: Bench[] = [
  {
    id: 'bundle',
    title: 'Bundle',
    command: 'node --import tsx bench/bundle.ts dist/web',
    run: async () => bundleSection(measureBundle('dist/web')),
  },
  {
    id: 'start',
    title: 'Start',
    command: `node --import tsx bench/start.ts --runs ${runs(5)} --npm-runs ${quick ? 1 : 2}`,
    run: () => runStart({ runs: runs(5), npmRuns: quick ? 1 : 2 }),
  },
  {
    id: 'verify',
    title: 'Verify latency',
    command: `node --import tsx bench/verify-latency.ts --runs ${runs(5)} --samples ${quick ? 5 : 20} --latency-ms 100`,
    run: () => runVerifyLatency({ runs: runs(5), samples: quick ? 5 : 20 }),
  },
  {
    id: 'verify-stream',
    title: 'Verify stream',
    command: `node --import tsx bench/verify-stream.ts --runs ${runs(5)} --samples ${quick ? 5 : 20} --latency-ms 100`,
    run: () => runVerifyStream({ runs: runs(5), samples: quick ? 5 : 20 }),
  },
  {
    id: 'throughput',
    title: 'Throughput',
    command: `node --import tsx bench/throughput.ts --runs ${runs(3)} --duration ${quick ? 3 : 8} --connections 10`,
    run: () => runThroughput({ runs: runs(3), durationS: quick ? 3 : 8 }),
  },
  {
    id: 'monitor',
    title: 'Monitor pass',
    command: `node --import tsx bench/monitor-pass.ts --connections ${quick ? 100 : 1000} --runs ${runs(3)}`,
    run: () => runMonitorPass({ connections: quick ? 100 : 1000, runs: runs(3) }),
  },
  {
    id: 'page',
    title: 'Page (Lighthouse, mobile preset)',
    command: `node --import tsx bench/page.ts --runs ${runs(3)}`,
    run: () => runPage({ runs: runs(3) }),
  },
  {
    id: 'org',
    title: 'Organization',
    command: `node --import tsx bench/org.ts --runs ${runs(3)} --accounts ${quick ? 200 : 1000} --latency-ms 50 --concurrency 8`,
    run: () => runOrg({ quick }),
  },
  {
    id: 'soak',
    title: 'Soak',
    command: `node --import tsx bench/soak.ts${quick ? ' --quick' : ''}`,
    run: () => runSoak({ quick }),
  },
];

const started = performance.now();
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const selected = BENCHES.filter((b) => !only || only.includes(b.id));
const commands = ['npm run bench   # = node --import tsx bench/run.ts, which runs:'];

if (!argv.includes('--no-build')) {
  log('vite build');
  commands.push('npm run build   # vite build -> dist/web');
  const build = spawnSync('npm', ['run', '-s', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('npm run build failed');
}

const sections: BenchSection[] = [];
const failures: { title: string; message: string }[] = [];
for (const bench of selected) {
  commands.push(bench.command);
  log(`${bench.id}: ${bench.command}`);
  const t = performance.now();
  try {
    const section = await bench.run();
    sections.push(section);
    for (const f of section.figures) log(`  ${headline(f)}`);
  } catch (error) {
    const message = error instanceof Error ? `${error.message}` : String(error);
    failures.push({ title: bench.title, message });
    log(`  FAILED: ${message}`);
  }
  log(`  (${Math.round((performance.now() - t) / 1000)} s)`);
}

const markdown = renderResults({
  date: new Date().toISOString(),
  durationS: (performance.now() - started) / 1000,
  machine: machine(),
  commands,
  sections,
  failures,
});
writeFileSync(out, markdown);
log(`wrote ${out} in ${Math.round((performance.now() - started) / 1000)} s`);
if (failures.length) process.exitCode = 1;
