import { type AccountTarget, accountTargetSchema, MAX_ACCOUNTS_PER_RUN } from './org-inputs.ts';

// The accounts CSV (issue 14, discovery without Organizations): a header row naming the columns,
// `account_id` required, `alias` and `role_name` optional, in any order; then one account a row.
// Fields may be quoted as RFC 4180 says ("a, b" and "" for a quote) but may not span lines. Every
// error names its line and column, so a spreadsheet user can find the cell.
// https://www.rfc-editor.org/rfc/rfc4180

export const CSV_COLUMNS = ['account_id', 'alias', 'role_name'] as const;
type Column = (typeof CSV_COLUMNS)[number];
const FIELD_OF: Record<Column, 'accountId' | 'alias' | 'roleName'> = {
  account_id: 'accountId',
  alias: 'alias',
  role_name: 'roleName',
};
/** A file past this many characters is refused before it is read (10,000 rows of ~100). */
export const MAX_CSV_CHARS = 2_000_000;
const MAX_ERRORS = 20;

export interface CsvError {
  line: number;
  /** 1-based; absent when the error is about the whole line. */
  column?: number;
  /** The header name of that column, when it has one. */
  field?: string;
  message: string;
}

export type CsvResult = { ok: true; accounts: AccountTarget[] } | { ok: false; errors: CsvError[] };

/** One line's fields, or the 1-based column where the quoting breaks. */
function splitLine(line: string): { fields: string[] } | { badColumn: number; message: string } {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    const column = fields.length + 1;
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote < 0)
          return { badColumn: column, message: 'A quoted field has no closing quote on this line.' };
        value += line.slice(i, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      if (i < line.length && line[i] !== ',') {
        return {
          badColumn: column,
          message: 'Text follows the closing quote; put the whole field in quotes.',
        };
      }
      fields.push(value);
    } else {
      const comma = line.indexOf(',', i);
      const raw = comma < 0 ? line.slice(i) : line.slice(i, comma);
      if (raw.includes('"')) {
        return {
          badColumn: column,
          message: 'A quote inside an unquoted field: quote the field and double the quote ("").',
        };
      }
      fields.push(raw);
      i = comma < 0 ? line.length : comma;
    }
    if (i >= line.length) return { fields };
    i++; // the comma
    if (i === line.length) {
      fields.push('');
      return { fields };
    }
  }
}

function headerColumns(fields: string[], errors: CsvError[]): (Column | null)[] {
  const seen = new Map<Column, number>();
  const columns = fields.map((raw, index) => {
    // "Account ID" and "account-id" are how spreadsheets title it: the same column.
    const name = raw
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
    const column = index + 1;
    if (name === '') return null;
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
      errors.push({
        line: 1,
        column,
        message: `Unknown column "${raw.trim().slice(0, 40)}": the columns are ${CSV_COLUMNS.join(', ')}.`,
      });
      return null;
    }
    const known = name as Column;
    const first = seen.get(known);
    if (first !== undefined) {
      errors.push({
        line: 1,
        column,
        field: known,
        message: `${known} appears twice (columns ${first} and ${column}).`,
      });
      return null;
    }
    seen.set(known, column);
    return known;
  });
  if (!seen.has('account_id') && !errors.length) {
    errors.push({
      line: 1,
      message: `The first line must name the columns, account_id first or anywhere (optional: alias, role_name); it has ${fields.map((f) => `"${f.trim().slice(0, 20)}"`).join(', ')}.`,
    });
  }
  return columns;
}

/** Spreadsheets drop an account ID's leading zeros: say so rather than only "12 digits". */
function accountIdHint(value: string): string {
  return /^\d{1,11}$/.test(value)
    ? ` (${value} has ${value.length} digits: a spreadsheet may have dropped leading zeros; format the column as text)`
    : '';
}

export function parseAccountsCsv(text: string): CsvResult {
  if (text.length > MAX_CSV_CHARS) {
    return {
      ok: false,
      errors: [{ line: 1, message: `The file is larger than ${MAX_CSV_CHARS} characters.` }],
    };
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const errors: CsvError[] = [];
  const add = (e: CsvError) => {
    if (errors.length < MAX_ERRORS) errors.push(e);
  };
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0)
    return {
      ok: false,
      errors: [{ line: 1, message: 'The file is empty: it needs a header line (account_id).' }],
    };
  const header = splitLine(lines[headerIndex] ?? '');
  if ('badColumn' in header) {
    return {
      ok: false,
      errors: [{ line: headerIndex + 1, column: header.badColumn, message: header.message }],
    };
  }
  const columns = headerColumns(header.fields, errors);
  if (errors.length) return { ok: false, errors: errors.map((e) => ({ ...e, line: headerIndex + 1 })) };

  const accounts: AccountTarget[] = [];
  const firstLineOf = new Map<string, number>();
  for (let n = headerIndex + 1; n < lines.length; n++) {
    const line = lines[n] ?? '';
    const lineNo = n + 1;
    if (line.trim() === '') continue;
    const split = splitLine(line);
    if ('badColumn' in split) {
      add({ line: lineNo, column: split.badColumn, message: split.message });
      continue;
    }
    if (
      split.fields.length > columns.length &&
      split.fields.slice(columns.length).some((f) => f.trim() !== '')
    ) {
      add({
        line: lineNo,
        column: columns.length + 1,
        message: `This line has ${split.fields.length} fields; the header names ${columns.length}.`,
      });
      continue;
    }
    const row: Record<string, string> = {};
    const columnOf: Record<string, number> = {};
    columns.forEach((name, index) => {
      const value = split.fields[index]?.trim() ?? '';
      if (!name || value === '') return;
      row[FIELD_OF[name]] = value;
      columnOf[FIELD_OF[name]] = index + 1;
    });
    const parsed = accountTargetSchema.safeParse(row);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? 'accountId');
        const name = (Object.keys(FIELD_OF) as Column[]).find((c) => FIELD_OF[c] === field) ?? field;
        const column = columnOf[field] ?? columns.indexOf(name as Column) + 1;
        const missing = row[field] === undefined;
        add({
          line: lineNo,
          column,
          field: name,
          message: missing
            ? `${name} is empty: every line needs a 12-digit account ID.`
            : `${issue.message}${field === 'accountId' ? accountIdHint(row[field] ?? '') : ''}`,
        });
      }
      continue;
    }
    const first = firstLineOf.get(parsed.data.accountId);
    if (first !== undefined) {
      add({
        line: lineNo,
        column: columnOf.accountId ?? 1,
        field: 'account_id',
        message: `${parsed.data.accountId} is already on line ${first}.`,
      });
      continue;
    }
    firstLineOf.set(parsed.data.accountId, lineNo);
    accounts.push(parsed.data);
  }
  if (errors.length) return { ok: false, errors };
  if (accounts.length === 0)
    return { ok: false, errors: [{ line: headerIndex + 2, message: 'No account follows the header line.' }] };
  if (accounts.length > MAX_ACCOUNTS_PER_RUN) {
    return {
      ok: false,
      errors: [
        {
          line: 1,
          message: `${accounts.length} accounts: one run verifies at most ${MAX_ACCOUNTS_PER_RUN}.`,
        },
      ],
    };
  }
  return { ok: true, accounts };
}

/** "line 3, column 1 (account_id): ..." */
export function formatCsvError(e: CsvError): string {
  const where = `line ${e.line}${e.column ? `, column ${e.column}` : ''}${e.field ? ` (${e.field})` : ''}`;
  return `${where}: ${e.message}`;
}
