import { fetchExternalId, verifyBody, verifyOnce } from './lib/api.ts';
import { stsClient, timeBareCall } from './lib/aws.ts';
import { intFlag, isMain } from './lib/cli.ts';
import type { BenchSection } from './lib/figures.ts';
import type { CallCount } from './lib/sandbox-process.ts';
import { withServerOnSandbox } from './lib/server-process.ts';
import { median, percentile, spread } from './lib/stats.ts';

// Verify latency (issue 7): the sandbox adds L ms to every AWS call. A verification needs two
// round trips at least (GetCallerIdentity and AssumeRole together, then the audit and the
// External-ID check together), so its p50 should stay within 2.1 x one bare STS call measured
// in the same run. The two kinds of request are interleaved so that noise hits both alike.

export const VERIFY_RATIO_TARGET = 2.1;

export interface VerifyLatencyRun {
  verifyP50: number;
  verifyP95: number;
  bareP50: number;
  ratio: number;
  /** From the reports' own timings: the slower call of each round trip, and the rest. */
  firstTripP50: number;
  secondTripP50: number;
  outsideCallsP50: number;
}

const FIRST_TRIP = new Set(['sts:GetCallerIdentity', 'sts:AssumeRole']);

/** Splits a verification's wall time with the report's per-call timings (src/server/verify/verify.ts). */
export function attribute(totalMs: number, timings: readonly { call: string; ms: number }[]) {
  const first = Math.max(0, ...timings.filter((t) => FIRST_TRIP.has(t.call)).map((t) => t.ms));
  const second = Math.max(0, ...timings.filter((t) => !FIRST_TRIP.has(t.call)).map((t) => t.ms));
  return { first, second, outside: totalMs - first - second };
}

export interface VerifyLatencyResult {
  latencyMs: number;
  samples: number;
  runs: VerifyLatencyRun[];
  /** AWS calls the sandbox answered per verification, one entry per measured verification. */
  callsPerVerify: number[];
  callsByAction: Record<string, number>;
}

export async function measureVerifyLatency(
  options: { runs?: number; samples?: number; latencyMs?: number; warmup?: number } = {},
): Promise<VerifyLatencyResult> {
  const runs = options.runs ?? 5;
  const samples = options.samples ?? 20;
  const latencyMs = options.latencyMs ?? 100;
  const warmup = options.warmup ?? 3;
  return withServerOnSandbox(async (sandbox, server) => {
    const { url: endpoint, scanner } = sandbox.info;
    const body = verifyBody(await fetchExternalId(server.url));
    const sts = stsClient(endpoint, scanner);
    const bare = () => timeBareCall(sts);
    const verify = async () => {
      const { report, ms } = await verifyOnce(server.url, body);
      return { ms, ...attribute(ms, report.timings) };
    };
    // Warm-up without latency: JIT, connection pools, the server's first-request work.
    for (let i = 0; i < warmup; i++) {
      await bare();
      await verify();
    }
    await sandbox.setLatency(latencyMs);
    const result: VerifyLatencyResult = {
      latencyMs,
      samples,
      runs: [],
      callsPerVerify: [],
      callsByAction: {},
    };
    for (let r = 0; r < runs; r++) {
      const bareTimes: number[] = [];
      const verifyTimes: number[] = [];
      const parts: { first: number; second: number; outside: number }[] = [];
      for (let i = 0; i < samples; i++) {
        bareTimes.push(await bare());
        await sandbox.resetCalls();
        const v = await verify();
        verifyTimes.push(v.ms);
        parts.push(v);
        const calls: CallCount = await sandbox.calls();
        result.callsPerVerify.push(calls.total);
        if (r === 0 && i === 0) result.callsByAction = calls.byAction;
      }
      const verifyP50 = percentile(verifyTimes, 50);
      const bareP50 = percentile(bareTimes, 50);
      result.runs.push({
        verifyP50,
        verifyP95: percentile(verifyTimes, 95),
        bareP50,
        ratio: verifyP50 / bareP50,
        firstTripP50: percentile(
          parts.map((p) => p.first),
          50,
        ),
        secondTripP50: percentile(
          parts.map((p) => p.second),
          50,
        ),
        outsideCallsP50: percentile(
          parts.map((p) => p.outside),
          50,
        ),
      });
    }
    sts.destroy();
    return result;
  });
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

export function verifyLatencySection(result: VerifyLatencyResult): BenchSection {
  const pick = (f: (r: VerifyLatencyRun) => number, d = 1) => spread(result.runs.map((r) => round(f(r), d)));
  const calls = [...new Set(result.callsPerVerify)];
  const byAction = Object.entries(result.callsByAction)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([action, n]) => `${action} × ${n}`)
    .join(', ');
  const rows = result.runs.map(
    (r, i) =>
      `| ${i + 1} | ${round(r.verifyP50)} | ${round(r.verifyP95)} | ${round(r.bareP50)} | ${round(r.ratio, 2)} | ` +
      `${round(r.firstTripP50)} | ${round(r.secondTripP50)} | ${round(r.outsideCallsP50)} |`,
  );
  return {
    title: 'Verify latency',
    figures: [
      {
        label: `verify p50 / one STS call p50 (L = ${result.latencyMs} ms)`,
        unit: 'x',
        value: pick((r) => r.ratio, 3),
        target: { op: '<=', value: VERIFY_RATIO_TARGET },
        note: 'two round trips is the floor (2.0 x)',
      },
      { label: 'verify p50', unit: 'ms', value: pick((r) => r.verifyP50) },
      { label: 'verify p95', unit: 'ms', value: pick((r) => r.verifyP95) },
      { label: 'one STS GetCallerIdentity p50 (SDK, direct)', unit: 'ms', value: pick((r) => r.bareP50) },
      {
        label: 'server time outside AWS calls p50',
        unit: 'ms',
        value: pick((r) => r.outsideCallsP50),
        note: 'verify wall time minus the slower call of each round trip (report timings)',
      },
      {
        label: 'second round trip (audit + External-ID probe) p50',
        unit: 'ms',
        value: pick((r) => r.secondTripP50),
        note: 'slowest of its 4 parallel calls, as the server timed it',
      },
      {
        label: 'AWS calls per verification',
        unit: 'calls',
        value: calls.length === 1 ? calls[0]! : median(result.callsPerVerify),
        note: calls.length === 1 ? byAction : `varied: ${calls.join(', ')}; ${byAction}`,
      },
    ],
    markdown: [
      `The sandbox (its own process) delays every AWS answer by L = ${result.latencyMs} ms. The server runs as ` +
        '`node --import tsx src/server/main.ts` with `AWS_CONNECT_SANDBOX=off`, `AWS_ENDPOINT_URL` at that sandbox and ' +
        "the sandbox's scanner keys as its default credential chain. Each run interleaves " +
        `${result.samples} sequential \`POST /api/verify\` (sdk-default source, the demo role, the server's External ID; ` +
        'each must come back green) with as many bare `sts:GetCallerIdentity` calls made with the SDK from the bench ' +
        'process to the same sandbox. A verification is timed from sending the request to the last byte of the ' +
        "answer (the bench's own schema check of the report comes after); the bare call, by the SDK's send(), " +
        'its parsing included. The ratio is taken per run; the table shows each run.',
      '',
      '| run | verify p50 ms | verify p95 ms | one STS call p50 ms | ratio | 1st trip p50 ms | 2nd trip p50 ms | outside AWS calls p50 ms |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      'The last three columns split the verification with the per-call `timings` of its own report: the slower ' +
        'call of the first round trip (GetCallerIdentity, AssumeRole), the slowest of the second (GetRole, ' +
        'ListAttachedRolePolicies, GetRolePolicy, AssumeRole without the External ID), and the rest: HTTP, ' +
        'validation, resolving the source, building clients, diagnosis and the report.',
      '',
      `AWS calls per verification, counted at the sandbox for each of the ${result.callsPerVerify.length} verifications: ` +
        `${calls.join(', ')} (${byAction}).`,
    ].join('\n'),
  };
}

export async function runVerifyLatency(
  options: { runs?: number; samples?: number } = {},
): Promise<BenchSection> {
  return verifyLatencySection(await measureVerifyLatency(options));
}

if (isMain(import.meta.url)) {
  const result = await measureVerifyLatency({
    runs: intFlag(process.argv, 'runs', 5),
    samples: intFlag(process.argv, 'samples', 20),
    latencyMs: intFlag(process.argv, 'latency-ms', 100),
  });
  console.log(JSON.stringify(result, null, 2));
}
