import { listenHostSchema, portSchema } from '../domain/server-inputs.ts';
import { parseOptions, UsageError } from './parse-options.ts';

// `aws-connect serve`: the same start as `npm start` (without building the web app).
// Configuration comes from the environment (README); --port and --host override PORT and HOST.

const USAGE = `aws-connect serve [--port N] [--host ADDRESS] [--no-open]

Starts the wizard and its API (with the local AWS sandbox unless AWS_CONNECT_SANDBOX=off).
  --port N         TCP port (default PORT or 8787; 0 picks a free one)
  --host ADDRESS   listen address (default HOST or 127.0.0.1)
  --no-open        do not open the wizard in a browser (also AWS_CONNECT_OPEN=0); it opens only
                   from a desktop terminal, never in CI or when the output is not a terminal
Stop it with Ctrl-C.`;

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'no-open': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function fail(message: string): number {
  process.stderr.write(`aws-connect serve: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  return 2;
}

/** A flag's value checked with the schema of the variable it overrides, so the message names the flag. */
function flagValue(flag: string, schema: typeof portSchema | typeof listenHostSchema, value: string) {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new UsageError(`--${flag} "${value.slice(0, 40)}": ${result.error.issues[0]?.message}`);
  return String(result.data);
}

export async function runServeCommand(argv: string[]): Promise<number> {
  const env = { ...process.env };
  let noOpen = false;
  try {
    const { values } = parseOptions(argv, OPTIONS);
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (values.port !== undefined) env.PORT = flagValue('port', portSchema, values.port);
    if (values.host !== undefined) env.HOST = flagValue('host', listenHostSchema, values.host);
    noOpen = values['no-open'] === true;
  } catch (e) {
    if (e instanceof UsageError) return fail(`${e.message} Run "aws-connect serve --help".`);
    throw e;
  }
  // Loaded here, not at the top: every other command would pay for Fastify and the sandbox.
  const { serveUntilSignal, startFailure, startServer, openWhenInteractive } = await import(
    '../server/main.ts'
  );
  try {
    const server = await startServer(env);
    openWhenInteractive(server, { noOpen });
    return await serveUntilSignal(server);
  } catch (err) {
    const { code, message } = startFailure(err);
    process.stderr.write(`aws-connect serve: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return code;
  }
}
