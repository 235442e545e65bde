import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadAwsSettings, loadConfig } from './config.ts';

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
