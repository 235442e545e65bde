import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Moto, startMoto } from '../testing/moto.ts';
import { requireTool } from '../testing/tools.ts';
import { type SandboxHandle, startSandbox } from './server.ts';
import { type Keys, signedPost, sts } from './test-clients.ts';

// Parity with moto_server, an independent AWS implementation: the same requests against both give
// the same codes, statuses, messages and response shapes where both implement the behaviour
// (success, unknown key, bad signature). moto checks keys and signatures only with auth enforcement
// on, and its users must exist first, so the test creates them through moto's IAM API and copies
// the generated key into the sandbox's scenario. Issue 4, "Tests".

const hasMoto = requireTool('moto_server');
const ACCOUNT = '123456789012'; // moto's default account
// moto matches trust principals literally, so the trust names the user (AWS and the sandbox agree).
const TRUST = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/parity` }, Action: 'sts:AssumeRole' },
  ],
};
const ALLOW_ASSUME = { Effect: 'Allow' as const, Action: 'sts:AssumeRole', Resource: '*' };
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/ParityScan`;

let moto: Moto;
let sb: SandboxHandle;
let keys: Keys;
const targets = () =>
  [
    ['sandbox', sb.url],
    ['moto', moto.url],
  ] as const;

beforeAll(async () => {
  if (!hasMoto) return;
  moto = await startMoto();
  const admin = {
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  };
  const iam = new IAMClient({ endpoint: moto.url, region: 'us-east-1', credentials: admin });
  await iam.send(new CreateUserCommand({ UserName: 'parity' }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: 'parity',
      PolicyName: 'assume',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [ALLOW_ASSUME] }),
    }),
  );
  await iam.send(
    new CreateRoleCommand({ RoleName: 'ParityScan', AssumeRolePolicyDocument: JSON.stringify(TRUST) }),
  );
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'parity' }));
  keys = { accessKeyId: AccessKey?.AccessKeyId ?? '', secretAccessKey: AccessKey?.SecretAccessKey ?? '' };
  await moto.enableAuth();
  sb = await startSandbox({
    scenario: {
      accounts: {
        [ACCOUNT]: {
          users: [
            {
              name: 'parity',
              accessKeys: [{ id: keys.accessKeyId, secret: keys.secretAccessKey }],
              policies: [ALLOW_ASSUME],
            },
          ],
          roles: [{ name: 'ParityScan', trustPolicy: TRUST }],
        },
      },
    },
  });
}, 60_000);
afterAll(async () => {
  await Promise.all([sb?.close(), moto?.stop()]);
});

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false });

/** Every element path of an XML document, e.g. "GetCallerIdentityResponse.GetCallerIdentityResult.Arn". */
function paths(xml: string): string[] {
  const out: string[] = [];
  const walk = (node: unknown, prefix: string) => {
    if (typeof node !== 'object' || node === null) {
      out.push(prefix);
      return;
    }
    for (const [k, v] of Object.entries(node)) walk(v, prefix ? `${prefix}.${k}` : k);
  };
  walk(parser.parse(xml), '');
  return out.filter((p) => p !== '?xml').sort();
}

/** The Error element wherever it sits: AWS's STS puts it under ErrorResponse, moto under ErrorResponse.Errors. */
function errorOf(xml: string): Record<string, string> {
  const doc = parser.parse(xml) as {
    ErrorResponse?: { Error?: Record<string, string>; Errors?: { Error?: Record<string, string> } };
  };
  return doc.ErrorResponse?.Error ?? doc.ErrorResponse?.Errors?.Error ?? {};
}

const shape = (value: unknown): unknown =>
  value instanceof Date
    ? 'Date'
    : typeof value === 'object' && value !== null
      ? Object.fromEntries(
          Object.entries(value)
            .filter(([k]) => k !== '$metadata')
            .map(([k, v]) => [k, shape(v)]),
        )
      : typeof value;

describe.skipIf(!hasMoto)('sandbox and moto_server agree', () => {
  it('GetCallerIdentity: same identity, same SDK output and XML shape', async () => {
    const [a, b] = await Promise.all(
      targets().map(([, url]) => sts(url, keys).send(new GetCallerIdentityCommand({}))),
    );
    expect(a?.Arn).toBe(`arn:aws:iam::${ACCOUNT}:user/parity`);
    expect(b?.Arn).toBe(a?.Arn);
    expect(b?.Account).toBe(a?.Account);
    expect(shape(a)).toEqual(shape(b));
    const [ra, rb] = await Promise.all(
      targets().map(([, url]) => signedPost(url, 'Action=GetCallerIdentity&Version=2011-06-15', keys)),
    );
    expect([ra?.status, rb?.status]).toEqual([200, 200]);
    expect(paths(ra?.text ?? '')).toEqual(paths(rb?.text ?? ''));
  });

  it('AssumeRole: same assumed-role ARN and credential shape; the credentials work for a second call', async () => {
    const outs = await Promise.all(
      targets().map(([, url]) =>
        sts(url, keys).send(
          new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'parity', DurationSeconds: 900 }),
        ),
      ),
    );
    const [a, b] = outs;
    expect(a?.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/ParityScan/parity`);
    expect(b?.AssumedRoleUser?.Arn).toBe(a?.AssumedRoleUser?.Arn);
    expect(shape(a?.Credentials)).toEqual(shape(b?.Credentials));
    expect(shape(a?.AssumedRoleUser)).toEqual(shape(b?.AssumedRoleUser));
    for (const out of outs) expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    const again = await Promise.all(
      targets().map(([, url], i) => {
        const c = outs[i]?.Credentials;
        const temp = {
          accessKeyId: c?.AccessKeyId ?? '',
          secretAccessKey: c?.SecretAccessKey ?? '',
          sessionToken: c?.SessionToken ?? '',
        };
        return sts(url, temp).send(new GetCallerIdentityCommand({}));
      }),
    );
    expect(again.map((o) => o.Arn)).toEqual([a?.AssumedRoleUser?.Arn, a?.AssumedRoleUser?.Arn]);
  });

  it.each([
    [
      'an unknown access key',
      () => ({ accessKeyId: 'AKIAPARITYUNKNOWN001', secretAccessKey: 'x'.repeat(40) }),
      'InvalidClientTokenId',
    ],
    [
      'a bad signature (wrong secret)',
      () => ({ ...keys, secretAccessKey: 'y'.repeat(40) }),
      'SignatureDoesNotMatch',
    ],
  ])('%s: same code, status, message and error fields', async (_, bad, code) => {
    const errs = await Promise.all(
      targets().map(([, url]) =>
        sts(url, bad())
          .send(new GetCallerIdentityCommand({}))
          .then(
            () => null,
            (e: Error & { $metadata?: { httpStatusCode?: number }; $fault?: string }) => ({
              name: e.name,
              status: e.$metadata?.httpStatusCode,
              message: e.message,
              fault: e.$fault,
            }),
          ),
      ),
    );
    expect(errs[0]).toMatchObject({ name: code, status: 403, fault: 'client' });
    expect(errs[1]).toEqual(errs[0]);
    const raw = await Promise.all(
      targets().map(([, url]) => signedPost(url, 'Action=GetCallerIdentity&Version=2011-06-15', bad())),
    );
    expect(raw.map((r) => r.status)).toEqual([403, 403]);
    expect(errorOf(raw[0]?.text ?? '')).toEqual(errorOf(raw[1]?.text ?? ''));
    expect(errorOf(raw[0]?.text ?? '')).toMatchObject({ Code: code, Type: 'Sender' });
  });
});
