import { readFileSync } from 'node:fs';
import { ORG_API, type OrgEvent, type StartEvent, type SummaryEvent } from '../src/domain/org-contract.ts';
import { readOrgEvents } from '../src/domain/org-stream.ts';
import { generatedOutcomes, organizationSchema } from '../src/sandbox/organization-scenario.ts';
import {
  MANAGEMENT_ACCOUNT,
  managementRoleArn,
  organizationScenario,
} from '../src/sandbox/test-organization.ts';
import { fetchExternalId, verifyBody, verifyOnce } from './lib/api.ts';
import { intFlag, isMain } from './lib/cli.ts';
import type { BenchSection } from './lib/figures.ts';
import { withServerOnSandbox } from './lib/server-process.ts';
import { median, spread } from './lib/stats.ts';

// A whole organization at once (issue 14, "Scale"): N generated member accounts in the sandbox
// (its own process), every AWS answer delayed by L ms, POST /api/org/verify from the management
// account as a client would read it (NDJSON). Figures, per run: wall time of the bulk part (start
// event to summary) against the ideal ceil(N / concurrency) x one verification (a sequential
// POST /api/verify of a connected account, same server, same latency), the server's peak resident
// memory, the longest gap between two events, and that every account had exactly one event.
// The caller's STS bucket is set above what the run needs: this measures the engine; at the
// default 50 calls/s the bucket, not the engine, sets the pace (docs/organizations.md).

export const ORG_TARGETS = { ratio: 1.3, rssMb: 300, gapMs: 250 };

export interface OrgRun {
  wallMs: number;
  idealMs: number;
  ratio: number;
  oneVerifyMs: number;
  discoveryMs: number;
  peakRssMb: number;
  maxGapMs: number;
  accountEvents: number;
  expectedAccounts: number;
  duplicates: number;
  /** Account events whose result was saved as a connection, and how many distinct connections they name. */
  saved: number;
  connections: number;
  byCode: Record<string, number>;
}

function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return Number.NaN;
  }
}

export async function measureOrg(
  options: { accounts?: number; latencyMs?: number; concurrency?: number; runs?: number } = {},
): Promise<{ runs: OrgRun[]; accounts: number; latencyMs: number; concurrency: number }> {
  const accounts = options.accounts ?? 1000;
  const latencyMs = options.latencyMs ?? 50;
  const concurrency = options.concurrency ?? 8;
  const expectedOutcomes = generatedOutcomes(
    organizationSchema.parse(organizationScenario({ count: accounts }).organization),
  );
  const expectedAccounts = 3 + [...expectedOutcomes.values()].filter((o) => o !== 'suspended').length;
  return withServerOnSandbox(
    async (sandbox, server) => {
      const issued = await fetchExternalId(server.url);
      const one = verifyBody(issued, managementRoleArn(MANAGEMENT_ACCOUNT));
      for (let i = 0; i < 3; i++) await verifyOnce(server.url, one); // warm-up, no latency
      await sandbox.setLatency(latencyMs);
      const runs: OrgRun[] = [];
      for (let r = 0; r < (options.runs ?? 3); r++) {
        const singles: number[] = [];
        for (let i = 0; i < 5; i++) singles.push((await verifyOnce(server.url, one)).ms);
        const oneVerifyMs = median(singles);
        let peak = rssMb(server.pid);
        const sampler = setInterval(() => {
          peak = Math.max(peak, rssMb(server.pid));
        }, 50);
        const sent = performance.now();
        const res = await fetch(`${server.url}${ORG_API.verify}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
          body: JSON.stringify({
            targets: { kind: 'organization', roleArn: managementRoleArn() },
            externalId: issued,
          }),
        });
        if (res.status !== 200)
          throw new Error(`POST ${ORG_API.verify} answered ${res.status}: ${await res.text()}`);
        let start: StartEvent | null = null;
        let summary: SummaryEvent | null = null;
        let startedAt = 0;
        let last = 0;
        let maxGapMs = 0;
        const seen = new Set<string>();
        let accountEvents = 0;
        let duplicates = 0;
        let saved = 0;
        const connections = new Set<string>();
        await readOrgEvents(res.body as ReadableStream<Uint8Array>, (e: OrgEvent) => {
          const now = performance.now();
          if (e.type === 'failed') throw new Error(`the run failed: ${e.failure.message}`);
          if (e.type === 'start') {
            start = e;
            startedAt = now;
          } else {
            maxGapMs = Math.max(maxGapMs, now - last);
          }
          last = now;
          if (e.type === 'account') {
            accountEvents++;
            if (seen.has(e.accountId)) duplicates++;
            seen.add(e.accountId);
            if (e.saved) saved++;
            if (e.connectionId) connections.add(e.connectionId);
          }
          if (e.type === 'summary') summary = e;
        });
        clearInterval(sampler);
        peak = Math.max(peak, rssMb(server.pid));
        const s = summary as SummaryEvent | null;
        const st = start as StartEvent | null;
        if (!s || !st) throw new Error('the stream ended without a start and a summary');
        const wallMs = last - startedAt;
        const idealMs = Math.ceil(st.total / concurrency) * oneVerifyMs;
        runs.push({
          wallMs,
          idealMs,
          ratio: wallMs / idealMs,
          oneVerifyMs,
          discoveryMs: startedAt - sent,
          peakRssMb: peak,
          maxGapMs,
          accountEvents,
          expectedAccounts,
          duplicates,
          saved,
          connections: connections.size,
          byCode: s.byCode,
        });
      }
      return { runs, accounts, latencyMs, concurrency };
    },
    {
      sandbox: { organizationAccounts: accounts },
      serverEnv: { AWS_CONNECT_ORG_STS_RATE: '10000', AWS_CONNECT_ORG_CONCURRENCY: String(concurrency) },
    },
  );
}

const round = (n: number, d = 0) => Math.round(n * 10 ** d) / 10 ** d;

export function orgSection(result: Awaited<ReturnType<typeof measureOrg>>): BenchSection {
  const pick = (f: (r: OrgRun) => number, d = 0) => spread(result.runs.map((r) => round(f(r), d)));
  const first = result.runs[0];
  const rows = result.runs.map(
    (r, i) =>
      `| ${i + 1} | ${round(r.wallMs)} | ${round(r.idealMs)} | ${round(r.ratio, 2)} | ${round(r.oneVerifyMs, 1)} | ${round(r.discoveryMs)} | ${round(r.peakRssMb)} | ${round(r.maxGapMs)} | ${r.accountEvents} / ${r.expectedAccounts} | ${r.saved} / ${r.connections} |`,
  );
  return {
    title: `Organization (${result.accounts} member accounts)`,
    figures: [
      {
        label: `bulk wall time / ideal ceil(N / ${result.concurrency}) x one verification (L = ${result.latencyMs} ms)`,
        unit: 'x',
        value: pick((r) => r.ratio, 2),
        target: { op: '<=', value: ORG_TARGETS.ratio },
      },
      { label: 'bulk wall time', unit: 'ms', value: pick((r) => r.wallMs) },
      {
        label: 'one verification (sequential, same latency)',
        unit: 'ms',
        value: pick((r) => r.oneVerifyMs, 1),
      },
      { label: 'discovery (request to start event)', unit: 'ms', value: pick((r) => r.discoveryMs) },
      {
        label: 'server peak RSS',
        unit: 'MB',
        value: pick((r) => r.peakRssMb),
        target: { op: '<=', value: ORG_TARGETS.rssMb },
      },
      {
        label: 'longest gap between events',
        unit: 'ms',
        value: pick((r) => r.maxGapMs),
        target: { op: '<=', value: ORG_TARGETS.gapMs },
      },
      {
        label: 'account events / ACTIVE accounts (every run)',
        unit: '',
        value: result.runs.every((r) => r.accountEvents === r.expectedAccounts && r.duplicates === 0) ? 1 : 0,
        target: { op: '==', value: 1 },
        note: '1: every account exactly once in every run',
        digits: 0,
      },
    ],
    markdown: [
      `The sandbox (its own process) holds an organization of ${result.accounts} generated member accounts (the mix of ` +
        '`src/sandbox/test-organization.ts`: every 7th a trust mismatch, 11th no role, 13th SecurityAudit detached, ' +
        `17th another External ID, 19th no External ID condition, 23rd suspended) and delays every AWS answer by ` +
        `L = ${result.latencyMs} ms. The server (\`node --import tsx src/server/main.ts\`, sandbox off, the scanner's keys ` +
        `as its default chain, \`AWS_CONNECT_ORG_CONCURRENCY=${result.concurrency}\`, the STS bucket at 10,000 calls/s) ` +
        'answers one `POST /api/org/verify` from the management role per run; the bench reads the NDJSON stream. ' +
        '"One verification" is the median of 5 sequential `POST /api/verify` of the management account just before ' +
        'each run. Memory is `VmRSS` of the server process, sampled every 50 ms. Every result is saved as a ' +
        "connection in the server's SQLite file (the first run creates them, the next ones update the same ones).",
      '',
      '| run | bulk wall ms | ideal ms | ratio | one verification ms | discovery ms | peak RSS MB | longest gap ms | account events | saved / connections |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      first
        ? `Outcomes (run 1): ${Object.entries(first.byCode)
            .map(([code, n]) => `${code} ${n}`)
            .join(', ')}.`
        : '',
    ].join('\n'),
  };
}

export async function runOrg(options: { quick?: boolean } = {}): Promise<BenchSection> {
  return orgSection(await measureOrg({ runs: options.quick ? 1 : 3, accounts: options.quick ? 200 : 1000 }));
}

if (isMain(import.meta.url)) {
  const argv = process.argv.slice(2);
  const result = await measureOrg({
    accounts: intFlag(argv, 'accounts', 1000),
    latencyMs: intFlag(argv, 'latency-ms', 50),
    concurrency: intFlag(argv, 'concurrency', 8),
    runs: intFlag(argv, 'runs', 3),
  });
  process.stdout.write(`${orgSection(result).markdown}\n`);
}
