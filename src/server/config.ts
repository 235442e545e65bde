import { z } from 'zod';
import { flavourSchema } from '../domain/api-contract.ts';
import { DEPLOYMENTS, type Deployment } from '../domain/diagnosis/guidance-schema.ts';
import { regionSchema } from '../domain/inputs.ts';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '../domain/org-inputs.ts';
import { issuedExternalIdSchema, listenHostSchema, portSchema } from '../domain/server-inputs.ts';
import { isS3TemplateUrl } from '../domain/template/links.ts';
import { allowedHostNames, canonicalHost } from './host-guard.ts';

// Environment variables, parsed once (docs/architecture.md#configuration: one config module that
// the entry points hand process.env to). The variables are documented in the README.

export type Env = Record<string, string | undefined>;

const hostList = (value: string) =>
  value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);

const blankIsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
// z.optional / z._default rather than methods: the shared schemas are zod/mini (issue 7 budgets).
const optional = <T extends z.core.SomeType>(schema: T) => z.preprocess(blankIsUnset, z.optional(schema));
// Zod 4 returns a default as it is, unparsed: it is the output value.
const withDefault = <T extends z.core.SomeType>(schema: T, fallback: z.output<T>) =>
  z.preprocess(blankIsUnset, z._default(schema, fallback as never));

const intIn = (min: number, max: number, what: string) =>
  z.coerce
    .number({ error: `must be a whole number (${what})` })
    .int(`must be a whole number (${what})`)
    .min(min, `must be at least ${min} (${what})`)
    .max(max, `must be at most ${max} (${what})`);

const endpointUrl = z
  .string()
  .trim()
  .regex(/^https?:\/\/[^\s/]+(\/.*)?$/, 'must be an http(s) URL such as http://127.0.0.1:5000');

const s3TemplateUrl = (example: string) =>
  z
    .string()
    .trim()
    .max(2048, 'must be at most 2048 characters')
    .refine(isS3TemplateUrl, {
      message: `must be the https URL of the published template on Amazon S3, such as https://my-bucket.s3.us-east-1.amazonaws.com/${example}`,
    });

/** The AWS settings both the server and `aws-connect verify` use. */
const awsShape = {
  AWS_REGION: optional(regionSchema),
  AWS_DEFAULT_REGION: optional(regionSchema),
  AWS_CONNECT_AWS_TIMEOUT_MS: withDefault(intIn(100, 300_000, 'milliseconds per AWS call'), 10_000),
  // The SDK honours these itself; we read them too so the endpoint is explicit per client
  // and can be named in a diagnosis. https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
  AWS_ENDPOINT_URL: optional(endpointUrl),
  AWS_ENDPOINT_URL_STS: optional(endpointUrl),
  AWS_ENDPOINT_URL_IAM: optional(endpointUrl),
  AWS_ENDPOINT_URL_ORGANIZATIONS: optional(endpointUrl),
  AWS_ENDPOINT_URL_CLOUDFORMATION: optional(endpointUrl),
  AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: optional(z.enum(['true', 'false'])),
};

/**
 * Prowler App's API (issue 16). The key authorises everything its owner can do in the tenant: it
 * goes into the Authorization header and nowhere else (docs/decisions/038).
 */
const prowlerShape = {
  PROWLER_API_URL: optional(
    z
      .string()
      .trim()
      .max(2048, 'must be at most 2048 characters')
      .regex(
        /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?\/api\/v1\/?$/,
        'must be the http(s) URL of the API ending in /api/v1, such as https://prowler.example.com/api/v1',
      ),
  ),
  PROWLER_API_KEY: optional(
    z
      .string()
      .trim()
      .max(1024, 'must be at most 1024 characters')
      .regex(/^[\x21-\x7e]+$/, 'must be the API key as Prowler showed it (printable characters, no spaces)'),
  ),
  PROWLER_API_TIMEOUT_MS: withDefault(intIn(100, 300_000, 'milliseconds per Prowler API call'), 15_000),
};

/**
 * Bulk verification (issue 14, docs/decisions/036). AWS publishes no per-second STS rate; it
 * throttles each account and Regional endpoint with a token bucket. The defaults are an assumption
 * that leaves room for the caller's other STS traffic; Throttling answers pause the bucket.
 */
const orgShape = {
  AWS_CONNECT_ORG_CONCURRENCY: withDefault(
    intIn(1, MAX_CONCURRENCY, 'accounts verified at once'),
    DEFAULT_CONCURRENCY,
  ),
  AWS_CONNECT_ORG_ACCOUNT_TIMEOUT_MS: withDefault(intIn(1_000, 600_000, 'milliseconds per account'), 30_000),
  AWS_CONNECT_ORG_STS_RATE: withDefault(intIn(1, 10_000, 'STS calls per second per caller'), 50),
  AWS_CONNECT_ORG_STS_BURST: optional(intIn(1, 10_000, 'STS calls a caller may make at once')),
};

const serverShape = {
  ...awsShape,
  ...prowlerShape,
  ...orgShape,
  // The same schemas check `aws-connect serve --port/--host` (src/cli/serve-command.ts).
  PORT: withDefault(portSchema, 8787),
  HOST: withDefault(listenHostSchema, '127.0.0.1'),
  AWS_CONNECT_FLAVOUR: withDefault(flavourSchema, 'self-hosted'),
  AWS_CONNECT_PRODUCT_NAME: withDefault(z.string().trim().min(1).max(64), 'Prowler'),
  // How the server runs decides how it gets AWS credentials, so the guidance for a server without
  // them (SOURCE_NO_CREDENTIALS, ...) follows it (issue 12, item 6).
  AWS_CONNECT_DEPLOYMENT: withDefault(
    z.enum(DEPLOYMENTS, { error: `must be one of ${DEPLOYMENTS.join(', ')}` }),
    'node',
  ),
  AWS_CONNECT_SANDBOX: withDefault(z.enum(['on', 'off'], { error: 'must be on or off' }), 'on'),
  AWS_CONNECT_SANDBOX_CALLER: withDefault(
    z.enum(['scanner', 'none', 'unknown-key'], { error: 'must be scanner, none or unknown-key' }),
    'scanner',
  ),
  AWS_CONNECT_SANDBOX_SCENARIO: optional(z.string().trim().min(1)),
  // The console takes templates only from Amazon S3 over https (docs/design.md#aws-facts-the-validation-follows).
  // A URL that is not S3's would only make the wizard say there is no template URL.
  AWS_CONNECT_TEMPLATE_URL: optional(s3TemplateUrl('prowler-scan-role.yaml')),
  AWS_CONNECT_ORG_TEMPLATE_URL: optional(s3TemplateUrl('prowler-scan-organization.yaml')),
  AWS_CONNECT_RATE_LIMIT_PER_MINUTE: withDefault(
    intIn(1, 1_000_000, 'API requests per client per minute'),
    120,
  ),
  AWS_CONNECT_BODY_LIMIT_BYTES: withDefault(intIn(1024, 10_485_760, 'bytes'), 32_768),
  AWS_CONNECT_HEADERS_TIMEOUT_MS: withDefault(
    intIn(100, 600_000, 'milliseconds for the request headers'),
    10_000,
  ),
  AWS_CONNECT_REQUEST_TIMEOUT_MS: withDefault(
    intIn(100, 600_000, 'milliseconds for the whole request, headers and body'),
    30_000,
  ),
  AWS_CONNECT_KEEP_ALIVE_TIMEOUT_MS: withDefault(
    intIn(100, 600_000, 'milliseconds an idle connection stays open'),
    5_000,
  ),
  AWS_CONNECT_DATA_DIR: withDefault(z.string().trim().min(1), '.data'),
  AWS_CONNECT_EXTERNAL_ID: optional(issuedExternalIdSchema),
  /** More host names the server answers to, comma-separated (DNS-rebinding guard, host-guard.ts). */
  AWS_CONNECT_ALLOWED_HOSTS: optional(
    z
      .string()
      .trim()
      .refine((v) => hostList(v).every((name) => canonicalHost(name) !== null), {
        message:
          'must be host names or addresses separated by commas, such as scanner.example.com,10.0.0.5 (no wildcard)',
      }),
  ),
  // The store (issue 13): embedded SQLite in AWS_CONNECT_DATA_DIR unless DATABASE_URL names a PostgreSQL.
  DATABASE_URL: optional(
    z
      .string()
      .trim()
      .regex(
        /^postgres(ql)?:\/\/\S+$/,
        'must be a PostgreSQL URL such as postgres://user:password@host:5432/db',
      ),
  ),
  AWS_CONNECT_MONITOR: withDefault(z.enum(['on', 'off'], { error: 'must be on or off' }), 'on'),
  AWS_CONNECT_MONITOR_INTERVAL_S: withDefault(
    intIn(1, 604_800, 'seconds between checks of a connection'),
    3600,
  ),
  AWS_CONNECT_MONITOR_CONCURRENCY: withDefault(intIn(1, 64, 'connections verified at once'), 4),
  AWS_CONNECT_MONITOR_JITTER: withDefault(
    z.coerce
      .number({ error: 'must be a fraction from 0 to 0.5 (share of the interval)' })
      .min(0, 'must be a fraction from 0 to 0.5 (share of the interval)')
      .max(0.5, 'must be a fraction from 0 to 0.5 (share of the interval)'),
    0.1,
  ),
  AWS_CONNECT_WEBHOOK_URL: optional(
    z
      .string()
      .trim()
      .regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, 'must be the http(s) URL that receives status changes'),
  ),
  AWS_CONNECT_WEBHOOK_SECRET: optional(
    z
      .string()
      .min(16, 'must be at least 16 characters of random text, e.g. the output of `openssl rand -hex 32`'),
  ),
  LOG_LEVEL: withDefault(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
  LOG_FORMAT: withDefault(
    z.enum(['json', 'pretty', 'auto'], { error: 'must be json, pretty or auto' }),
    'auto',
  ),
  AWS_CONNECT_OPEN: withDefault(
    z.enum(['0', '1'], { error: 'must be 0 (never open a browser) or 1 (open one from a desktop terminal)' }),
    '1',
  ),
  // Read, never set: where the process runs decides whether a browser may be opened (main.ts).
  CI: optional(z.string()),
  DISPLAY: optional(z.string()),
  WAYLAND_DISPLAY: optional(z.string()),
};

export interface AwsEndpoints {
  sts?: string;
  iam?: string;
  organizations?: string;
  /** Only `aws-connect doctor` reads CloudFormation. */
  cloudformation?: string;
}

export interface AwsSettings {
  region: string;
  timeoutMs: number;
  endpoints: AwsEndpoints;
}

/** Prowler App's API; null when the integration is off. */
export interface ProwlerSettings {
  /** Ends in /api/v1, no trailing slash. */
  baseUrl: string;
  /** Sent as `Authorization: Api-Key <key>` only. */
  apiKey: string;
  timeoutMs: number;
}

export interface OrgSettings {
  concurrency: number;
  accountTimeoutMs: number;
  stsRatePerSecond: number;
  stsBurst: number;
}

export interface ServerConfig {
  port: number;
  host: string;
  flavour: 'hosted' | 'self-hosted';
  productName: string;
  deployment: Deployment;
  sandbox: boolean;
  sandboxCaller: 'scanner' | 'none' | 'unknown-key';
  sandboxScenario: string | undefined;
  templateUrl: string | null;
  /** The published organization template (quick-create link of the organization flow). */
  organizationTemplateUrl: string | null;
  rateLimitPerMinute: number;
  bodyLimitBytes: number;
  timeouts: ConnectionTimeouts;
  dataDir: string;
  externalId: string | undefined;
  /** Host names the server answers to (host-guard.ts): never empty, no wildcard. */
  allowedHosts: string[];
  logLevel: string;
  logFormat: 'json' | 'pretty' | 'auto';
  /** npm start may open the wizard in a browser: not turned off, not in CI, and a display to show it on. */
  openBrowser: { enabled: boolean; ci: boolean; display: boolean };
  aws: AwsSettings;
  /** PostgreSQL when set; else SQLite in dataDir. */
  databaseUrl: string | undefined;
  monitor: MonitorSettings;
  webhook: WebhookSettings | null;
  prowler: ProwlerSettings | null;
  org: OrgSettings;
}

export interface MonitorSettings {
  /** The server runs the schedule (off: only `aws-connect monitor --once` checks). */
  enabled: boolean;
  intervalMs: number;
  concurrency: number;
  /** Share of the interval each next check moves by at random, both ways. */
  jitter: number;
}

export interface WebhookSettings {
  url: string;
  secret: string;
}

/** How long a client may take to send its request, and keep an idle connection (app.ts). */
export interface ConnectionTimeouts {
  headersMs: number;
  requestMs: number;
  keepAliveMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Variables whose value an error message must never quote: a password, a signing key, an API key. */
const SECRET_VARIABLES = new Set(['DATABASE_URL', 'AWS_CONNECT_WEBHOOK_SECRET', 'PROWLER_API_KEY']);

function shown(name: string, env: Env): string {
  const value = env[name] ?? '';
  return SECRET_VARIABLES.has(name) ? '(value hidden)' : JSON.stringify(value);
}

function parseOrThrow<T extends z.ZodRawShape>(shape: T, env: Env) {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(shape)) picked[key] = env[key];
  const result = z.object(shape).safeParse(picked);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const name = String(i.path[0] ?? '(environment)');
      return `${name}=${shown(name, env)}: ${i.message}`;
    });
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  return result.data;
}

function awsSettingsFrom(parsed: z.infer<z.ZodObject<typeof awsShape>>): AwsSettings {
  const ignore = parsed.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true';
  const endpoints: AwsEndpoints = {};
  const sts = parsed.AWS_ENDPOINT_URL_STS ?? parsed.AWS_ENDPOINT_URL;
  const iam = parsed.AWS_ENDPOINT_URL_IAM ?? parsed.AWS_ENDPOINT_URL;
  if (!ignore && sts) endpoints.sts = sts;
  if (!ignore && iam) endpoints.iam = iam;
  const organizations = parsed.AWS_ENDPOINT_URL_ORGANIZATIONS ?? parsed.AWS_ENDPOINT_URL;
  if (!ignore && organizations) endpoints.organizations = organizations;
  const cloudformation = parsed.AWS_ENDPOINT_URL_CLOUDFORMATION ?? parsed.AWS_ENDPOINT_URL;
  if (!ignore && cloudformation) endpoints.cloudformation = cloudformation;
  return {
    region: parsed.AWS_REGION ?? parsed.AWS_DEFAULT_REGION ?? 'us-east-1',
    timeoutMs: parsed.AWS_CONNECT_AWS_TIMEOUT_MS,
    endpoints,
  };
}

function prowlerSettingsFrom(parsed: z.infer<z.ZodObject<typeof prowlerShape>>): ProwlerSettings | null {
  const url = parsed.PROWLER_API_URL;
  const key = parsed.PROWLER_API_KEY;
  if (!url && !key) return null;
  if (!url || !key) {
    const missing = url ? 'PROWLER_API_KEY' : 'PROWLER_API_URL';
    const given = url ? 'PROWLER_API_URL' : 'PROWLER_API_KEY';
    throw new ConfigError(
      `Invalid configuration: ${missing} is not set: the Prowler App integration needs both ${given} and ${missing} (or neither).`,
    );
  }
  return { baseUrl: url.replace(/\/$/, ''), apiKey: key, timeoutMs: parsed.PROWLER_API_TIMEOUT_MS };
}

/** The Prowler part alone, for `aws-connect prowler` (null when neither variable is set). */
export function loadProwlerSettings(env: Env): ProwlerSettings | null {
  return prowlerSettingsFrom(parseOrThrow(prowlerShape, env));
}

function orgSettingsFrom(parsed: z.infer<z.ZodObject<typeof orgShape>>): OrgSettings {
  return {
    concurrency: parsed.AWS_CONNECT_ORG_CONCURRENCY,
    accountTimeoutMs: parsed.AWS_CONNECT_ORG_ACCOUNT_TIMEOUT_MS,
    stsRatePerSecond: parsed.AWS_CONNECT_ORG_STS_RATE,
    stsBurst: parsed.AWS_CONNECT_ORG_STS_BURST ?? parsed.AWS_CONNECT_ORG_STS_RATE * 2,
  };
}

/** The bulk-verification settings alone, for `aws-connect org`. */
export function loadOrgSettings(env: Env): OrgSettings {
  return orgSettingsFrom(parseOrThrow(orgShape, env));
}

/** The AWS part alone, for the CLI (which must not fail on a server-only variable). */
export function loadAwsSettings(env: Env): AwsSettings {
  return awsSettingsFrom(parseOrThrow(awsShape, env));
}

/** What a command that writes saved connections needs: where they are, the schedule, the alerts. */
export interface StoreSettings {
  flavour: ServerConfig['flavour'];
  dataDir: string;
  databaseUrl: string | undefined;
  monitor: Pick<MonitorSettings, 'intervalMs' | 'jitter'>;
  webhook: WebhookSettings | null;
}

const storeShape = {
  AWS_CONNECT_FLAVOUR: serverShape.AWS_CONNECT_FLAVOUR,
  AWS_CONNECT_DATA_DIR: serverShape.AWS_CONNECT_DATA_DIR,
  DATABASE_URL: serverShape.DATABASE_URL,
  AWS_CONNECT_MONITOR_INTERVAL_S: serverShape.AWS_CONNECT_MONITOR_INTERVAL_S,
  AWS_CONNECT_MONITOR_JITTER: serverShape.AWS_CONNECT_MONITOR_JITTER,
  AWS_CONNECT_WEBHOOK_URL: serverShape.AWS_CONNECT_WEBHOOK_URL,
  AWS_CONNECT_WEBHOOK_SECRET: serverShape.AWS_CONNECT_WEBHOOK_SECRET,
};

/** The store's part alone, the same variables the server reads, for `aws-connect org verify --save`. */
export function loadStoreSettings(env: Env): StoreSettings {
  const p = parseOrThrow(storeShape, env);
  return {
    flavour: p.AWS_CONNECT_FLAVOUR,
    dataDir: p.AWS_CONNECT_DATA_DIR,
    databaseUrl: p.DATABASE_URL,
    monitor: { intervalMs: p.AWS_CONNECT_MONITOR_INTERVAL_S * 1000, jitter: p.AWS_CONNECT_MONITOR_JITTER },
    webhook: webhookFrom(p.AWS_CONNECT_WEBHOOK_URL, p.AWS_CONNECT_WEBHOOK_SECRET),
  };
}

/** An unsigned alert could be forged by anyone who can reach the receiver: the URL needs the secret. */
function webhookFrom(url: string | undefined, secret: string | undefined): WebhookSettings | null {
  if (!url && !secret) return null;
  if (!url)
    throw new ConfigError(
      'Invalid configuration: AWS_CONNECT_WEBHOOK_SECRET is set but AWS_CONNECT_WEBHOOK_URL is not.',
    );
  if (!secret)
    throw new ConfigError(
      // Not the URL itself: a hook URL often carries its own secret in the path.
      'Invalid configuration: AWS_CONNECT_WEBHOOK_URL is set: set AWS_CONNECT_WEBHOOK_SECRET too (every alert is signed with it).',
    );
  return { url, secret };
}

export function loadConfig(env: Env = process.env): ServerConfig {
  const p = parseOrThrow(serverShape, env);
  if (p.AWS_CONNECT_HEADERS_TIMEOUT_MS > p.AWS_CONNECT_REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      `Invalid configuration: AWS_CONNECT_HEADERS_TIMEOUT_MS=${JSON.stringify(env.AWS_CONNECT_HEADERS_TIMEOUT_MS ?? '')}: ` +
        `must be at most AWS_CONNECT_REQUEST_TIMEOUT_MS (${p.AWS_CONNECT_REQUEST_TIMEOUT_MS}), which includes the headers`,
    );
  }
  // The configured names add to the loopback names and the machine's own, never replace them.
  const allowedHosts = allowedHostNames(p.HOST, hostList(p.AWS_CONNECT_ALLOWED_HOSTS ?? ''));
  return {
    port: p.PORT,
    host: p.HOST,
    flavour: p.AWS_CONNECT_FLAVOUR,
    productName: p.AWS_CONNECT_PRODUCT_NAME,
    deployment: p.AWS_CONNECT_DEPLOYMENT,
    sandbox: p.AWS_CONNECT_SANDBOX === 'on',
    sandboxCaller: p.AWS_CONNECT_SANDBOX_CALLER,
    sandboxScenario: p.AWS_CONNECT_SANDBOX_SCENARIO,
    templateUrl: p.AWS_CONNECT_TEMPLATE_URL ?? null,
    organizationTemplateUrl: p.AWS_CONNECT_ORG_TEMPLATE_URL ?? null,
    rateLimitPerMinute: p.AWS_CONNECT_RATE_LIMIT_PER_MINUTE,
    bodyLimitBytes: p.AWS_CONNECT_BODY_LIMIT_BYTES,
    timeouts: {
      headersMs: p.AWS_CONNECT_HEADERS_TIMEOUT_MS,
      requestMs: p.AWS_CONNECT_REQUEST_TIMEOUT_MS,
      keepAliveMs: p.AWS_CONNECT_KEEP_ALIVE_TIMEOUT_MS,
    },
    dataDir: p.AWS_CONNECT_DATA_DIR,
    externalId: p.AWS_CONNECT_EXTERNAL_ID,
    allowedHosts,
    logLevel: p.LOG_LEVEL,
    logFormat: p.LOG_FORMAT,
    openBrowser: {
      enabled: p.AWS_CONNECT_OPEN === '1',
      // CI services set CI (true, 1, a name); only an explicit false or 0 says otherwise.
      ci: p.CI !== undefined && !/^(false|0)$/i.test(p.CI),
      display: Boolean(p.DISPLAY || p.WAYLAND_DISPLAY),
    },
    aws: awsSettingsFrom(p),
    databaseUrl: p.DATABASE_URL,
    monitor: {
      enabled: p.AWS_CONNECT_MONITOR === 'on',
      intervalMs: p.AWS_CONNECT_MONITOR_INTERVAL_S * 1000,
      concurrency: p.AWS_CONNECT_MONITOR_CONCURRENCY,
      jitter: p.AWS_CONNECT_MONITOR_JITTER,
    },
    webhook: webhookFrom(p.AWS_CONNECT_WEBHOOK_URL, p.AWS_CONNECT_WEBHOOK_SECRET),
    prowler: prowlerSettingsFrom(p),
    org: orgSettingsFrom(p),
  };
}
