import { z } from 'zod';
import { flavourSchema } from '../domain/api-contract.ts';
import { externalIdSchema, regionSchema } from '../domain/inputs.ts';

// Environment variables, parsed once (STYLE.md: "one config module; nothing else reads
// process.env"). The variables are listed in the team brief and documented in the README.

export type Env = Record<string, string | undefined>;

const blankIsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
// z.optional / z._default rather than methods: the shared schemas are zod/mini (issue 7 budgets).
const optional = <T extends z.core.SomeType>(schema: T) => z.preprocess(blankIsUnset, z.optional(schema));
const withDefault = <T extends z.core.SomeType>(schema: T, fallback: z.input<T>) =>
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
  AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: optional(z.enum(['true', 'false'])),
};

const serverShape = {
  ...awsShape,
  PORT: withDefault(intIn(0, 65_535, 'TCP port; 0 picks a free one'), 8787),
  HOST: withDefault(
    z
      .string()
      .trim()
      .regex(/^[\w.:[\]-]+$/, 'must be an address or host name such as 127.0.0.1 or 0.0.0.0'),
    '127.0.0.1',
  ),
  AWS_CONNECT_FLAVOUR: withDefault(flavourSchema, 'self-hosted'),
  AWS_CONNECT_PRODUCT_NAME: withDefault(z.string().trim().min(1).max(64), 'Prowler'),
  AWS_CONNECT_SANDBOX: withDefault(z.enum(['on', 'off'], { error: 'must be on or off' }), 'on'),
  AWS_CONNECT_SANDBOX_CALLER: withDefault(
    z.enum(['scanner', 'none', 'unknown-key'], { error: 'must be scanner, none or unknown-key' }),
    'scanner',
  ),
  AWS_CONNECT_SANDBOX_SCENARIO: optional(z.string().trim().min(1)),
  // The console takes templates only from Amazon S3 over https (PRODUCT.md, quick-create link).
  AWS_CONNECT_TEMPLATE_URL: optional(
    z
      .string()
      .trim()
      .regex(/^https:\/\/\S+$/, 'must be the https URL of the published template (an Amazon S3 object)'),
  ),
  AWS_CONNECT_RATE_LIMIT_PER_MINUTE: withDefault(
    intIn(1, 1_000_000, 'API requests per client per minute'),
    120,
  ),
  AWS_CONNECT_BODY_LIMIT_BYTES: withDefault(intIn(1024, 10_485_760, 'bytes'), 32_768),
  AWS_CONNECT_DATA_DIR: withDefault(z.string().trim().min(1), '.data'),
  AWS_CONNECT_EXTERNAL_ID: optional(
    externalIdSchema.check(
      z.refine((v: string) => v.length >= 16, {
        message: 'must be at least 16 characters of random text, e.g. the output of `openssl rand -hex 16`',
      }),
    ),
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
  /** Host names the server answers to, comma-separated (DNS-rebinding guard); loopback names by default. */
  AWS_CONNECT_ALLOWED_HOSTS: optional(z.string().trim()),
  LOG_LEVEL: withDefault(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
};

export interface AwsEndpoints {
  sts?: string;
  iam?: string;
}

export interface AwsSettings {
  region: string;
  timeoutMs: number;
  endpoints: AwsEndpoints;
}

export interface ServerConfig {
  port: number;
  host: string;
  flavour: 'hosted' | 'self-hosted';
  productName: string;
  sandbox: boolean;
  sandboxCaller: 'scanner' | 'none' | 'unknown-key';
  sandboxScenario: string | undefined;
  templateUrl: string | null;
  rateLimitPerMinute: number;
  bodyLimitBytes: number;
  dataDir: string;
  externalId: string | undefined;
  /** Empty: any host name is accepted (the operator put the server behind their own proxy). */
  allowedHosts: string[];
  logLevel: string;
  aws: AwsSettings;
  /** PostgreSQL when set; else SQLite in dataDir. */
  databaseUrl: string | undefined;
  monitor: MonitorSettings;
  webhook: WebhookSettings | null;
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

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const HIDDEN_VALUES = new Set(['DATABASE_URL', 'AWS_CONNECT_WEBHOOK_SECRET']);

function parseOrThrow<T extends z.ZodRawShape>(shape: T, env: Env) {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(shape)) picked[key] = env[key];
  const result = z.object(shape).safeParse(picked);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const name = String(i.path[0] ?? '(environment)');
      // These may hold a password or a signing key: never echo them back.
      const shown = HIDDEN_VALUES.has(name) ? '(value hidden)' : JSON.stringify(env[name] ?? '');
      return `${name}=${shown}: ${i.message}`;
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
  return {
    region: parsed.AWS_REGION ?? parsed.AWS_DEFAULT_REGION ?? 'us-east-1',
    timeoutMs: parsed.AWS_CONNECT_AWS_TIMEOUT_MS,
    endpoints,
  };
}

/** The AWS part alone, for the CLI (which must not fail on a server-only variable). */
export function loadAwsSettings(env: Env): AwsSettings {
  return awsSettingsFrom(parseOrThrow(awsShape, env));
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

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '::1', '[::1]'];

export function loadConfig(env: Env = process.env): ServerConfig {
  const p = parseOrThrow(serverShape, env);
  const loopback = LOOPBACK_HOSTS.includes(p.HOST);
  const allowedHosts = p.AWS_CONNECT_ALLOWED_HOSTS
    ? p.AWS_CONNECT_ALLOWED_HOSTS.split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean)
    : loopback
      ? LOOPBACK_HOSTS
      : [];
  return {
    port: p.PORT,
    host: p.HOST,
    flavour: p.AWS_CONNECT_FLAVOUR,
    productName: p.AWS_CONNECT_PRODUCT_NAME,
    sandbox: p.AWS_CONNECT_SANDBOX === 'on',
    sandboxCaller: p.AWS_CONNECT_SANDBOX_CALLER,
    sandboxScenario: p.AWS_CONNECT_SANDBOX_SCENARIO,
    templateUrl: p.AWS_CONNECT_TEMPLATE_URL ?? null,
    rateLimitPerMinute: p.AWS_CONNECT_RATE_LIMIT_PER_MINUTE,
    bodyLimitBytes: p.AWS_CONNECT_BODY_LIMIT_BYTES,
    dataDir: p.AWS_CONNECT_DATA_DIR,
    externalId: p.AWS_CONNECT_EXTERNAL_ID,
    allowedHosts,
    logLevel: p.LOG_LEVEL,
    aws: awsSettingsFrom(p),
    databaseUrl: p.DATABASE_URL,
    monitor: {
      enabled: p.AWS_CONNECT_MONITOR === 'on',
      intervalMs: p.AWS_CONNECT_MONITOR_INTERVAL_S * 1000,
      concurrency: p.AWS_CONNECT_MONITOR_CONCURRENCY,
      jitter: p.AWS_CONNECT_MONITOR_JITTER,
    },
    webhook: webhookFrom(p.AWS_CONNECT_WEBHOOK_URL, p.AWS_CONNECT_WEBHOOK_SECRET),
  };
}
