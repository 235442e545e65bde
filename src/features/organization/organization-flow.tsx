import { type ReactNode, useMemo, useState } from 'react';
import { Card } from '../../components/ui/card.tsx';
import { Field } from '../../components/ui/field.tsx';
import { INPUT } from '../../components/ui/styles.ts';
import type { ConfigResponse } from '../../domain/api-contract.ts';
import { accountIdSchema, iamPrincipalSchema } from '../../domain/inputs.ts';
import type {
  AccountEvent,
  Discovery,
  DiscoveryFailure,
  OrgVerifyRequestInput,
} from '../../domain/org-contract.ts';
import { type AccountTarget, roleNameSchema } from '../../domain/org-inputs.ts';
import { DEFAULT_ROLE_NAME } from '../../domain/template/role-template.ts';
import { CsvSection } from './discover/csv-section.tsx';
import { DiscoverSection } from './discover/discover-section.tsx';
import { RunSection } from './run/run-section.tsx';
import { OrgTemplateSection } from './template/org-template-section.tsx';

// A whole organization (issue 14): deploy the organization template, choose the accounts (from
// Organizations, or a CSV), verify them all. Uses this server's own identity (AWS SDK Default) and
// its External ID; the guidance panel of an account comes from the caller (renderDetails).

export interface OrganizationFlowProps {
  config: ConfigResponse;
  renderDetails: (event: AccountEvent) => ReactNode;
  renderFailure: (failure: DiscoveryFailure) => ReactNode;
}

const errorOf = (
  schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } },
  v: string,
) => (v.trim() === '' ? undefined : schema.safeParse(v).error?.issues[0]?.message);

export function OrganizationFlow({ config, renderDetails, renderFailure }: OrganizationFlowProps) {
  const [trustedAccountId, setTrustedAccountId] = useState('');
  const [iamPrincipal, setIamPrincipal] = useState('');
  const [roleName, setRoleName] = useState(DEFAULT_ROLE_NAME);
  const [source, setSource] = useState<'organization' | 'csv'>('organization');
  const [discovery, setDiscovery] = useState<Discovery | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [csvAccounts, setCsvAccounts] = useState<AccountTarget[] | null>(null);
  const errors = {
    trustedAccountId: errorOf(accountIdSchema, trustedAccountId),
    iamPrincipal: errorOf(iamPrincipalSchema, iamPrincipal),
    roleName:
      roleName.trim() === '' ? 'Enter the role name, like ProwlerScan.' : errorOf(roleNameSchema, roleName),
  };
  const valid = !errors.trustedAccountId && !errors.iamPrincipal && !errors.roleName;
  const trust = {
    ...(trustedAccountId.trim() && !errors.trustedAccountId
      ? { trustedAccountId: trustedAccountId.trim() }
      : {}),
    ...(iamPrincipal.trim() && !errors.iamPrincipal ? { iamPrincipal: iamPrincipal.trim() } : {}),
  };

  const accounts: AccountTarget[] | null = useMemo(() => {
    if (source === 'csv') return csvAccounts;
    if (!discovery) return null;
    return discovery.accounts
      .filter((a) => selected.has(a.accountId))
      .map((a) => ({ accountId: a.accountId, ...(a.name ? { alias: a.name } : {}) }));
  }, [source, csvAccounts, discovery, selected]);
  const request: OrgVerifyRequestInput | null =
    valid && accounts && accounts.length > 0
      ? {
          targets: { kind: 'accounts', accounts, partition: config.partition },
          externalId: config.externalId,
          roleName: roleName.trim(),
          ...trust,
        }
      : null;

  const toggle = (ids: string[], on: boolean) =>
    setSelected((previous) => {
      const next = new Set(previous);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  return (
    <div className="space-y-6">
      <h2 className="text-xl font-semibold">Connect every account of an AWS Organization</h2>
      <Card className="space-y-2">
        <h3 className="text-lg font-semibold">1. Who may assume the role</h3>
        <p className="text-sm">
          External ID, issued by this installation:{' '}
          <span className="font-mono wrap-anywhere">{config.externalId}</span>
        </p>
        <div className="grid gap-4 sm:grid-cols-3">
          <Field
            label="Trusted account ID"
            hint="Where the scanner identity lives (the stacks' AccountId)."
            error={errors.trustedAccountId}
          >
            {(c) => (
              <input
                {...c}
                className={INPUT}
                value={trustedAccountId}
                onChange={(e) => setTrustedAccountId(e.currentTarget.value)}
                inputMode="numeric"
              />
            )}
          </Field>
          <Field
            label="Trusted IAM principal"
            hint="e.g. role/prowler* or user/prowler-app (IAMPrincipal)."
            error={errors.iamPrincipal}
          >
            {(c) => (
              <input
                {...c}
                className={INPUT}
                value={iamPrincipal}
                onChange={(e) => setIamPrincipal(e.currentTarget.value)}
                spellCheck={false}
              />
            )}
          </Field>
          <Field label="Role name" hint="The same in every account." error={errors.roleName}>
            {(c) => (
              <input
                {...c}
                className={INPUT}
                value={roleName}
                onChange={(e) => setRoleName(e.currentTarget.value)}
                spellCheck={false}
              />
            )}
          </Field>
        </div>
      </Card>
      <Card className="space-y-3">
        <h3 className="text-lg font-semibold">2. The organization template</h3>
        <OrgTemplateSection
          config={config}
          trust={trust}
          roleName={errors.roleName ? DEFAULT_ROLE_NAME : roleName.trim()}
        />
      </Card>
      <Card className="space-y-3">
        <h3 className="text-lg font-semibold">3. The accounts</h3>
        <fieldset className="flex flex-wrap gap-4 text-sm">
          <legend className="sr-only">Where the accounts come from</legend>
          {(
            [
              ['organization', 'From AWS Organizations'],
              ['csv', 'From a CSV file'],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="inline-flex items-center gap-2">
              <input
                type="radio"
                name="accounts-from"
                className="size-4"
                checked={source === value}
                onChange={() => setSource(value)}
              />
              {label}
            </label>
          ))}
        </fieldset>
        {source === 'organization' ? (
          <DiscoverSection
            externalId={config.externalId}
            trust={trust}
            selected={selected}
            onDiscovered={(d) => {
              setDiscovery(d);
              setSelected(new Set(d.accounts.map((a) => a.accountId)));
            }}
            onSelect={toggle}
            renderFailure={renderFailure}
          />
        ) : (
          <CsvSection onAccounts={setCsvAccounts} />
        )}
      </Card>
      <Card className="space-y-3">
        <h3 className="text-lg font-semibold">4. Verify</h3>
        <RunSection
          request={request}
          renderDetails={renderDetails}
          renderFailure={renderFailure}
          prowler={config.prowler}
        />
      </Card>
    </div>
  );
}
