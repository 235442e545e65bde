import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadAwsSettings, loadConfig, loadOrgSettings } from './config.ts';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      flavour: 'self-hosted',
      productName: 'Prowler',
      deployment: 'node',
      sandbox: true,
      sandboxCaller: 'scanner',
      templateUrl: null,
      rateLimitPerMinute: 120,
      bodyLimitBytes: 32768,
      timeouts: { headersMs: 10000, requestMs: 30000, keepAliveMs: 5000 },
      dataDir: '.data',
      externalId: undefined,
      allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
      aws: { region: 'us-east-1', timeoutMs: 10000, endpoints: {} },
    });
  });

  it('reads every variable', () => {
    const c = loadConfig({
      PORT: '9000',
      HOST: '0.0.0.0',
      AWS_CONNECT_FLAVOUR: 'hosted',
      AWS_CONNECT_PRODUCT_NAME: 'Acme Scan',
      AWS_CONNECT_DEPLOYMENT: 'kubernetes',
      AWS_CONNECT_SANDBOX: 'off',
      AWS_CONNECT_SANDBOX_CALLER: 'none',
      AWS_CONNECT_SANDBOX_SCENARIO: 'e2e/scenario.json',
      AWS_CONNECT_TEMPLATE_URL: 'https://b.s3.amazonaws.com/t.yaml',
      AWS_CONNECT_AWS_TIMEOUT_MS: '2500',
      AWS_CONNECT_RATE_LIMIT_PER_MINUTE: '5',
      AWS_CONNECT_BODY_LIMIT_BYTES: '4096',
      AWS_CONNECT_HEADERS_TIMEOUT_MS: '2000',
      AWS_CONNECT_REQUEST_TIMEOUT_MS: '4000',
      AWS_CONNECT_KEEP_ALIVE_TIMEOUT_MS: '65000',
      AWS_CONNECT_DATA_DIR: '/var/lib/aws-connect',
      AWS_CONNECT_EXTERNAL_ID: 'a-configured-external-id-01',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
      AWS_ENDPOINT_URL_IAM: 'http://127.0.0.1:5001',
      LOG_LEVEL: 'warn',
    });
    expect(c).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      flavour: 'hosted',
      productName: 'Acme Scan',
      deployment: 'kubernetes',
      sandbox: false,
      sandboxCaller: 'none',
      sandboxScenario: 'e2e/scenario.json',
      templateUrl: 'https://b.s3.amazonaws.com/t.yaml',
      rateLimitPerMinute: 5,
      bodyLimitBytes: 4096,
      timeouts: { headersMs: 2000, requestMs: 4000, keepAliveMs: 65000 },
      dataDir: '/var/lib/aws-connect',
      externalId: 'a-configured-external-id-01',
      // Bound wide: the loopback names and the machine's own (host-guard.test.ts), never "any".
      allowedHosts: expect.arrayContaining(['localhost', '127.0.0.1', '[::1]', hostname().toLowerCase()]),
      logLevel: 'warn',
      aws: {
        region: 'eu-west-1',
        timeoutMs: 2500,
        endpoints: {
          sts: 'http://127.0.0.1:5000',
          iam: 'http://127.0.0.1:5001',
          cloudformation: 'http://127.0.0.1:5000',
        },
      },
    });
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ PORT: '', AWS_CONNECT_EXTERNAL_ID: '  ' })).toMatchObject({
      port: 8787,
      externalId: undefined,
    });
  });

  it('AWS_REGION wins over AWS_DEFAULT_REGION; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS drops endpoints', () => {
    expect(loadConfig({ AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'eu-west-1' }).aws.region).toBe(
      'us-west-2',
    );
    expect(
      loadConfig({ AWS_ENDPOINT_URL: 'http://127.0.0.1:5000', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })
        .aws.endpoints,
    ).toEqual({});
  });

  it.each([
    ['PORT', 'not-a-port'],
    ['PORT', '70000'],
    ['HOST', 'not a host'],
    ['AWS_CONNECT_FLAVOUR', 'cloud'],
    ['AWS_CONNECT_DEPLOYMENT', 'docker'],
    ['AWS_CONNECT_SANDBOX', 'yes'],
    ['AWS_CONNECT_SANDBOX_CALLER', 'root'],
    ['AWS_CONNECT_TEMPLATE_URL', 'http://insecure.example/t.yaml'],
    ['AWS_CONNECT_TEMPLATE_URL', 'https://example.com/t.yaml'],
    ['AWS_CONNECT_TEMPLATE_URL', 'https://s3.amazonaws.com.evil.example/t.yaml'],
    ['AWS_CONNECT_AWS_TIMEOUT_MS', '-5'],
    ['AWS_CONNECT_RATE_LIMIT_PER_MINUTE', '0'],
    ['AWS_CONNECT_BODY_LIMIT_BYTES', '12'],
    ['AWS_CONNECT_HEADERS_TIMEOUT_MS', '0'],
    ['AWS_CONNECT_HEADERS_TIMEOUT_MS', '40000'],
    ['AWS_CONNECT_REQUEST_TIMEOUT_MS', 'forever'],
    ['AWS_CONNECT_KEEP_ALIVE_TIMEOUT_MS', '-1'],
    ['AWS_CONNECT_EXTERNAL_ID', 'short'],
    ['AWS_CONNECT_EXTERNAL_ID', 'has spaces in it, which STS refuses'],
    ['AWS_REGION', 'Mars'],
    ['AWS_ENDPOINT_URL_STS', 'localhost:5000'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'mysql://db/x'],
    ['AWS_CONNECT_MONITOR', 'sometimes'],
    ['AWS_CONNECT_MONITOR_INTERVAL_S', '0'],
    ['AWS_CONNECT_MONITOR_CONCURRENCY', '100'],
    ['AWS_CONNECT_MONITOR_JITTER', '0.9'],
    ['AWS_CONNECT_WEBHOOK_URL', 'ftp://hooks.example/x'],
    ['AWS_CONNECT_WEBHOOK_SECRET', 'short'],
  ])('%s=%j stops the start with a message naming it', (name, value) => {
    const env = { [name]: value };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`${name}=`));
  });

  it('a made-up AWS_REGION is refused by name, with its partition', () => {
    expect(() => loadConfig({ AWS_REGION: 'zz-abcd-1' })).toThrow(
      /AWS_REGION="zz-abcd-1": zz-abcd-1 is not a region of the aws partition/,
    );
  });

  it('refuses a crafted 50k-character template host (accepted before, and the S3 check backtracked on it)', () => {
    const url = `https://${'a.s3-'.repeat(10_000)}x/t.yaml`;
    expect(() => loadConfig({ AWS_CONNECT_TEMPLATE_URL: url })).toThrow(
      /AWS_CONNECT_TEMPLATE_URL=.*Amazon S3/,
    );
  });

  it('store, monitor and webhook settings (issue 13), with their defaults', () => {
    expect(loadConfig({})).toMatchObject({
      databaseUrl: undefined,
      monitor: { enabled: true, intervalMs: 3_600_000, concurrency: 4, jitter: 0.1 },
      webhook: null,
    });
    expect(
      loadConfig({
        DATABASE_URL: 'postgres://u:p@db:5432/x',
        AWS_CONNECT_MONITOR: 'off',
        AWS_CONNECT_MONITOR_INTERVAL_S: '600',
        AWS_CONNECT_MONITOR_CONCURRENCY: '8',
        AWS_CONNECT_MONITOR_JITTER: '0',
        AWS_CONNECT_WEBHOOK_URL: 'https://hooks.example/aws',
        AWS_CONNECT_WEBHOOK_SECRET: 'a-webhook-secret-of-32-characters',
      }),
    ).toMatchObject({
      databaseUrl: 'postgres://u:p@db:5432/x',
      monitor: { enabled: false, intervalMs: 600_000, concurrency: 8, jitter: 0 },
      webhook: { url: 'https://hooks.example/aws', secret: 'a-webhook-secret-of-32-characters' },
    });
  });

  it('a webhook needs both its URL and its secret', () => {
    expect(() => loadConfig({ AWS_CONNECT_WEBHOOK_URL: 'https://hooks.example/aws' })).toThrow(
      /AWS_CONNECT_WEBHOOK_SECRET too/,
    );
    expect(() => loadConfig({ AWS_CONNECT_WEBHOOK_SECRET: 'a-webhook-secret-of-32-characters' })).toThrow(
      /AWS_CONNECT_WEBHOOK_URL is not/,
    );
  });

  it('never echoes a database password or the webhook secret in its error', () => {
    const bad = () =>
      loadConfig({
        DATABASE_URL: 'postgres://u:hunter2 secret@db/x',
        AWS_CONNECT_WEBHOOK_SECRET: 'tiny-secret',
      });
    expect(bad).toThrow(/DATABASE_URL=\(value hidden\).*AWS_CONNECT_WEBHOOK_SECRET=\(value hidden\)/);
    expect(bad).not.toThrow(/hunter2|tiny-secret/);
  });

  it('names every invalid variable at once', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'loud' })).toThrow(/PORT=.*LOG_LEVEL=/);
  });
});

describe('loadAwsSettings (the CLI)', () => {
  it('ignores server-only variables, even invalid ones', () => {
    expect(loadAwsSettings({ PORT: 'not-a-port', AWS_REGION: 'ap-southeast-2' })).toEqual({
      region: 'ap-southeast-2',
      timeoutMs: 10000,
      endpoints: {},
    });
  });
  it('still refuses a bad timeout', () => {
    expect(() => loadAwsSettings({ AWS_CONNECT_AWS_TIMEOUT_MS: 'soon' })).toThrow(
      /AWS_CONNECT_AWS_TIMEOUT_MS=/,
    );
  });
});

describe('organization settings (issue 14)', () => {
  it('have the documented defaults, for the server and the CLI alike', () => {
    const defaults = { concurrency: 8, accountTimeoutMs: 30_000, stsRatePerSecond: 50, stsBurst: 100 };
    expect(loadConfig({}).org).toEqual(defaults);
    expect(loadOrgSettings({ PORT: 'not-a-port' })).toEqual(defaults);
  });

  it('reads every variable, and AWS_ENDPOINT_URL_ORGANIZATIONS like the other endpoints', () => {
    const env = {
      AWS_CONNECT_ORG_CONCURRENCY: '16',
      AWS_CONNECT_ORG_ACCOUNT_TIMEOUT_MS: '5000',
      AWS_CONNECT_ORG_STS_RATE: '20',
      AWS_CONNECT_ORG_STS_BURST: '5',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
      AWS_ENDPOINT_URL_ORGANIZATIONS: 'http://127.0.0.1:5002',
    };
    expect(loadConfig(env).org).toEqual({
      concurrency: 16,
      accountTimeoutMs: 5000,
      stsRatePerSecond: 20,
      stsBurst: 5,
    });
    expect(loadAwsSettings(env).endpoints).toEqual({
      sts: 'http://127.0.0.1:5000',
      iam: 'http://127.0.0.1:5000',
      cloudformation: 'http://127.0.0.1:5000',
      organizations: 'http://127.0.0.1:5002',
    });
    expect(loadAwsSettings({ AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' }).endpoints.organizations).toBe(
      'http://127.0.0.1:5000',
    );
  });

  it.each([
    ['AWS_CONNECT_ORG_CONCURRENCY', '65'],
    ['AWS_CONNECT_ORG_CONCURRENCY', '0'],
    ['AWS_CONNECT_ORG_ACCOUNT_TIMEOUT_MS', '10'],
    ['AWS_CONNECT_ORG_STS_RATE', 'fast'],
  ])('refuses %s=%s by name', (name, value) => {
    expect(() => loadOrgSettings({ [name]: value })).toThrow(new RegExp(`${name}=`));
  });
});

describe('AWS_CONNECT_ORG_TEMPLATE_URL', () => {
  it('is the published organization template for the quick-create link, an S3 URL like the other', () => {
    const url = 'https://b.s3.amazonaws.com/prowler-scan-organization.yaml';
    expect(loadConfig({ AWS_CONNECT_ORG_TEMPLATE_URL: url }).organizationTemplateUrl).toBe(url);
    expect(loadConfig({}).organizationTemplateUrl).toBeNull();
    expect(() => loadConfig({ AWS_CONNECT_ORG_TEMPLATE_URL: 'https://example.com/t.yaml' })).toThrow(
      /AWS_CONNECT_ORG_TEMPLATE_URL=.*prowler-scan-organization\.yaml/,
    );
  });
});
