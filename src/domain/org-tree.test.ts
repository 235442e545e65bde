import { describe, expect, it } from 'vitest';
import type { Discovery } from './org-contract.ts';
import { organizationTree, selectAccounts, unknownSelectionIds } from './org-tree.ts';

// root ── ou-a (A1) ── ou-a-x (AX1, AX2)
//      └─ ou-b (B1)
//      (M, the management account, in the root)
const D: Pick<Discovery, 'units' | 'accounts' | 'inactiveAccounts'> = {
  units: [
    { id: 'r-ab12', name: 'Root', kind: 'root', parentId: null },
    { id: 'ou-ab12-aaaaaaaa', name: 'A', kind: 'ou', parentId: 'r-ab12' },
    { id: 'ou-ab12-bbbbbbbb', name: 'B', kind: 'ou', parentId: 'r-ab12' },
    { id: 'ou-ab12-xxxxxxxx', name: 'AX', kind: 'ou', parentId: 'ou-ab12-aaaaaaaa' },
  ],
  accounts: [
    { accountId: '100000000000', name: 'M', state: 'ACTIVE', parentId: 'r-ab12' },
    { accountId: '100000000001', name: 'A1', state: 'ACTIVE', parentId: 'ou-ab12-aaaaaaaa' },
    { accountId: '100000000002', name: 'AX1', state: 'ACTIVE', parentId: 'ou-ab12-xxxxxxxx' },
    { accountId: '100000000003', name: 'AX2', state: 'ACTIVE', parentId: 'ou-ab12-xxxxxxxx' },
    { accountId: '100000000004', name: 'B1', state: 'ACTIVE', parentId: 'ou-ab12-bbbbbbbb' },
  ],
  inactiveAccounts: [
    { accountId: '100000000009', name: 'Gone', state: 'SUSPENDED', parentId: 'ou-ab12-bbbbbbbb' },
  ],
};
const names = (s: Parameters<typeof selectAccounts>[1]) => selectAccounts(D, s).map((a) => a.alias);

describe('selectAccounts', () => {
  it.each([
    [{}, ['M', 'A1', 'AX1', 'AX2', 'B1']],
    [{ includeOus: ['r-ab12'] }, ['M', 'A1', 'AX1', 'AX2', 'B1']],
    // An OU covers its whole subtree, as a StackSet target does.
    [{ includeOus: ['ou-ab12-aaaaaaaa'] }, ['A1', 'AX1', 'AX2']],
    [{ includeOus: ['ou-ab12-aaaaaaaa'], excludeOus: ['ou-ab12-xxxxxxxx'] }, ['A1']],
    [{ includeOus: ['ou-ab12-xxxxxxxx', 'ou-ab12-bbbbbbbb'] }, ['AX1', 'AX2', 'B1']],
    [{ excludeAccounts: ['100000000000', '100000000003'] }, ['A1', 'AX1', 'B1']],
    [{ includeAccounts: ['100000000004', '100000000002'] }, ['AX1', 'B1']],
    [{ includeOus: ['ou-ab12-bbbbbbbb'], includeAccounts: ['100000000001'] }, []],
  ])('%j', (selection, want) => {
    expect(names(selection)).toEqual(want);
  });

  it('keeps the parent of every account, and the name as its alias', () => {
    expect(selectAccounts(D, { includeAccounts: ['100000000002'] })).toEqual([
      { accountId: '100000000002', alias: 'AX1', parentId: 'ou-ab12-xxxxxxxx' },
    ]);
  });

  it('names the selection IDs the organization does not have', () => {
    expect(
      unknownSelectionIds(D, {
        includeOus: ['ou-ab12-aaaaaaaa', 'ou-zz99-zzzzzzzz'],
        excludeAccounts: ['100000000009', '999999999999'],
      }),
    ).toEqual(['ou-zz99-zzzzzzzz', '999999999999']);
  });
});

describe('organizationTree', () => {
  it('nests OUs and accounts under their parents', () => {
    const [root, ...others] = organizationTree(D);
    expect(others).toEqual([]);
    expect(root?.accounts.map((a) => a.name)).toEqual(['M']);
    expect(root?.children.map((c) => c.unit.name)).toEqual(['A', 'B']);
    expect(root?.children[0]?.children[0]?.accounts.map((a) => a.name)).toEqual(['AX1', 'AX2']);
  });
});
