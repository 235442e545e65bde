import { cx } from '../../../components/ui/styles.ts';
import type { CredentialSourceKind } from '../../../domain/inputs.ts';
import type { SourceLabel } from './source-labels.ts';

export interface SourceCardsProps {
  labels: Record<CredentialSourceKind, SourceLabel>;
  value: CredentialSourceKind | null;
  onChange: (kind: CredentialSourceKind) => void;
}

export const SOURCE_KINDS: readonly CredentialSourceKind[] = ['sdk-default', 'access-keys'];
/** The radio group's name (drawn-choice.ts finds the group by it). */
export const SOURCE_FIELD_NAME = 'credential-source';

/** Two cards that are one native radio group: arrow keys move between them, Space selects. */
export function SourceCards({ labels, value, onChange }: SourceCardsProps) {
  return (
    <fieldset>
      <legend className="text-sm font-semibold text-slate-900 dark:text-slate-100">
        How should the scanner authenticate?
      </legend>
      <div className="mt-2 grid gap-3 md:grid-cols-2">
        {SOURCE_KINDS.map((kind) => {
          const label = labels[kind];
          const checked = value === kind;
          return (
            <label
              key={kind}
              className={cx(
                'flex cursor-pointer gap-3 rounded-lg border-2 bg-white p-4 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-blue-700 dark:bg-slate-900 dark:has-[:focus-visible]:outline-blue-300',
                checked
                  ? 'border-blue-700 dark:border-blue-300'
                  : 'border-slate-300 hover:border-slate-500 dark:border-slate-600 dark:hover:border-slate-400',
              )}
            >
              <input
                type="radio"
                name={SOURCE_FIELD_NAME}
                value={kind}
                checked={checked}
                onChange={() => onChange(kind)}
                className="mt-1 size-4 shrink-0 accent-blue-700 dark:accent-blue-300"
              />
              <span className="min-w-0">
                <span className="flex flex-wrap items-center gap-2 font-semibold text-slate-950 dark:text-white">
                  {label.title}
                  {label.recommended ? (
                    <span className="rounded-full bg-green-100 px-2 py-0.5 text-xs font-semibold text-green-900 dark:bg-green-900 dark:text-green-100">
                      Recommended
                    </span>
                  ) : null}
                </span>
                <span className="mt-1 block text-sm text-slate-700 dark:text-slate-300">
                  {label.description}
                </span>
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
