import { useState } from 'react';
import { Field } from '../../../components/ui/field.tsx';
import { Notice } from '../../../components/ui/notice.tsx';
import { INPUT } from '../../../components/ui/styles.ts';
import { formatCsvError, parseAccountsCsv } from '../../../domain/accounts-csv.ts';
import type { AccountTarget } from '../../../domain/org-inputs.ts';

// Or the accounts as a CSV (no Organizations access needed): the same parser as the CLI, which names
// the line and column of every error. The file is read here, in the page; only the accounts are sent.

export function CsvSection({ onAccounts }: { onAccounts: (accounts: AccountTarget[] | null) => void }) {
  const [errors, setErrors] = useState<string[]>([]);
  const [count, setCount] = useState<number | null>(null);
  const read = async (file: File | undefined) => {
    if (!file) return;
    const parsed = parseAccountsCsv(await file.text());
    setErrors(parsed.ok ? [] : parsed.errors.map(formatCsvError));
    setCount(parsed.ok ? parsed.accounts.length : null);
    onAccounts(parsed.ok ? parsed.accounts : null);
  };
  return (
    <div className="space-y-2">
      <Field
        label="Accounts CSV"
        hint="A header row, then one account a row: account_id (required), alias and role_name (optional; role_name overrides the role name below)."
        error={
          errors.length
            ? `${errors.length} problem${errors.length === 1 ? '' : 's'} in the file: see below.`
            : undefined
        }
      >
        {(control) => (
          <input
            {...control}
            type="file"
            accept=".csv,text/csv"
            className={INPUT}
            onChange={(e) => void read(e.currentTarget.files?.[0])}
          />
        )}
      </Field>
      {errors.length ? (
        <Notice tone="error" title="The CSV needs fixing" live>
          <ul className="list-disc pl-5">
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </Notice>
      ) : null}
      {count !== null ? (
        <p role="status" className="text-sm">
          {count} account{count === 1 ? '' : 's'} read from the file.
        </p>
      ) : null}
    </div>
  );
}
