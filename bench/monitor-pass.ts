import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { startSandbox } from '../src/sandbox/server.ts';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { Monitor, scheduleTimes } from '../src/server/monitor/monitor.ts';
import { createConnection } from '../src/server/store/connections.ts';
import { openStore } from '../src/server/store/database.ts';
import { TEST_SCENARIO } from '../src/testing/live-stack.ts';
import { intFlag, isMain } from './lib/cli.ts';
import type { BenchSection } from './lib/figures.ts';
import { type Spread, spread } from './lib/stats.ts';

// One monitor pass over N saved SDK-default connections against the sandbox (issue 13, "Bench"):
// wall time, AWS calls (the sandbox's request log) and memory. In-process: the server's own
// connection service (buildApp, not listening), SQLite in a temporary data directory, the
// sandbox on loopback. Rows are inserted directly (a saved connection's columns), all due at once.

const EXTERNAL_ID = 'monitor-bench-external-id-0001';

export interface MonitorPassResult {
  connections: number;
  concurrency: number;
  wallMs: Spread;
  callsPerConnection: number;
  peakRssMb: Spread;
}

async function onePass(
  n: number,
): Promise<{ wallMs: number; calls: number; peakRss: number; concurrency: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aws-connect-bench-monitor-'));
  const sandbox = await startSandbox({ port: 0, externalId: EXTERNAL_ID, scenario: TEST_SCENARIO });
  sandbox.world.setFaults({ propagationDelayMs: 0 });
  const store = await openStore({ dataDir });
  const config = loadConfig({
    AWS_CONNECT_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    AWS_CONNECT_EXTERNAL_ID: EXTERNAL_ID,
  });
  const keys = sandbox.world.serverCredentials('scanner');
  const app = await buildApp(config, {
    externalId: EXTERNAL_ID,
    store,
    defaultCredentials: async () => {
      if (!keys) throw new Error('no scanner keys');
      return keys;
    },
    endpoints: { sts: sandbox.url, iam: sandbox.url },
    logStream: { write: () => undefined },
  });
  try {
    const settings = {
      accountId: '222222222222',
      roleArn: 'arn:aws:iam::222222222222:role/ProwlerScan',
      externalId: EXTERNAL_ID,
      sourceKind: 'sdk-default' as const,
      trustedAccountId: '111111111111',
      iamPrincipal: '*',
      sessionName: null,
      durationSeconds: null,
      region: null,
      alias: null,
    };
    for (let i = 0; i < n; i++) {
      await createConnection(store.db, settings, null, {
        reportJson: '{}',
        diagnosisCode: 'OK',
        confidence: null,
        status: 'ok',
        driftJson: null,
        durationMs: 0,
        trigger: 'create',
        runner: 'bench',
        at: Date.now(),
        nextCheckAt: 0,
      });
    }
    const svc = app.connectionService;
    if (!svc) throw new Error('no connection service');
    const monitor = new Monitor({
      svc,
      concurrency: config.monitor.concurrency,
      ...scheduleTimes(config.monitor.intervalMs),
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    const before = sandbox.world.requestLog.snapshot().total;
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    const started = performance.now();
    const summary = await monitor.runPass();
    const wallMs = performance.now() - started;
    clearInterval(sampler);
    if (summary.checked !== n || summary.failed !== 0) {
      throw new Error(`the pass checked ${summary.checked} of ${n} (${summary.failed} failed)`);
    }
    const checks = await sql<{
      n: number;
    }>`select count(*) as n from verifications where trigger = 'monitor'`.execute(store.db);
    if (Number(checks.rows[0]?.n) !== n)
      throw new Error('the history does not hold one check per connection');
    return {
      wallMs,
      calls: sandbox.world.requestLog.snapshot().total - before,
      peakRss,
      concurrency: config.monitor.concurrency,
    };
  } finally {
    await app.close();
    await store.close();
    await sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function measureMonitorPass(
  options: { connections?: number; runs?: number } = {},
): Promise<MonitorPassResult> {
  const n = options.connections ?? 1000;
  const results = [];
  for (let i = 0; i < (options.runs ?? 3); i++) results.push(await onePass(n));
  return {
    connections: n,
    concurrency: results[0]?.concurrency ?? 0,
    wallMs: spread(results.map((r) => Math.round(r.wallMs))),
    callsPerConnection: (results[0]?.calls ?? 0) / n,
    peakRssMb: spread(results.map((r) => Math.round(r.peakRss / 1e6))),
  };
}

export function monitorPassSection(r: MonitorPassResult): BenchSection {
  return {
    title: 'Monitor pass',
    figures: [
      { label: `monitor pass over ${r.connections} connections (wall)`, unit: 'ms', value: r.wallMs },
      {
        label: 'AWS calls per connection checked',
        unit: 'calls',
        value: r.callsPerConnection,
        note: 'verification (GetCallerIdentity, AssumeRole, the audit, the External ID probe) + drift check',
      },
      { label: 'peak RSS during the pass', unit: 'MB', value: r.peakRssMb },
    ],
    markdown:
      `One \`Monitor.runPass()\` of the server's own connection service (\`buildApp\` with the store, not listening) over ${r.connections} ` +
      `saved SDK-default connections, all due, ${r.concurrency} workers (AWS_CONNECT_MONITOR_CONCURRENCY default), SQLite in a ` +
      'fresh data directory, the sandbox in the same process on loopback (no latency injected). AWS calls are the ' +
      "sandbox's request-log count; RSS is sampled every 50 ms. Each run checks that the history holds exactly one " +
      'monitor check per connection. No target is set in issue 13.',
  };
}

export async function runMonitorPass(
  options: { connections?: number; runs?: number } = {},
): Promise<BenchSection> {
  return monitorPassSection(await measureMonitorPass(options));
}

if (isMain(import.meta.url)) {
  const result = await measureMonitorPass({
    connections: intFlag(process.argv, 'connections', 1000),
    runs: intFlag(process.argv, 'runs', 3),
  });
  console.log(JSON.stringify(result, null, 2));
}
