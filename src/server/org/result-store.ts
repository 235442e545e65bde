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

export function connectionResultStore(svc: ConnectionService): ResultStore {
  return {
    async saveResult({ account, request, report, durationMs, owner }) {
      const { row } = await saveVerified(
        svc,
        { request, alias: aliasOf(account), report, durationMs },
        owner,
      );
      return { connectionId: row.id };
    },
  };
}
