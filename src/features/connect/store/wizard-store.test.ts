import { beforeEach, describe, expect, it, vi } from 'vitest';

// The store persists answers to sessionStorage and nothing else; a Map stands in for the browser's
// storage (the store under test is real).
const storage = new Map<string, string>();
vi.stubGlobal('sessionStorage', {
  getItem: (k: string) => storage.get(k) ?? null,
  setItem: (k: string, v: string) => void storage.set(k, v),
  removeItem: (k: string) => void storage.delete(k),
});

const { wizardStore } = await import('./wizard-store.ts');
const { getSecrets } = await import('./secrets.ts');
const { answersSchema, EMPTY_ANSWERS } = await import('./answers.ts');

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const persisted = () => [...storage.values()].join('\n');

describe('wizardStore', () => {
  beforeEach(() => wizardStore.reset());

  it('keeps keys in memory only: never in storage', () => {
    wizardStore.update({ sourceKind: 'access-keys' });
    wizardStore.setSecrets({
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: SECRET,
      sessionToken: 'token-value-0001',
    });
    expect(getSecrets().secretAccessKey).toBe(SECRET);
    expect(persisted()).toContain('access-keys');
    for (const value of [SECRET, 'token-value-0001', 'AKIAIOSFODNN7EXAMPLE'])
      expect(persisted()).not.toContain(value);
  });

  it('merges a step’s fields and persists them', () => {
    wizardStore.update({ trust: { iamPrincipal: 'user/prowler-app' } });
    const saved = answersSchema.parse(JSON.parse(persisted()));
    expect(saved.trust).toEqual({ trustedAccountId: '', iamPrincipal: 'user/prowler-app' });
  });

  it.each([
    ['trust', { trust: { iamPrincipal: 'role/x' } }],
    ['role', { role: { roleArn: 'arn:aws:iam::222222222222:role/Other' } }],
    ['source', { sourceKind: 'access-keys' as const }],
  ])('a changed %s answer drops the last report (it no longer describes the answers)', (_, patch) => {
    wizardStore.update({ report: { requestId: 'r' } as never });
    wizardStore.update(patch);
    expect(wizardStore.getState().answers.report).toBeNull();
  });

  it('new keys drop the last report too', () => {
    wizardStore.update({ report: { requestId: 'r' } as never });
    wizardStore.setSecrets({ secretAccessKey: SECRET });
    expect(wizardStore.getState().answers.report).toBeNull();
  });

  it('an unchanged answer keeps the report', () => {
    wizardStore.update({ report: { requestId: 'r' } as never });
    wizardStore.update({ trust: wizardStore.getState().answers.trust });
    expect(wizardStore.getState().answers.report).not.toBeNull();
  });
});

describe('answersSchema', () => {
  it.each([
    ['garbage', 'not an object'],
    ['wrong types', { sourceKind: 42, trust: 'x', role: { roleArn: 7 } }],
    ['an unknown source', { sourceKind: 'root-password' }],
  ])('degrades %s to defaults instead of failing', (_, raw) => {
    const parsed = answersSchema.safeParse(raw);
    if (typeof raw === 'string') expect(parsed.success).toBe(false);
    else expect(parsed.data?.sourceKind ?? null).toBeNull();
  });

  it('has empty defaults', () => {
    expect(EMPTY_ANSWERS.trust.iamPrincipal).toBe('role/prowler*');
    expect(EMPTY_ANSWERS.template.stackName).toBe('ProwlerScan');
  });
});
