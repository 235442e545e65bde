import type { Check, VerifyReport } from '../domain/diagnosis-contract.ts';
import type { VerifyEmit } from '../server/verify/progress.ts';

// What `aws-connect verify` prints as the verification goes (issue 15): on a terminal each check
// as it finishes and the verdict when the first round ends, then the rest of the report; piped or
// with --json, the same single output as before, written once at the end.

const MARK = { pass: 'ok  ', fail: 'FAIL', warn: 'WARN', skipped: '--  ' } as const;

export function checkLine(c: Check): string {
  return `  ${MARK[c.status]}  ${c.title}: ${c.detail}`;
}

export interface Output {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** The live lines for a terminal, or nothing (undefined) when the output is not one. */
export function liveProgress(out: Output, json: boolean): VerifyEmit | undefined {
  if (json || out.isTTY !== true) return undefined;
  out.write('Checks:\n');
  return (event) => {
    if (event.type === 'check') out.write(`${checkLine(event.check)}\n`);
    else if (event.type === 'verdict' && event.connected)
      out.write(`  (connected: ${event.assumed?.arn}; still checking: ${event.pending.join(', ')})\n`);
  };
}

/** After a live run the checks are on screen already: the report's own list is left out. */
export function printReport(
  out: Output,
  report: VerifyReport,
  opts: { json: boolean; live: boolean },
  format: (report: VerifyReport, checksShown: boolean) => string,
): void {
  out.write(
    opts.json
      ? `${JSON.stringify(report, null, 2)}\n`
      : `${opts.live ? '\n' : ''}${format(report, opts.live)}`,
  );
}
