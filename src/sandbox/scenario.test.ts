import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DIAGNOSIS_CODES } from '../domain/diagnosis/codes.ts';
import { FaultState } from './faults.ts';
import { DEMO_SCENARIO, loadScenario, scenarioSchema, withExternalId } from './scenario.ts';
import { SandboxWorld } from './world.ts';

const dir = mkdtempSync(join(tmpdir(), 'sandbox-scenario-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the demo scenario', () => {
  it('is valid and names a scanner user with keys', () => {
    expect(scenarioSchema.safeParse(DEMO_SCENARIO).success).toBe(true);
    const world = new SandboxWorld(new FaultState(), 'ext', DEMO_SCENARIO);
    expect(world.serverCredentials('scanner')?.accessKeyId).toBe('AKIASANDBOXSCANNER01');
  });

  it('covers every trust and permission outcome the issue lists', () => {
    const world = new SandboxWorld(new FaultState(), 'ext', DEMO_SCENARIO);
    const { targets, sources = [] } = world.describeTargets();
    const covered = new Set([...targets, ...sources].map((t) => t.expectedDiagnosis));
    for (const code of [
      'OK',
      'TRUST_PRINCIPAL_MISMATCH',
      'TRUST_ACCOUNT_MISMATCH',
      'EXTERNAL_ID_MISMATCH',
      'ROLE_NOT_FOUND',
      'PERMISSIONS_INCOMPLETE',
      'EXTERNAL_ID_NOT_ENFORCED',
      'CALLER_NOT_PERMITTED',
      'EXPLICIT_DENY',
      'SOURCE_TOKEN_EXPIRED',
    ] as const) {
      expect(DIAGNOSIS_CODES).toContain(code);
      expect(covered, code).toContain(code);
    }
    expect(targets.find((t) => t.accountId === '888888888888')).toMatchObject({ roleArn: null });
  });

  it('documents every demo key', () => {
    for (const account of Object.values(DEMO_SCENARIO.accounts)) {
      for (const key of [...account.users.flatMap((u) => u.accessKeys), ...account.sessions]) {
        expect(key.note, key.id).toMatch(/fake|sandbox/i);
      }
    }
  });
});

describe('scenario files', () => {
  it('replaces $SERVER_EXTERNAL_ID in every string', () => {
    expect(withExternalId({ a: ['$SERVER_EXTERNAL_ID', { b: 'x-$SERVER_EXTERNAL_ID' }], n: 1 }, 'E')).toEqual(
      {
        a: ['E', { b: 'x-E' }],
        n: 1,
      },
    );
  });

  it('accepts the example of issue 4 and fills the defaults', () => {
    const parsed = scenarioSchema.parse({
      accounts: {
        '111111111111': {
          users: [
            {
              name: 'prowler-app',
              path: '/',
              accessKeys: [{ id: 'AKIAEXAMPLE000000001', secret: 'secretsecretsecretsecret' }],
              policies: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }],
            },
          ],
          roles: [
            { name: 'prowler-worker', path: '/', trustPolicy: {}, policies: [], maxSessionDuration: 3600 },
          ],
        },
        '222222222222': {
          stacks: [
            {
              name: 'ProwlerScan',
              parameters: { ExternalId: 'ab', AccountId: '111111111111', IAMPrincipal: 'role/prowler*' },
            },
          ],
        },
        '333333333333': {
          users: [
            {
              name: 'fenced',
              accessKeys: [{ id: 'AKIAEXAMPLE000000002', secret: 'secretsecretsecretsecret' }],
              policies: [],
            },
          ],
          scp: [{ Effect: 'Deny', Action: 'sts:AssumeRole', Resource: '*' }],
        },
      },
      faults: { latencyMs: 0 },
    });
    expect(parsed.partition).toBe('aws');
    expect(parsed.accounts['333333333333']?.users[0]?.path).toBe('/');
  });

  it.each([
    ['{ not json', /is not valid JSON/],
    ['{"accounts":{"12":{}}}', /accounts\.12/],
    ['{"accounts":{},"extra":1}', /Unrecognized key/i],
    ['{"accounts":{"111111111111":{"users":[{"name":"a","polices":[]}]}}}', /polices/],
  ])('refuses %s with the file name and the field', async (text, message) => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, text);
    await expect(loadScenario(path)).rejects.toThrow(message);
    await expect(loadScenario(path)).rejects.toThrow(path);
  });

  it('refuses a stack whose parameters the template rejects, and keeps the previous world', () => {
    const world = new SandboxWorld(new FaultState(), 'ext', DEMO_SCENARIO);
    const bad = {
      accounts: {
        '222222222222': {
          stacks: [{ name: 'S', parameters: { ExternalId: 'x', AccountId: '1', IAMPrincipal: 'r' } }],
        },
      },
    };
    expect(() => world.load(bad)).toThrow();
    expect(world.serverCredentials('scanner')).not.toBeNull();
  });

  it('refuses a key that appears twice', () => {
    const key = { id: 'AKIAEXAMPLE000000001', secret: 'secretsecretsecretsecret' };
    const twice = {
      accounts: {
        '111111111111': {
          users: [
            { name: 'a', accessKeys: [key] },
            { name: 'b', accessKeys: [key] },
          ],
        },
      },
    };
    expect(() => new SandboxWorld(new FaultState(), 'ext', twice)).toThrow(/appears twice/);
  });
});
