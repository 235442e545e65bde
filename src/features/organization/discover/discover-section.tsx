import { type FormEvent, type ReactNode, useState } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { Notice } from '../../../components/ui/notice.tsx';
import { INPUT } from '../../../components/ui/styles.ts';
import { roleArnSchema } from '../../../domain/inputs.ts';
import type { Discovery, DiscoveryFailure } from '../../../domain/org-contract.ts';
import { useDiscover } from '../api/post-discover.ts';
import { DiscoveryTree } from './discovery-tree.tsx';

// Discovery from the management (or delegated administrator) role: the server assumes it with its
// own identity and the External ID, reads the OUs and accounts, and the user picks the accounts.

export interface DiscoverSectionProps {
  externalId: string;
  trust: { trustedAccountId?: string; iamPrincipal?: string };
  selected: ReadonlySet<string>;
  onDiscovered: (discovery: Discovery) => void;
  onSelect: (ids: string[], on: boolean) => void;
  renderFailure: (failure: DiscoveryFailure) => ReactNode;
}

export function DiscoverSection({
  externalId,
  trust,
  selected,
  onDiscovered,
  onSelect,
  renderFailure,
}: DiscoverSectionProps) {
  const [roleArn, setRoleArn] = useState('');
  const [error, setError] = useState<string | undefined>();
  const discover = useDiscover();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = roleArnSchema.safeParse(roleArn);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message);
      return;
    }
    setError(undefined);
    discover.mutate(
      { roleArn: parsed.data, externalId, ...trust },
      { onSuccess: (answer) => (answer.ok ? onDiscovered(answer.discovery) : undefined) },
    );
  };
  const answer = discover.data;
  return (
    <div className="space-y-4">
      <form onSubmit={submit} noValidate className="space-y-2">
        <Field
          label="Management account role ARN"
          hint="The scan role the organization template created in the management account (or a delegated administrator's): it needs organizations:List*, which SecurityAudit grants."
          error={error ?? discover.error?.message}
        >
          {(control) => (
            <input
              {...control}
              className={INPUT}
              value={roleArn}
              onChange={(e) => setRoleArn(e.currentTarget.value)}
              placeholder="arn:aws:iam::123456789012:role/ProwlerScan"
              autoComplete="off"
              spellCheck={false}
            />
          )}
        </Field>
        <Button type="submit" busy={discover.isPending}>
          Discover the organization
        </Button>
      </form>
      {answer && !answer.ok ? (
        <div role="status" className="space-y-3">
          <Notice tone="error" title={`Not read: ${answer.failure.code}`}>
            <p>{answer.failure.message}</p>
          </Notice>
          {renderFailure(answer.failure)}
        </div>
      ) : null}
      {answer?.ok ? (
        <div className="space-y-2">
          <p role="status" className="text-sm">
            Organization <span className="font-mono">{answer.discovery.organization.id}</span>:{' '}
            {answer.discovery.accounts.length} ACTIVE accounts in{' '}
            {answer.discovery.units.filter((u) => u.kind === 'ou').length} OUs, read from{' '}
            {answer.discovery.delegatedAdministrator ? 'a delegated administrator' : 'the management account'}
            .
          </p>
          <DiscoveryTree discovery={answer.discovery} selected={selected} onChange={onSelect} />
        </div>
      ) : null}
    </div>
  );
}
