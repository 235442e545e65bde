import { fieldErrorsFrom } from '../domain/field-errors.ts';
import type { Comparison, PushResult } from '../domain/prowler-api.ts';
import { type ProwlerPushInput, prowlerPushInputSchema } from '../domain/prowler-push-request.ts';
import { compareVerdicts } from '../domain/prowler-verdict.ts';
import { ConfigError, loadConfig, loadProwlerSettings } from '../server/config.ts';
import { ProwlerClient } from '../server/prowler/client.ts';
import { pushToProwler } from '../server/prowler/push.ts';
import { notVerifiedMessage, type SavedPush } from '../server/prowler/saved-connection.ts';
import { parseOptions, UsageError } from './parse-options.ts';

// `aws-connect prowler push` (issue 16): the role into Prowler App, then Prowler's own connection
// test. Exit 0 when Prowler reports connected: true, 1 otherwise (its test failed, or its API
// refused or did not answer: push again), 2 on bad input or a missing configuration.

const USAGE = `aws-connect prowler push --role-arn ARN --external-id ID [options]
aws-connect prowler push --connection ID [--force] [--json]

Creates or finds the AWS provider in Prowler App, writes its role secret, and runs Prowler's
connection test. Needs PROWLER_API_URL (ending in /api/v1) and PROWLER_API_KEY.
  --role-arn ARN        the role Prowler assumes, e.g. arn:aws:iam::123456789012:role/ProwlerScan
  --external-id ID      the External ID the stack was deployed with (Prowler's tenant ID)
  --account-id A        the provider's account ID (default: the role ARN's account)
  --alias A             the provider's name in Prowler, 3 to 100 characters
  --session-name N      role_session_name Prowler uses (2-64 characters)
  --duration S          session_duration, 900-43200 seconds
  --connection ID       push a saved connection instead: its role, External ID, alias and
                        session settings, from the store (DATABASE_URL, or the SQLite file in
                        AWS_CONNECT_DATA_DIR, as the server and the monitor use)
  --force               with --connection: push even when its last verification did not
                        assume the role
  --json                print the result as one JSON object
Exit status: 0 Prowler reports connected, 1 it does not or the push failed, 2 bad input.`;

/** Where `--connection ID` finds the role: the connections store (tests may give another). */
export interface ConnectionLookup {
  find(id: string): Promise<SavedPush | null>;
}

/** The store the server and `aws-connect monitor` use, opened for one look-up. */
export function storeLookup(env: Record<string, string | undefined>): ConnectionLookup {
  return {
    async find(id) {
      // Loaded here: the --role-arn form needs no database driver.
      const [{ openStore }, { getConnection }, { savedPushOf }] = await Promise.all([
        import('../server/store/database.ts'),
        import('../server/store/connections.ts'),
        import('../server/prowler/saved-connection.ts'),
      ]);
      const config = loadConfig(env);
      const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
      try {
        // The operator's own store: every connection in it, as the monitor sees them.
        const row = await getConnection(store.db, id, 'all');
        return row ? savedPushOf(row) : null;
      } finally {
        await store.close();
      }
    },
  };
}

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
  connections?: ConnectionLookup;
  /** Backoff base for retries and task polls, in ms (tests use 0). */
  delayMs?: number;
}

const SAVED_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function savedFrom(
  values: Record<string, string | boolean | undefined>,
  connections: ConnectionLookup,
): Promise<SavedPush> {
  const id = String(values.connection);
  if (Object.keys(FLAGS).some((f) => values[f] !== undefined)) {
    throw new UsageError('--connection takes the role from the saved connection: give no other role option.');
  }
  const found = SAVED_ID.test(id) ? await connections.find(id) : null;
  if (!found) {
    throw new UsageError(
      `no saved connection has the id "${id.slice(0, 80)}" in this store: the ids are on the connections page and in GET /api/connections.`,
    );
  }
  if (!found.verified && values.force !== true) {
    throw new UsageError(notVerifiedMessage(found, 'add --force'));
  }
  return found;
}

async function inputFrom(values: Record<string, string | boolean | undefined>): Promise<ProwlerPushInput> {
  if (values.force !== undefined) throw new UsageError('--force goes with --connection only.');
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
  let saved: SavedPush | null = null;
  let json = false;
  const env = deps.env ?? process.env;
  try {
    const { values } = parseOptions(rest, {
      ...Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' as const }])),
      connection: { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    json = values.json === true;
    const given = values as Record<string, string | boolean | undefined>;
    if (typeof values.connection === 'string') {
      saved = await savedFrom(given, deps.connections ?? storeLookup(env));
      input = saved.input;
    } else {
      input = await inputFrom(given);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) return fail(e.message);
    throw e;
  }
  let settings: ReturnType<typeof loadProwlerSettings>;
  try {
    settings = loadProwlerSettings(env);
  } catch (e) {
    if (e instanceof ConfigError) return fail(e.message);
    throw e;
  }
  if (!settings)
    return fail('set PROWLER_API_URL (ending in /api/v1) and PROWLER_API_KEY to push to Prowler App.');
  const delay = deps.delayMs === undefined ? {} : { baseDelayMs: deps.delayMs };
  const client = new ProwlerClient({ ...settings, ...delay });
  const result = await pushToProwler(input, { client, poll: delay });
  const connected = result.pushed && result.prowler.connected ? 0 : 1;
  if (!saved) {
    process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : formatPush(result, client.baseUrl));
    return connected;
  }
  const comparison = result.pushed
    ? compareVerdicts(saved.ours, result.prowler, {
        roleArn: input.roleArn,
        externalId: input.externalId,
        accountId: result.providerUid,
      })
    : null;
  // The same answer as POST /api/connections/:id/prowler-push.
  const answer = { connection: saved.id, push: result, ours: saved.ours, comparison };
  process.stdout.write(
    json
      ? `${JSON.stringify(answer, null, 2)}\n`
      : `Saved connection ${saved.id} (last verified: ${saved.lastCode ?? 'never'}, ${saved.status}).\n${formatPush(result, client.baseUrl)}${formatComparison(comparison)}`,
  );
  return connected;
}

function formatComparison(comparison: Comparison | null): string {
  if (!comparison) return '';
  return `\nOur saved verification and Prowler's test: ${comparison.agreement}.\n${comparison.explanation.map((l) => `  ${l}\n`).join('')}`;
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
