import type { Writable } from 'node:stream';
import { formatCsvError, MAX_CSV_CHARS, parseAccountsCsv } from '../domain/accounts-csv.ts';
import { fieldErrorsFrom } from '../domain/field-errors.ts';
import {
  type AccountEvent,
  type OrgEvent,
  type OrgVerifyRequestInput,
  orgVerifyRequestSchema,
  type SummaryEvent,
} from '../domain/org-contract.ts';
import type { AccountTarget } from '../domain/org-inputs.ts';
import { ConfigError, loadProwlerSettings, type ProwlerSettings } from '../server/config.ts';
import { ApiError } from '../server/errors.ts';
import { executeRun, planRun } from '../server/org/org-run.ts';
import { destroyAgents } from '../server/verify/aws-clients.ts';
import { advance, newProgress, type Progress, progressLine, summaryText } from './org-progress.ts';
import { type PushedRun, prowlerEntry, pushConnected } from './org-prowler-push.ts';
import { shellDeps } from './org-shell-deps.ts';
import { parseOptions, UsageError } from './parse-options.ts';
import { readInput } from './read-input.ts';

// `aws-connect org verify`: every account of an organization (discovered from its management
// account) or of a CSV, verified in bulk with this shell's credentials. On a terminal a progress
// line, then the summary; piped, one JSON line per event (the same events as the API's stream);
// --json, one summary object. Exit 0 when every account is connected, 1 otherwise, 2 bad input.

const USAGE = `aws-connect org verify (--role-arn MGMT_ROLE_ARN | --accounts-csv FILE) --role-name NAME
                       --external-id ID [options]

Verifies the scan role in every selected account with this shell's AWS credentials.
  --role-arn ARN            discover the accounts from this management-account (or delegated
                            administrator) role
  --accounts-csv FILE       or read them from a CSV: a header row, account_id (required), alias and
                            role_name (optional, overrides --role-name for that row)
  --role-name NAME          the scan role's name in every account, e.g. ProwlerScan
  --external-id ID          the External ID the stacks were deployed with
  --include-ou ID           with --role-arn: only accounts under this OU (repeat for several)
  --exclude-ou ID           with --role-arn: not the accounts under this OU (repeatable)
  --exclude-account A       not this account (repeatable)
  --trusted-account-id A    the stacks' AccountId (the trust picture of each failure)
  --iam-principal P         the stacks' IAMPrincipal
  --concurrency N           accounts verified at once, 1-64 (default AWS_CONNECT_ORG_CONCURRENCY, 8)
  --save                    keep each verified account as a saved connection in the server's store
                            (AWS_CONNECT_DATA_DIR's SQLite file, or DATABASE_URL), updating the one
                            already saved for that role; not in the hosted flavour
  --push-to-prowler         then push every account that connected into Prowler App (needs
                            PROWLER_API_URL and PROWLER_API_KEY), 4 at once, each with Prowler's
                            own connection test
  --json                    print one summary object with an entry per account
Exit status: 0 every account connected (warnings included; see "ok" per account) and, with
--push-to-prowler, Prowler's test connected every one; 1 otherwise or interrupted, 2 bad input.`;

const FLAG_OF: Record<string, string> = {
  externalId: '--external-id',
  roleName: '--role-name',
  concurrency: '--concurrency',
  trustedAccountId: '--trusted-account-id',
  iamPrincipal: '--iam-principal',
  'targets.roleArn': '--role-arn',
  'targets.selection.includeOus': '--include-ou',
  'targets.selection.excludeOus': '--exclude-ou',
  'targets.selection.excludeAccounts': '--exclude-account',
};

export interface CliIo {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable;
}

function flagFor(path: string): string {
  if (FLAG_OF[path]) return FLAG_OF[path];
  const prefix = Object.keys(FLAG_OF).find((k) => path.startsWith(`${k}.`));
  return prefix ? (FLAG_OF[prefix] ?? path) : path;
}

async function readAccounts(file: string): Promise<AccountTarget[] | string[]> {
  // UTF-8 takes up to 4 bytes a character: a file just over the parser's bound gets its sentence.
  const read = await readInput(file, 'the accounts CSV', (MAX_CSV_CHARS + 1) * 4);
  if (!read.ok) return [`--accounts-csv: ${read.message}`];
  const parsed = parseAccountsCsv(read.text);
  return parsed.ok ? parsed.accounts : parsed.errors.map((e) => `${file} ${formatCsvError(e)}`);
}

type Values = Record<string, string | boolean | string[] | undefined>;

async function buildRequest(values: Values): Promise<OrgVerifyRequestInput | string[]> {
  const roleArn = values['role-arn'] as string | undefined;
  const csv = values['accounts-csv'] as string | undefined;
  if (!roleArn === !csv)
    return ['give --role-arn (discover the organization) or --accounts-csv FILE, one of them.'];
  if (!values['role-name'])
    return ['--role-name is required (the scan role in every account, e.g. ProwlerScan).'];
  if (!values['external-id'])
    return ['--external-id is required (the External ID the stacks were deployed with).'];
  const list = (name: string) => (values[name] as string[] | undefined) ?? [];
  if (csv && (list('include-ou').length || list('exclude-ou').length))
    return ['--include-ou and --exclude-ou need --role-arn: a CSV has no OUs.'];
  const concurrency = values.concurrency as string | undefined;
  const request: OrgVerifyRequestInput = {
    externalId: values['external-id'] as string,
    roleName: values['role-name'] as string,
    ...(values['trusted-account-id'] ? { trustedAccountId: values['trusted-account-id'] as string } : {}),
    ...(values['iam-principal'] ? { iamPrincipal: values['iam-principal'] as string } : {}),
    ...(concurrency !== undefined
      ? { concurrency: /^\s*\d+\s*$/.test(concurrency) ? Number(concurrency) : (concurrency as never) }
      : {}),
  };
  if (roleArn) {
    const selection = {
      ...(list('include-ou').length ? { includeOus: list('include-ou') } : {}),
      ...(list('exclude-ou').length ? { excludeOus: list('exclude-ou') } : {}),
      ...(list('exclude-account').length ? { excludeAccounts: list('exclude-account') } : {}),
    };
    request.targets = { kind: 'organization', roleArn, selection };
    return request;
  }
  const accounts = await readAccounts(csv as string);
  if (typeof accounts[0] === 'string') return accounts as string[];
  const excluded = new Set(list('exclude-account'));
  const kept = (accounts as AccountTarget[]).filter((a) => !excluded.has(a.accountId));
  if (kept.length === 0) return ['--exclude-account leaves no account of the CSV to verify.'];
  request.targets = { kind: 'accounts', accounts: kept };
  return request;
}

function guidanceTitle(e: AccountEvent): string {
  if (!e.report)
    return e.timedOut ? 'No result within the per-account timeout (AWS_CONNECT_ORG_ACCOUNT_TIMEOUT_MS).' : '';
  return e.report.guidance.title;
}

export function jsonSummary(
  summary: SummaryEvent,
  accounts: readonly AccountEvent[],
  pushed: PushedRun | null = null,
) {
  const { type: _, ...rest } = summary;
  return {
    ...rest,
    accounts: accounts.map((e) => ({
      accountId: e.accountId,
      ...(e.alias ? { alias: e.alias } : {}),
      roleArn: e.roleArn,
      ok: e.ok,
      connected: e.connected,
      diagnosis: { code: e.code },
      attempts: e.attempts,
      timedOut: e.timedOut,
      ...(e.connectionId ? { connectionId: e.connectionId } : {}),
      ...(pushed ? { prowler: prowlerEntry(pushed.byAccount.get(e.accountId)) } : {}),
    })),
  };
}

/** The closing line of a terminal run with --save: how many connections were kept, and where. */
function savedLine(accounts: readonly AccountEvent[], location: string): string {
  const saved = accounts.filter((e) => e.saved).length;
  const missed = accounts.filter((e) => e.report && !e.saved).length;
  return (
    `Saved ${saved} connection(s) in ${location}` +
    `${missed ? `; ${missed} could not be saved` : ''} ("aws-connect serve" lists them under /connections).\n`
  );
}

export async function runOrgVerifyCommand(argv: string[], io: CliIo = process): Promise<number> {
  const fail = (lines: string[]) => {
    for (const line of lines) io.stderr.write(`aws-connect org verify: ${line.replace(/\s*\n\s*/g, ' ')}\n`);
    return 2;
  };
  let values: Values;
  try {
    values = parseOptions(argv, {
      'role-arn': { type: 'string' },
      'accounts-csv': { type: 'string' },
      'role-name': { type: 'string' },
      'external-id': { type: 'string' },
      'include-ou': { type: 'string', multiple: true },
      'exclude-ou': { type: 'string', multiple: true },
      'exclude-account': { type: 'string', multiple: true },
      'trusted-account-id': { type: 'string' },
      'iam-principal': { type: 'string' },
      concurrency: { type: 'string' },
      save: { type: 'boolean' },
      'push-to-prowler': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    }).values;
  } catch (e) {
    if (e instanceof UsageError) return fail([`${e.message} Run "aws-connect org verify --help".`]);
    throw e;
  }
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const built = await buildRequest(values);
  if (Array.isArray(built)) return fail(built);
  // The server's schema, so the shell and the API refuse the same input with the same words.
  const parsed = orgVerifyRequestSchema.safeParse(built);
  if (!parsed.success) {
    const first = fieldErrorsFrom(parsed.error)[0];
    return fail([`${flagFor(first?.path ?? '')}: ${first?.message ?? 'invalid value.'}`]);
  }
  // Checked before the run: a missing Prowler configuration must not cost a whole run first.
  let prowler: ProwlerSettings | null = null;
  if (values['push-to-prowler']) {
    try {
      prowler = loadProwlerSettings(process.env);
    } catch (e) {
      if (e instanceof ConfigError) return fail([e.message]);
      throw e;
    }
    if (!prowler)
      return fail(['--push-to-prowler needs PROWLER_API_URL (ending in /api/v1) and PROWLER_API_KEY.']);
  }
  const shell = await shellDeps({ save: values.save === true, stderr: io.stderr });
  if ('error' in shell) return fail([shell.error]);

  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  // A reader that went away (| head) is a cancel too: no more AWS calls for output nobody reads.
  const closed = (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') controller.abort();
  };
  io.stdout.on('error', closed);
  const mode = values.json ? 'json' : io.stdout.isTTY ? 'tty' : 'lines';
  const accounts: AccountEvent[] = [];
  let progress: Progress | null = null;
  let failed: Extract<OrgEvent, { type: 'failed' }> | null = null;
  const redraw = () => {
    // \x1b[K clears what a longer earlier line left; a terminal that reports no width gets 80.
    const width = Math.min(io.stdout.columns || 80, 120);
    if (progress) io.stdout.write(`\r${progressLine(progress, performance.now(), width)}\x1b[K`);
  };
  const ticker = mode === 'tty' ? setInterval(redraw, 250) : null;
  const emit = (event: OrgEvent) => {
    if (mode === 'lines' && !controller.signal.aborted) io.stdout.write(`${JSON.stringify(event)}\n`);
    if (event.type === 'start' && mode === 'tty') {
      progress = newProgress(event, performance.now());
      io.stdout.write(
        `Verifying ${event.total} accounts, ${event.concurrency} at once (STS: ${event.stsRatePerSecond} calls/s).\n`,
      );
      redraw();
    }
    if (event.type === 'account') {
      shell.deps.runs.note(event);
      accounts.push(event);
      if (progress) advance(progress, event);
    }
    if (event.type === 'failed') failed = event;
  };
  try {
    const plan = planRun(parsed.data, shell.deps);
    const summary = await executeRun(plan, shell.deps, emit, controller.signal);
    const refused = failed as Extract<OrgEvent, { type: 'failed' }> | null;
    if (mode === 'tty') {
      if (progress) {
        redraw();
        io.stdout.write('\n\n');
      }
      if (summary) io.stdout.write(summaryText(summary, accounts, guidanceTitle));
      if (summary && shell.store) io.stdout.write(savedLine(accounts, shell.store.location));
      if (refused)
        io.stdout.write(`Discovery failed: ${refused.failure.code}\n  ${refused.failure.message}\n`);
    }
    const run = summary && !summary.cancelled && prowler ? shell.deps.runs.get(plan.runId) : undefined;
    const pushed = run && prowler ? await pushConnected(run, prowler, mode, io, controller.signal) : null;
    if (mode === 'json')
      io.stdout.write(
        `${JSON.stringify(summary ? { ...jsonSummary(summary, accounts, pushed), ...(pushed ? { prowler: pushed.summary } : {}) } : { failure: refused?.failure }, null, 2)}\n`,
      );
    if (!summary || summary.cancelled || pushed?.summary.cancelled) return 1;
    if (pushed && pushed.summary.prowlerConnected !== summary.total) return 1;
    return summary.connected === summary.total ? 0 : 1;
  } catch (e) {
    if (e instanceof ApiError) return fail([e.message]);
    throw e;
  } finally {
    if (ticker) clearInterval(ticker);
    process.off('SIGINT', interrupt);
    io.stdout.off('error', closed);
    destroyAgents(shell.agents);
    await shell.close();
  }
}
