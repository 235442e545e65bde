import { Breakable } from '../../../components/ui/breakable.tsx';
import { Notice } from '../../../components/ui/notice.tsx';
import type { CallerIdentity } from '../../../domain/api-contract.ts';

export interface IdentitySummaryProps {
  /** Who is speaking, e.g. "The server" or "These keys". */
  subject: string;
  identity: CallerIdentity;
}

export function IdentitySummary({ subject, identity }: IdentitySummaryProps) {
  return (
    <Notice
      tone="success"
      title={`${subject} resolve${subject.endsWith('s') ? '' : 's'} to an AWS identity`}
      live
    >
      <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[max-content_1fr]">
        <dt className="font-medium">Caller</dt>
        <dd className="break-words font-mono" data-testid="caller-arn">
          <Breakable text={identity.arn} />
        </dd>
        <dt className="font-medium">Account</dt>
        <dd className="font-mono">{identity.account}</dd>
        <dt className="font-medium">Presents to trust policies as</dt>
        <dd className="break-words font-mono">
          <Breakable text={identity.principalArn} />
        </dd>
      </dl>
      {identity.pathUnknown ? (
        <p>
          This is a role session: AWS does not show the role's path here, so a role with a path needs that
          path in IAMPrincipal.
        </p>
      ) : null}
    </Notice>
  );
}
