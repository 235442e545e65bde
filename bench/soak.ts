import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { API } from '../src/domain/api-contract.ts';
import { REGIONS_BY_PARTITION } from '../src/domain/regions.ts';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { flag, intFlag, isMain } from './lib/cli.ts';
import type { BenchSection } from './lib/figures.ts';
import { BENCH_ROLE_ARN, startSandboxProcess } from './lib/sandbox-process.ts';

// The soak (issue 8, "Load and soak"): thousands of verifications through the real server over
// HTTP, against the sandbox in its own process so that only the server (and its HTTP client, the
// load loop) is measured. Resident memory must settle: growth from after the warm-up to the end
// under 10 %; no file descriptor leak: /proc/self/fd before the server starts and after it and the
// client's connection pool have closed (while it runs, the count follows the keep-alive pools).
//
// `npm test` runs a short form (src/server/soak.load.test.ts, 1,000 verifications); `npm run bench`
// the long one (10,000). Each run is a fresh child process (`node --import tsx bench/soak.ts --json`),
// so the figures are not those of whatever process asked for them.
//   node --import tsx bench/soak.ts [--iterations 10000] [--warmup N] [--concurrency 8] [--json]
//                                   [--regions every|made-up]
// --regions every: each verification names the next Region of the aws partition (72 service/region
// clients, all kept; the demo's REGION_DISABLED answer for ap-east-1 counts as answered). --regions made-up:
// each names a region no partition has, all distinct (refused with 400; the server once kept an SDK
// client for each, docs/decisions/014-regions-from-a-list.md).

export const SOAK_GROWTH_LIMIT_PCT = 10;
export const SOAK_FD_TOLERANCE = 8;

export interface SoakOptions {
  iterations?: number;
  concurrency?: number;
  /** run.ts's smoke mode: 1,000 iterations instead of 10,000. */
  quick?: boolean;
  /** Verifications before the first memory sample (default: a tenth of the run, 100 to 500). */
  warmup?: number;
  /** The region each verification names: none (the server's), every aws Region in turn, or a distinct made-up one. */
  regions?: SoakRegions;
}

export type SoakRegions = 'none' | 'every' | 'made-up';

/** The i-th made-up region: zz-xaaaa-1, zz-xaaab-1, ... (well-formed, in no partition). */
function madeUpRegion(i: number): string {
  const letters = Array.from({ length: 4 }, (_, k) =>
    String.fromCharCode(97 + (Math.floor(i / 26 ** (3 - k)) % 26)),
  );
  return `zz-x${letters.join('')}-${1 + Math.floor(i / 26 ** 4)}`;
}

export interface SoakResult {
  iterations: number;
  regions: SoakRegions;
  concurrency: number;
  warmup: number;
  /** Resident set size in MB after the 1,000th and 10,000th verification (null when not reached). */
  rssAt1k: number | null;
  rssAt10k: number | null;
  rssAfterWarmup: number;
  rssEnd: number;
  /** (rssEnd - rssAfterWarmup) / rssAfterWarmup, in percent. */
  growthPct: number;
  heapAfterWarmup: number;
  heapEnd: number;
  /** Open file descriptors before the server started and after it and the client pool closed (null off Linux). */
  fdsBefore: number | null;
  fdsAfter: number | null;
  /** Open file descriptors after the warm-up and after the last verification, pools open. */
  fdsWarm: number | null;
  fdsLoaded: number | null;
  /** Verifications that did not answer 200 with diagnosis OK. */
  errors: number;
  firstError: string | null;
  awsCalls: number;
  durationMs: number;
}

const MB = 1024 * 1024;

/**
 * Memory after a real gc() (twice, with a pause so freed pages can go back to the OS), so every
 * sample compares live memory the same way, not garbage that happens not to be collected yet.
 */
async function settledMemory(): Promise<{ rss: number; heap: number }> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  await new Promise((r) => setTimeout(r, 100));
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heap: heapUsed };
}

function openFds(): number | null {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return null;
  }
}

/** The soak itself, in this process. */
export async function measureSoak(options: SoakOptions = {}): Promise<SoakResult> {
  const iterations = options.iterations ?? (options.quick ? 1000 : 10_000);
  const concurrency = options.concurrency ?? 8;
  const warmup = options.warmup ?? Math.min(500, Math.max(100, Math.floor(iterations / 10)));
  const sandbox = await startSandboxProcess();
  const fdsBefore = openFds();
  const dataDir = mkdtempSync(join(tmpdir(), 'aws-connect-soak-'));
  let logBytes = 0;
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    AWS_REGION: 'us-east-1',
    AWS_CONNECT_DATA_DIR: dataDir,
    AWS_CONNECT_EXTERNAL_ID: sandbox.info.externalId,
    AWS_CONNECT_RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'info',
  });
  const app = await buildApp(config, {
    externalId: sandbox.info.externalId,
    defaultCredentials: async () => sandbox.info.scanner,
    endpoints: { sts: sandbox.info.url, iam: sandbox.info.url },
    // The real log lines are produced and serialised; only the bytes are counted, not kept.
    logStream: {
      write: (line: string) => {
        logBytes += line.length;
      },
    },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const client = new Agent({ keepAlive: true, maxSockets: concurrency });
  const regions = options.regions ?? 'none';
  const awsRegions = REGIONS_BY_PARTITION.aws;
  const bodyFor = (i: number) =>
    JSON.stringify({
      source: { kind: 'sdk-default' },
      roleArn: BENCH_ROLE_ARN,
      externalId: sandbox.info.externalId,
      ...(regions === 'every' ? { region: awsRegions[i % awsRegions.length] } : {}),
      ...(regions === 'made-up' ? { region: madeUpRegion(i) } : {}),
    });
  const answeredAsExpected = (status: number, text: string) =>
    regions === 'made-up'
      ? status === 400 && text.includes('"path":"region"')
      : status === 200 &&
        (text.includes('"code":"OK"') || (regions === 'every' && text.includes('"code":"REGION_DISABLED"')));

  let next = 0;
  let errors = 0;
  let firstError: string | null = null;
  let rssAt1k: number | null = null;
  let rssAt10k: number | null = null;
  let warm: { rss: number; heap: number; fds: number | null } | null = null;
  const started = performance.now();
  try {
    const one = async (i: number) => {
      const { status, text } = await post(client, port, bodyFor(i));
      if (!answeredAsExpected(status, text)) {
        errors++;
        firstError ??= `${status} ${text.slice(0, 300)}`;
      }
    };
    const phase = async (until: number) => {
      const worker = async () => {
        while (next < until) {
          next++;
          await one(next);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    };
    await phase(warmup);
    const warmMemory = await settledMemory();
    warm = { ...warmMemory, fds: openFds() };
    let end = warmMemory;
    for (const mark of [1000, 10_000, iterations]) {
      if (mark > iterations || mark <= next) continue;
      await phase(mark);
      end = await settledMemory();
      if (mark === 1000) rssAt1k = end.rss;
      if (mark === 10_000) rssAt10k = end.rss;
    }
    const fdsLoaded = openFds();
    const { rss, heap: heapUsed } = end;
    const calls = await sandbox.calls();
    await app.close();
    client.destroy();
    await new Promise((r) => setTimeout(r, 200)); // let the closed sockets' handles go
    const fdsAfter = openFds();
    return {
      iterations,
      regions,
      concurrency,
      warmup,
      rssAt1k: rssAt1k === null ? null : rssAt1k / MB,
      rssAt10k: rssAt10k === null ? null : rssAt10k / MB,
      rssAfterWarmup: warm.rss / MB,
      rssEnd: rss / MB,
      growthPct: ((rss - warm.rss) / warm.rss) * 100,
      heapAfterWarmup: warm.heap / MB,
      heapEnd: heapUsed / MB,
      fdsBefore,
      fdsAfter,
      fdsWarm: warm.fds,
      fdsLoaded,
      errors,
      firstError,
      awsCalls: calls.total,
      durationMs: performance.now() - started,
    };
  } finally {
    await app.close();
    client.destroy();
    await sandbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
    void logBytes;
  }
}

function post(agent: Agent, port: number, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: API.verify,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function section(r: SoakResult): BenchSection {
  const mb = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)} MB`);
  return {
    title: 'Soak',
    figures: [
      {
        label: `RSS growth after warm-up (${r.iterations} verifications)`,
        unit: '%',
        value: r.growthPct,
        target: { op: '<=', value: SOAK_GROWTH_LIMIT_PCT },
      },
      { label: 'RSS at 1k verifications', unit: 'MB', value: r.rssAt1k ?? Number.NaN },
      {
        label: 'live heap growth after warm-up',
        unit: '%',
        value: ((r.heapEnd - r.heapAfterWarmup) / r.heapAfterWarmup) * 100,
        note: 'after gc(): retained objects, the sharper leak signal',
      },
      ...(r.rssAt10k === null ? [] : [{ label: 'RSS at 10k verifications', unit: 'MB', value: r.rssAt10k }]),
      {
        label: 'file descriptors left open (after close minus before start)',
        unit: '',
        value: (r.fdsAfter ?? 0) - (r.fdsBefore ?? 0),
        target: { op: '<=', value: SOAK_FD_TOLERANCE },
      },
      { label: 'failed verifications', unit: '', value: r.errors, target: { op: '==', value: 0 } },
    ],
    markdown: [
      `${r.iterations} verifications (sdk-default, the demo scenario's green role${r.regions === 'none' ? '' : `, regions: ${r.regions}`}) through the real server over HTTP, ` +
        `${r.concurrency} at a time, against the sandbox in its own process; ${r.warmup} warm-up verifications first. ` +
        'Memory after a full gc(); descriptors from /proc/self/fd at the same load. `node --import tsx bench/soak.ts`.',
      '',
      '| figure | value |',
      '| --- | --- |',
      `| RSS after warm-up | ${mb(r.rssAfterWarmup)} |`,
      `| RSS at 1k | ${mb(r.rssAt1k)} |`,
      `| RSS at 10k | ${mb(r.rssAt10k)} |`,
      `| RSS at the end | ${mb(r.rssEnd)} (growth ${r.growthPct.toFixed(1)} %) |`,
      `| heap used after warm-up / end | ${mb(r.heapAfterWarmup)} / ${mb(r.heapEnd)} |`,
      `| fds before the server / after warm-up / after the last verification / after close | ${r.fdsBefore ?? 'n/a'} / ${r.fdsWarm ?? 'n/a'} / ${r.fdsLoaded ?? 'n/a'} / ${r.fdsAfter ?? 'n/a'} |`,
      `| AWS calls answered by the sandbox | ${r.awsCalls} |`,
      `| failed verifications | ${r.errors}${r.firstError ? ` (first: ${r.firstError.slice(0, 120)})` : ''} |`,
      `| duration | ${(r.durationMs / 1000).toFixed(1)} s |`,
    ].join('\n'),
  };
}

/**
 * The soak in a fresh child process (what tests and run.ts call). Returns the figures and, for
 * bench/run.ts, the same as a BenchSection.
 */
export async function runSoak(options: SoakOptions = {}): Promise<SoakResult & BenchSection> {
  const iterations = options.iterations ?? (options.quick ? 1000 : 10_000);
  const args = [
    '--import',
    'tsx',
    fileURLToPath(import.meta.url),
    '--json',
    '--iterations',
    String(iterations),
  ];
  if (options.concurrency) args.push('--concurrency', String(options.concurrency));
  if (options.warmup) args.push('--warmup', String(options.warmup));
  if (options.regions) args.push('--regions', options.regions);
  const result = await new Promise<SoakResult>((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`bench/soak.ts exited ${code}: ${stderr}`));
      try {
        resolve(JSON.parse(line) as SoakResult);
      } catch {
        reject(new Error(`bench/soak.ts printed no JSON: ${stdout.slice(-500)} ${stderr}`));
      }
    });
  });
  return { ...result, ...section(result) };
}

if (isMain(import.meta.url)) {
  const argv = process.argv.slice(2);
  const result = await measureSoak({
    iterations: intFlag(argv, 'iterations', argv.includes('--quick') ? 1000 : 10_000),
    concurrency: intFlag(argv, 'concurrency', 8),
    ...(flag(argv, 'warmup') ? { warmup: intFlag(argv, 'warmup', 100) } : {}),
    regions: (['every', 'made-up'] as const).find((r) => r === flag(argv, 'regions')) ?? 'none',
  });
  if (argv.includes('--json') || flag(argv, 'format') === 'json') {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    process.stdout.write(`${section(result).markdown}\n`);
  }
  // With --json the caller judges the figures (and needs them when they are over a limit).
  const withinLimits = result.errors === 0 && result.growthPct < SOAK_GROWTH_LIMIT_PCT;
  process.exitCode = withinLimits || argv.includes('--json') ? 0 : 1;
}
