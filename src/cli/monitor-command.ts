import { parseArgs } from 'node:util';

// `aws-connect monitor`: re-verifies the saved SDK-default connections, as the server does on its
// schedule. --once runs one pass over the connections that are due and exits (for cron and
// tests); without it, it keeps the schedule in the foreground. Same configuration as the server
// (README): the store (AWS_CONNECT_DATA_DIR or DATABASE_URL), the AWS settings, the webhook.

const USAGE = `aws-connect monitor [--once] [--json]

Re-verifies every saved connection that uses the server's own identity (SDK default) and is due,
records its status and history, and sends the webhook on each status change.
  --once   one pass over the connections due now, then exit (for cron)
  --json   print the pass's summary as JSON (with --once)
Exit code: 0 when the pass ran, 1 when some checks could not run, 2 on bad input.`;

function fail(message: string): number {
  process.stderr.write(`aws-connect monitor: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  return 2;
}

export async function runMonitorCommand(argv: string[]): Promise<number> {
  let values: { once?: boolean; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        once: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    return fail(`${(e as Error).message.split('\n')[0]} Run "aws-connect monitor --help".`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const env = { LOG_LEVEL: 'warn', ...process.env };
  // Loaded here: the other commands would pay for the server, the store and the SDK.
  const { monitorOf, openRuntime, serveUntilSignal, startFailure } = await import('../server/main.ts');
  let runtime: Awaited<ReturnType<typeof openRuntime>>;
  try {
    runtime = await openRuntime(env, { logStream: process.stderr });
  } catch (err) {
    const { code, message } = startFailure(err);
    process.stderr.write(`aws-connect monitor: ${message}\n`);
    return code;
  }
  const monitor = monitorOf(runtime);
  if (!monitor) {
    await runtime.close();
    return fail('no store is configured.');
  }
  if (!values.once) {
    monitor.start();
    process.stdout.write(`Monitoring every ${runtime.config.monitor.intervalMs / 1000} s; Ctrl-C stops.\n`);
    return serveUntilSignal({
      close: async () => {
        await monitor.stop();
        await runtime.close();
      },
    });
  }
  try {
    const summary = await monitor.runPass();
    if (values.json) {
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    } else {
      const parts = ['ok', 'warning', 'broken', 'unknown'].map((s) => `${s} ${summary.byStatus[s] ?? 0}`);
      process.stdout.write(
        `Checked ${summary.checked} connection(s): ${parts.join(', ')}; ${summary.transitions} status change(s)` +
          `${summary.failed ? `; ${summary.failed} could not be checked (see the log)` : ''}.\n`,
      );
    }
    return summary.failed > 0 ? 1 : 0;
  } finally {
    await runtime.close();
  }
}
