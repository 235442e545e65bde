import { aliasSchema } from '../../domain/connection-inputs.ts';
import type { VerifyReport } from '../../domain/diagnosis-contract.ts';
import type { PlannedAccount } from '../../domain/org-contract.ts';
import { type ConnectionService, saveVerified, type VerifiedElsewhere } from '../connections/service.ts';

// Where bulk verification puts each account's result (issue 14: "results are saved as
// connections"): the saved connection of that owner and role ARN, created or updated through the
// connections service, so an organization run and the wizard's "Save connection" leave the same
// row, history and alerts (docs/decisions/044-organization-results-are-connections.md).

export interface AccountResult {
  account: PlannedAccount;
  /** The verify request of this account, without its keys (access keys are never kept). */
  request: VerifiedElsewhere['request'];
  report: VerifyReport;
  durationMs: number;
  /** Hosted flavour: the browser session that started the run; self-hosted null. */
  owner: string | null;
}

export interface ResultStore {
  /** Keeps this account's verification; resolves with the id of the connection that holds it. */
  saveResult(result: AccountResult): Promise<{ connectionId: string }>;
}

/** Discovery names and CSV aliases are free text; a connection's alias is stricter (aliasSchema). */
function aliasOf(account: PlannedAccount): string | null {
  const parsed = account.alias === undefined ? null : aliasSchema.safeParse(account.alias);
  return parsed?.success ? parsed.data : null;
}

export interface ConnectionResultStore extends ResultStore {
  /** Resolves when every alert sent for a status change so far has been delivered or given up. */
  drain(): Promise<void>;
}

export function connectionResultStore(svc: ConnectionService): ConnectionResultStore {
  const alerts = new Set<Promise<void>>();
  return {
    async saveResult({ account, request, report, durationMs, owner }) {
      const { row, alert } = await saveVerified(
        svc,
        { request, alias: aliasOf(account), report, durationMs },
        owner,
      );
      if (alert) {
        // The notifier records each attempt itself; a failure here is already in the delivery log.
        const settled = alert.catch(() => undefined).finally(() => alerts.delete(settled));
        alerts.add(settled);
      }
      return { connectionId: row.id };
    },
    async drain() {
      while (alerts.size > 0) await Promise.all([...alerts]);
    },
  };
}
