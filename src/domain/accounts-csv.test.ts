import { describe, expect, it } from 'vitest';
import { formatCsvError, parseAccountsCsv } from './accounts-csv.ts';

// The accounts CSV: a header row, account_id required, alias and role_name optional; every error
// names its line and column.

const ok = (text: string) => {
  const r = parseAccountsCsv(text);
  if (!r.ok) throw new Error(r.errors.map(formatCsvError).join('; '));
  return r.accounts;
};
const errors = (text: string) => {
  const r = parseAccountsCsv(text);
  if (r.ok) throw new Error('expected errors');
  return r.errors.map(formatCsvError);
};

describe('parseAccountsCsv', () => {
  it('reads the columns in any order, trims, and leaves out empty optional fields', () => {
    expect(
      ok(
        'alias,account_id,role_name\r\nProd , 111122223333 ,ScanRole\n,222233334444,\n\n"Dev, EU",333344445555,\n',
      ),
    ).toEqual([
      { accountId: '111122223333', alias: 'Prod', roleName: 'ScanRole' },
      { accountId: '222233334444' },
      { accountId: '333344445555', alias: 'Dev, EU' },
    ]);
  });

  it('takes a BOM, a lone account_id column, "Account ID" as a title, and doubled quotes', () => {
    expect(ok('\uFEFFaccount_id\n111122223333')).toEqual([{ accountId: '111122223333' }]);
    expect(ok('Account ID,Alias\n111122223333,"the ""prod"" one"')).toEqual([
      { accountId: '111122223333', alias: 'the "prod" one' },
    ]);
  });

  it.each([
    ['', ['line 1: The file is empty: it needs a header line (account_id).']],
    [
      '111122223333\n222233334444',
      ['line 1, column 1: Unknown column "111122223333": the columns are account_id, alias, role_name.'],
    ],
    ['alias\nprod', [/^line 1: The first line must name the columns/]],
    [
      'account_id,account_id\n1',
      ['line 1, column 2 (account_id): account_id appears twice (columns 1 and 2).'],
    ],
    ['account_id\n', ['line 2: No account follows the header line.']],
    [
      'alias,account_id\nprod,12345678901',
      [
        'line 2, column 2 (account_id): An AWS account ID is exactly 12 digits, like 123456789012 (no dashes or spaces). (12345678901 has 11 digits: a spreadsheet may have dropped leading zeros; format the column as text)',
      ],
    ],
    [
      'account_id,alias\n,prod',
      ['line 2, column 1 (account_id): account_id is empty: every line needs a 12-digit account ID.'],
    ],
    [
      'account_id,role_name\n111122223333,bad name',
      [
        'line 2, column 2 (role_name): A role name is 1 to 64 characters of letters, digits and + = , . @ - _.',
      ],
    ],
    [
      'account_id\n111122223333\n222233334444\n111122223333',
      ['line 4, column 1 (account_id): 111122223333 is already on line 2.'],
    ],
    [
      'account_id,alias\n111122223333,"open',
      ['line 2, column 2: A quoted field has no closing quote on this line.'],
    ],
    [
      'account_id,alias\n111122223333,"a"b',
      ['line 2, column 2: Text follows the closing quote; put the whole field in quotes.'],
    ],
    ['account_id\n111122223333,extra', ['line 2, column 2: This line has 2 fields; the header names 1.']],
  ])('%j', (text, want) => {
    const got = errors(text);
    expect(got).toHaveLength(want.length);
    for (const [i, w] of want.entries()) {
      if (typeof w === 'string') expect(got[i]).toBe(w);
      else expect(got[i]).toMatch(w);
    }
  });

  it('reports every bad line (up to 20), not only the first', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `bad${i}`).join('\n');
    const got = errors(`account_id\n${rows}`);
    expect(got).toHaveLength(20);
    expect(got[0]).toMatch(/^line 2, column 1 \(account_id\)/);
    expect(got[19]).toMatch(/^line 21, column 1/);
  });

  it('reads 10,000 accounts and refuses 10,001', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => String(100000000000 + i)).join('\n');
    expect(ok(`account_id\n${ids(10_000)}`)).toHaveLength(10_000);
    expect(errors(`account_id\n${ids(10_001)}`)).toEqual([
      'line 1: 10001 accounts: one run verifies at most 10000.',
    ]);
  });
});
