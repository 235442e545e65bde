import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { externalIdSchema } from '../domain/inputs.ts';
import { EXTERNAL_ID_FILE, issueExternalId } from './external-id.ts';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aws-connect-extid-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('issueExternalId', () => {
  it('issues 128 random bits once, keeps them in the data dir with mode 0600, and reuses them', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const first = await issueExternalId({ dataDir });
    expect(first.source).toBe('new');
    expect(first.externalId).toMatch(/^[0-9a-f]{32}$/);
    expect(externalIdSchema.safeParse(first.externalId).success).toBe(true);
    const path = join(dataDir, EXTERNAL_ID_FILE);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim()).toBe(first.externalId);
    const second = await issueExternalId({ dataDir });
    expect(second).toEqual({ externalId: first.externalId, source: 'data-dir', path });
  });

  it('differs between installations', async () => {
    const a = await issueExternalId({ dataDir: join(dir, 'a') });
    const b = await issueExternalId({ dataDir: join(dir, 'b') });
    expect(a.externalId).not.toBe(b.externalId);
  });

  it('two servers starting at once on one data dir agree', async () => {
    const ids = await Promise.all(Array.from({ length: 8 }, () => issueExternalId({ dataDir: dir })));
    expect(new Set(ids.map((i) => i.externalId)).size).toBe(1);
  });

  it('the configured value wins and nothing is written', async () => {
    const r = await issueExternalId({ dataDir: dir, configured: 'configured-external-id-0001' });
    expect(r).toEqual({ externalId: 'configured-external-id-0001', source: 'configuration' });
    expect(() => statSync(join(dir, EXTERNAL_ID_FILE))).toThrow();
  });

  it('refuses a corrupted file instead of silently issuing a new value', async () => {
    writeFileSync(join(dir, EXTERNAL_ID_FILE), 'not valid!\n');
    await expect(issueExternalId({ dataDir: dir })).rejects.toThrow(/delete it/);
  });
});
