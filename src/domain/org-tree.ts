import type { DiscoveredAccount, Discovery, OrganizationalUnit } from './org-contract.ts';
import type { AccountTarget, Selection } from './org-inputs.ts';

// The discovered organization as a tree, and the include/exclude rules over it (issue 14:
// "include or exclude by OU and by account"). An OU rule covers the OU's whole subtree, as a
// StackSet's OrganizationalUnitIds target does; the root ID covers every account.

export interface UnitNode {
  unit: OrganizationalUnit;
  children: UnitNode[];
  accounts: DiscoveredAccount[];
}

/** Roots with their OUs and ACTIVE accounts nested, in discovery order. */
export function organizationTree(discovery: Pick<Discovery, 'units' | 'accounts'>): UnitNode[] {
  const nodes = new Map<string, UnitNode>();
  for (const unit of discovery.units) nodes.set(unit.id, { unit, children: [], accounts: [] });
  const roots: UnitNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.unit.parentId === null ? undefined : nodes.get(node.unit.parentId);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  for (const account of discovery.accounts) nodes.get(account.parentId)?.accounts.push(account);
  return roots;
}

/** The unit itself and every unit above it. */
function ancestry(units: ReadonlyMap<string, OrganizationalUnit>, id: string): Set<string> {
  const out = new Set<string>();
  let current: string | null | undefined = id;
  while (current && !out.has(current)) {
    out.add(current);
    current = units.get(current)?.parentId;
  }
  return out;
}

/** The accounts a selection keeps, in discovery order. */
export function selectAccounts(
  discovery: Pick<Discovery, 'units' | 'accounts'>,
  selection: Selection = {},
): AccountTarget[] {
  const units = new Map(discovery.units.map((u) => [u.id, u]));
  const includeOus = new Set(selection.includeOus ?? []);
  const excludeOus = new Set(selection.excludeOus ?? []);
  const includeAccounts = selection.includeAccounts ? new Set(selection.includeAccounts) : null;
  const excludeAccounts = new Set(selection.excludeAccounts ?? []);
  const chains = new Map<string, Set<string>>();
  const chainOf = (parentId: string) => {
    let chain = chains.get(parentId);
    if (!chain) {
      chain = ancestry(units, parentId);
      chains.set(parentId, chain);
    }
    return chain;
  };
  const overlaps = (chain: Set<string>, ids: Set<string>) => [...ids].some((id) => chain.has(id));
  return discovery.accounts
    .filter((a) => {
      const chain = chainOf(a.parentId);
      if (includeOus.size > 0 && !overlaps(chain, includeOus)) return false;
      if (overlaps(chain, excludeOus)) return false;
      if (includeAccounts && !includeAccounts.has(a.accountId)) return false;
      return !excludeAccounts.has(a.accountId);
    })
    .map((a) => ({ accountId: a.accountId, ...(a.name ? { alias: a.name } : {}), parentId: a.parentId }));
}

/** IDs in the selection that the organization does not have: a typo the user should hear about. */
export function unknownSelectionIds(
  discovery: Pick<Discovery, 'units' | 'accounts' | 'inactiveAccounts'>,
  selection: Selection,
): string[] {
  const units = new Set(discovery.units.map((u) => u.id));
  const accounts = new Set([...discovery.accounts, ...discovery.inactiveAccounts].map((a) => a.accountId));
  return [
    ...[...(selection.includeOus ?? []), ...(selection.excludeOus ?? [])].filter((id) => !units.has(id)),
    ...[...(selection.includeAccounts ?? []), ...(selection.excludeAccounts ?? [])].filter(
      (id) => !accounts.has(id),
    ),
  ];
}
