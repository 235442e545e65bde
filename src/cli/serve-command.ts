import { parseArgs } from 'node:util';

// `aws-connect serve`: the same start as `npm start` (without building the web app).
// Configuration comes from the environment (README); --port and --host override PORT and HOST.

const USAGE = `aws-connect serve [--port N] [--host ADDRESS]

Starts the wizard and its API (with the local AWS sandbox unless AWS_CONNECT_SANDBOX=off).
  --port N         TCP port (default PORT or 8787; 0 picks a free one)
  --host ADDRESS   listen address (default HOST or 127.0.0.1)
Stop it with Ctrl-C.`;

function fail(message: string): number {
  process.stderr.write(`aws-connect serve: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  return 2;
}

export async function runServeCommand(argv: string[]): Promise<number> {
  let values: { port?: string; host?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    return fail(`${(e as Error).message.split('\n')[0]} Run "aws-connect serve --help".`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const env = { ...process.env };
  if (values.port !== undefined) env.PORT = values.port;
  if (values.host !== undefined) env.HOST = values.host;
  // Loaded here, not at the top: every other command would pay for Fastify and the sandbox.
  const { serveUntilSignal, startFailure, startServer } = await import('../server/main.ts');
  try {
    const server = await startServer(env);
    return await serveUntilSignal(server);
  } catch (err) {
    const { code, message } = startFailure(err);
    process.stderr.write(`aws-connect serve: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return code;
  }
}
