import { useId } from 'react';
import { CopyButton } from '../../../components/ui/copy-button.tsx';
import { INPUT, LINK } from '../../../components/ui/styles.ts';

/** Read-only: the server only accepts the External ID it issued (docs/design.md#security-rules). */
export interface ExternalIdBoxProps {
  externalId: string;
  product: string;
  /** The Prowler App integration is on: the External ID is the Prowler tenant ID. */
  prowler?: boolean;
  /** The server refused the External ID the page sent (a stale page after a re-configuration). */
  error?: string | undefined;
}

export function ExternalIdBox({ externalId, product, prowler = false, error }: ExternalIdBoxProps) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-semibold">
        External ID
      </label>
      <p id={`${id}-why`} className="mt-0.5 text-sm text-slate-700 dark:text-slate-300">
        {prowler
          ? 'This is your Prowler tenant ID: Prowler App assumes the role with it, so the role you deploy is the one Prowler will use. '
          : 'Issued by this installation and fixed. '}
        It stops anyone else who uses {product} from pointing it at your role: the{' '}
        <a
          className={LINK}
          href="https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html"
          target="_blank"
          rel="noreferrer noopener"
        >
          confused-deputy problem<span className="sr-only"> (AWS documentation, opens in a new tab)</span>
        </a>
        .
      </p>
      <div className="mt-1 flex flex-wrap items-center gap-2">
        <input
          id={id}
          readOnly
          // The server's own External ID: the copy of the screen shows it (src/domain/drawn-step.ts).
          data-kept
          value={externalId}
          aria-describedby={`${id}-why ${id}-error`}
          aria-invalid={Boolean(error)}
          // On its own line on a phone, so the whole ID shows (32 characters fit at 320 px).
          className={`${INPUT} flex-1 basis-full max-sm:tracking-tight sm:basis-64`}
        />
        <CopyButton value={externalId} label="External ID" />
      </div>
      <p id={`${id}-error`} className="min-h-5 pt-1 text-sm text-red-700 dark:text-red-300">
        {error ?? ''}
      </p>
    </div>
  );
}
