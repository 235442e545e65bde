import { useEffect, useRef } from 'react';
import type { Discovery } from '../../../domain/org-contract.ts';
import { organizationTree, type UnitNode } from '../../../domain/org-tree.ts';

// The discovered organization with a checkbox per OU (its whole subtree) and per account. The
// selection is a set of account IDs; an OU's box is checked when all of its accounts are, mixed
// when some are.

function accountsUnder(node: UnitNode): string[] {
  return [...node.accounts.map((a) => a.accountId), ...node.children.flatMap(accountsUnder)];
}

function UnitCheckbox({
  node,
  selected,
  onChange,
}: {
  node: UnitNode;
  selected: ReadonlySet<string>;
  onChange: (ids: string[], on: boolean) => void;
}) {
  const ids = accountsUnder(node);
  const count = ids.filter((id) => selected.has(id)).length;
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = count > 0 && count < ids.length;
  }, [count, ids.length]);
  return (
    <label className="inline-flex items-center gap-2 font-semibold">
      <input
        ref={ref}
        type="checkbox"
        className="size-4"
        checked={ids.length > 0 && count === ids.length}
        disabled={ids.length === 0}
        onChange={(e) => onChange(ids, e.currentTarget.checked)}
      />
      <span>
        {node.unit.name} <span className="font-mono font-normal">{node.unit.id}</span>
        <span className="font-normal">
          {' '}
          ({count} of {ids.length} selected)
        </span>
      </span>
    </label>
  );
}

function Unit({
  node,
  selected,
  onChange,
}: {
  node: UnitNode;
  selected: ReadonlySet<string>;
  onChange: (ids: string[], on: boolean) => void;
}) {
  return (
    <li className="space-y-1">
      <UnitCheckbox node={node} selected={selected} onChange={onChange} />
      <ul className="ml-6 space-y-1 border-l border-slate-300 pl-3 dark:border-slate-700">
        {node.accounts.map((a) => (
          <li key={a.accountId}>
            <label className="inline-flex items-center gap-2">
              <input
                type="checkbox"
                className="size-4"
                checked={selected.has(a.accountId)}
                onChange={(e) => onChange([a.accountId], e.currentTarget.checked)}
              />
              <span className="font-mono">{a.accountId}</span> <span>{a.name}</span>
            </label>
          </li>
        ))}
        {node.children.map((child) => (
          <Unit key={child.unit.id} node={child} selected={selected} onChange={onChange} />
        ))}
      </ul>
    </li>
  );
}

export function DiscoveryTree({
  discovery,
  selected,
  onChange,
}: {
  discovery: Discovery;
  selected: ReadonlySet<string>;
  onChange: (ids: string[], on: boolean) => void;
}) {
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-semibold">Accounts to verify</legend>
      <ul className="max-h-96 space-y-1 overflow-auto text-sm">
        {organizationTree(discovery).map((root) => (
          <Unit key={root.unit.id} node={root} selected={selected} onChange={onChange} />
        ))}
      </ul>
      {discovery.inactiveAccounts.length > 0 ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Not ACTIVE, so not listed (a role there cannot be assumed):{' '}
          {discovery.inactiveAccounts.map((a) => `${a.accountId} (${a.state})`).join(', ')}.
        </p>
      ) : null}
    </fieldset>
  );
}
