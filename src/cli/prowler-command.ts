import { fieldErrorsFrom } from '../domain/field-errors.ts';
import type { PushResult } from '../domain/prowler-api.ts';
import { type ProwlerPushInput, prowlerPushInputSchema } from '../domain/prowler-push-request.ts';
import { ConfigError, loadProwlerSettings } from '../server/config.ts';
import { ProwlerClient } from '../server/prowler/client.ts';
import { pushToProwler } from '../server/prowler/push.ts';
import { parseOptions, UsageError } from './parse-options.ts';

// `aws-connect prowler push` (issue 16): the role into Prowler App, then Prowler's own connection
// test. Exit 0 when Prowler reports connected: true, 1 otherwise (its test failed, or its API
// refused or did not answer: push again), 2 on bad input or a missing configuration.

const USAGE = `aws-connect prowler push --role-arn ARN --external-id ID [options]
aws-connect prowler push --connection ID [--json]

Creates or finds the AWS provider in Prowler App, writes its role secret, and runs Prowler's
connection test. Needs PROWLER_API_URL (ending in /api/v1) and PROWLER_API_KEY.
  --role-arn ARN        the role Prowler assumes, e.g. arn:aws:iam::123456789012:role/ProwlerScan
  --external-id ID      the External ID the stack was deployed with (Prowler's tenant ID)
  --account-id A        the provider's account ID (default: the role ARN's account)
  --alias A             the provider's name in Prowler, 3 to 100 characters
  --session-name N      role_session_name Prowler uses (2-64 characters)
  --duration S          session_duration, 900-43200 seconds
  --connection ID       push a saved connection instead (needs the connections registry)
  --json                print the result as one JSON object
Exit status: 0 Prowler reports connected, 1 it does not or the push failed, 2 bad input.`;

/** Where `--connection ID` finds the role: the connections registry plugs in here. */
export interface ConnectionLookup {
  pushInput(id: string): Promise<ProwlerPushInput | null>;
}

/** This build has no connections registry: `--connection` says so instead of guessing. */
export const NO_CONNECTIONS: ConnectionLookup | null = null;

const FLAGS = {
  'role-arn': 'roleArn',
  'external-id': 'externalId',
  'account-id': 'accountId',
  alias: 'alias',
  'session-name': 'sessionName',
  duration: 'durationSeconds',
} as const;
const FLAG_OF: Record<string, string> = Object.fromEntries(
  Object.entries(FLAGS).map(([flag, field]) => [field, `--${flag}`]),
);

function fail(message: string): number {
  process.stderr.write(`aws-connect prowler: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  return 2;
}

export interface ProwlerCommandDeps {
  env?: Record<string, string | undefined>;
  connections?: ConnectionLookup | null;
  /** Backoff base for retries and task polls, in ms (tests use 0). */
  delayMs?: number;
}

async function inputFrom(
  values: Record<string, string | boolean | undefined>,
  connections: ConnectionLookup | null,
): Promise<ProwlerPushInput> {
  if (typeof values.connection === 'string') {
    if (Object.keys(FLAGS).some((f) => values[f] !== undefined)) {
      throw new UsageError(
        '--connection takes the role from the saved connection: give no other role option.',
      );
    }
    if (!connections) {
      throw new UsageError(
        '--connection needs the connections registry, which this build does not have: use --role-arn and --external-id.',
      );
    }
    const found = await connections.pushInput(values.connection);
    if (!found) throw new UsageError(`no saved connection ${values.connection.slice(0, 80)}.`);
    return found;
  }
  if (!values['role-arn'] || !values['external-id']) {
    throw new UsageError(
      '--role-arn and --external-id are required (or --connection ID). Run "aws-connect prowler push --help".',
    );
  }
  const raw: Record<string, unknown> = {};
  for (const [flag, field] of Object.entries(FLAGS)) {
    const value = values[flag];
    if (typeof value !== 'string') continue;
    raw[field] = field === 'durationSeconds' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  }
  const parsed = prowlerPushInputSchema.safeParse(raw);
  if (!parsed.success) {
    const first = fieldErrorsFrom(parsed.error)[0];
    throw new UsageError(
      `${first ? (FLAG_OF[first.path] ?? first.path) : 'input'}: ${first?.message ?? 'invalid value.'}`,
    );
  }
  return parsed.data;
}

export async function runProwlerCommand(argv: string[], deps: ProwlerCommandDeps = {}): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'push') return fail(`unknown subcommand "${sub.slice(0, 40)}": the one there is is "push".`);
  let input: ProwlerPushInput;
  let json = false;
  try {
    const { values } = parseOptions(rest, {
      ...Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' as const }])),
      connection: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    json = values.json === true;
    input = await inputFrom(
      values as Record<string, string | boolean | undefined>,
      deps.connections ?? NO_CONNECTIONS,
    );
  } catch (e) {
    if (e instanceof UsageError) return fail(e.message);
    throw e;
  }
  let settings: ReturnType<typeof loadProwlerSettings>;
  try {
    settings = loadProwlerSettings(deps.env ?? process.env);
  } catch (e) {
    if (e instanceof ConfigError) return fail(e.message);
    throw e;
  }
  if (!settings)
    return fail('set PROWLER_API_URL (ending in /api/v1) and PROWLER_API_KEY to push to Prowler App.');
  const delay = deps.delayMs === undefined ? {} : { baseDelayMs: deps.delayMs };
  const client = new ProwlerClient({ ...settings, ...delay });
  const result = await pushToProwler(input, { client, poll: delay });
  process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : formatPush(result, client.baseUrl));
  return result.pushed && result.prowler.connected ? 0 : 1;
}

export function formatPush(result: PushResult, baseUrl: string): string {
  const out: string[] = [];
  const steps = result.steps.map(
    (s) => `  ${s.stage}: ${s.detail}${s.attempts > 1 ? ` (${s.attempts} attempts)` : ''}`,
  );
  if (!result.pushed) {
    out.push(`Prowler App (${baseUrl}) did not take the push: ${result.failure.message}`);
    if (result.failure.pointer) out.push(`  field: ${result.failure.pointer}`);
    if (steps.length) out.push('Done before it:', ...steps);
    out.push(
      result.failure.retryable ? 'Push again: every step is safe to repeat.' : 'Fix this, then push again.',
    );
    return `${out.join('\n')}\n`;
  }
  out.push(`Pushed to Prowler App (${baseUrl}):`, ...steps);
  const { prowler } = result;
  if (prowler.connected) {
    out.push(
      '',
      "Prowler's connection test: connected (Prowler's worker assumed the role with its own identity).",
    );
    return `${out.join('\n')}\n`;
  }
  out.push(
    '',
    "Prowler's connection test: NOT connected.",
    `  Prowler said: ${prowler.error ?? '(no text)'}`,
  );
  const d = prowler.diagnosis;
  if (d) {
    out.push(`  We read it as ${d.code} (${d.confidence}): ${d.summary}`, `  Fix: ${d.fix}`);
    if (d.candidates.length) out.push(`  Also possible: ${d.candidates.join(', ')}`);
  }
  return `${out.join('\n')}\n`;
}
