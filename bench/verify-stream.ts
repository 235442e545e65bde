import { API } from '../src/domain/api-contract.ts';
import { NDJSON } from '../src/domain/ndjson-stream.ts';
import { type VerifyEvent, verifyEventSchema } from '../src/domain/verify-stream.ts';
import { fetchExternalId, verifyBody, verifyOnce } from './lib/api.ts';
import { stsClient, timeBareCall } from './lib/aws.ts';
import { intFlag, isMain } from './lib/cli.ts';
import type { BenchSection } from './lib/figures.ts';
import { withServerOnSandbox } from './lib/server-process.ts';
import { percentile, spread } from './lib/stats.ts';

// The streamed verification (issue 15): the sandbox adds L ms to every AWS call; each sample is one
// bare sts:GetCallerIdentity with the SDK, then one POST /api/verify read as NDJSON, timed from
// sending to the verdict event (GetCallerIdentity and AssumeRole answered) and to the report's
// last byte, then the same verification as one JSON answer. Ratios are
// per run against the bare call of the same run: verdict <= 1.10 x (one round trip), report
// <= 2.05 x (two).

export const VERDICT_RATIO_TARGET = 1.1;
export const REPORT_RATIO_TARGET = 2.05;

export interface StreamRun {
  bareP50: number;
  verdictP50: number;
  reportP50: number;
  verdictRatio: number;
  reportRatio: number;
  /** The single JSON answer in the same run, for comparison. */
  jsonP50: number;
}

/** One streamed verification: ms to the verdict and to the end; throws unless the report is green. */
async function streamOnce(serverUrl: string, body: string): Promise<{ verdict: number; report: number }> {
  const started = performance.now();
  const res = await fetch(`${serverUrl}${API.verify}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: NDJSON },
    body,
  });
  if (res.status !== 200 || !res.body) throw new Error(`POST ${API.verify} answered ${res.status}`);
  let verdictAt = Number.NaN;
  const lines: string[] = [];
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of res.body) {
    buffered += decoder.decode(chunk, { stream: true });
    // Timed on arrival; parsed after, so the bench's own schema check is not counted.
    if (Number.isNaN(verdictAt) && buffered.includes('"type":"verdict"')) verdictAt = performance.now();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
  }
  const endedAt = performance.now();
  const events: VerifyEvent[] = lines.map((l) => verifyEventSchema.parse(JSON.parse(l)));
  const last = events.at(-1);
  if (last?.type !== 'report' || !last.report.ok) throw new Error('the streamed verification is not green');
  if (Number.isNaN(verdictAt)) throw new Error('no verdict event');
  return { verdict: verdictAt - started, report: endedAt - started };
}

export async function measureVerifyStream(
  options: { runs?: number; samples?: number; latencyMs?: number } = {},
): Promise<{ latencyMs: number; samples: number; runs: StreamRun[] }> {
  const runs = options.runs ?? 5;
  const samples = options.samples ?? 20;
  const latencyMs = options.latencyMs ?? 100;
  return withServerOnSandbox(async (sandbox, server) => {
    const { url: endpoint, scanner } = sandbox.info;
    const body = verifyBody(await fetchExternalId(server.url));
    const sts = stsClient(endpoint, scanner);
    const bare = () => timeBareCall(sts);
    for (let i = 0; i < 3; i++) {
      await bare();
      await streamOnce(server.url, body);
    }
    await sandbox.setLatency(latencyMs);
    const out: StreamRun[] = [];
    for (let r = 0; r < runs; r++) {
      const b: number[] = [];
      const v: number[] = [];
      const t: number[] = [];
      const j: number[] = [];
      for (let i = 0; i < samples; i++) {
        b.push(await bare());
        const s = await streamOnce(server.url, body);
        v.push(s.verdict);
        t.push(s.report);
        j.push((await verifyOnce(server.url, body)).ms);
      }
      const bareP50 = percentile(b, 50);
      const verdictP50 = percentile(v, 50);
      const reportP50 = percentile(t, 50);
      out.push({
        bareP50,
        verdictP50,
        reportP50,
        verdictRatio: verdictP50 / bareP50,
        reportRatio: reportP50 / bareP50,
        jsonP50: percentile(j, 50),
      });
    }
    sts.destroy();
    return { latencyMs, samples, runs: out };
  });
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

export async function runVerifyStream(
  options: { runs?: number; samples?: number } = {},
): Promise<BenchSection> {
  const result = await measureVerifyStream(options);
  const pick = (f: (r: StreamRun) => number, d = 1) => spread(result.runs.map((r) => round(f(r), d)));
  const L = result.latencyMs;
  return {
    title: 'Verify stream',
    figures: [
      {
        label: `time to verdict / one STS call p50 (L = ${L} ms)`,
        unit: 'x',
        value: pick((r) => r.verdictRatio, 3),
        target: { op: '<=', value: VERDICT_RATIO_TARGET },
        note: 'the verdict event: GetCallerIdentity and AssumeRole answered',
      },
      {
        label: `full report / one STS call p50 (L = ${L} ms)`,
        unit: 'x',
        value: pick((r) => r.reportRatio, 3),
        target: { op: '<=', value: REPORT_RATIO_TARGET },
        note: 'the stream’s last byte (the report event)',
      },
      { label: 'time to verdict p50', unit: 'ms', value: pick((r) => r.verdictP50) },
      { label: 'full report p50 (streamed)', unit: 'ms', value: pick((r) => r.reportP50) },
      { label: 'full report p50 (JSON answer, same run)', unit: 'ms', value: pick((r) => r.jsonP50) },
      { label: 'one STS GetCallerIdentity p50 (SDK, direct)', unit: 'ms', value: pick((r) => r.bareP50) },
    ],
    markdown: [
      `The sandbox (its own process) delays every AWS answer by L = ${L} ms; the server runs as in "Verify latency". ` +
        `Each run interleaves ${result.samples} sequential \`POST /api/verify\` with \`Accept: ${NDJSON}\` ` +
        '(sdk-default source, the demo role; each must end in a green report) with as many bare ' +
        '`sts:GetCallerIdentity` calls made with the SDK from the bench process. A verification is timed from ' +
        'sending the request to the chunk that holds the `verdict` event, and to the last byte of the stream; ' +
        'each sample also makes the same verification as one JSON answer (`Accept: application/json`), for comparison.',
      '',
      '| run | one STS call p50 ms | verdict p50 ms | report p50 ms | JSON answer p50 ms | verdict ratio | report ratio |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...result.runs.map(
        (r, i) =>
          `| ${i + 1} | ${round(r.bareP50)} | ${round(r.verdictP50)} | ${round(r.reportP50)} | ${round(r.jsonP50)} | ${round(r.verdictRatio, 2)} | ${round(r.reportRatio, 2)} |`,
      ),
    ].join('\n'),
  };
}

if (isMain(import.meta.url)) {
  const result = await measureVerifyStream({
    runs: intFlag(process.argv, 'runs', 5),
    samples: intFlag(process.argv, 'samples', 20),
    latencyMs: intFlag(process.argv, 'latency-ms', 100),
  });
  console.log(JSON.stringify(result, null, 2));
}
