import type { VerifyReport } from '../../domain/diagnosis-contract.ts';

// Where bulk verification puts each account's result (issue 14: "results are saved as
// connections"). One function behind a small interface, so the connections store can take it over;
// until then, the latest report per account in memory, bounded.

export interface ResultStore {
  /** Keeps this account's latest verification; called once per verified account of a run. */
  saveResult(accountId: string, report: VerifyReport): Promise<void>;
}

export interface SavedResult {
  report: VerifyReport;
  savedAt: string;
}

export class InMemoryResultStore implements ResultStore {
  private readonly results = new Map<string, SavedResult>();

  /** 10,000 accounts: the most one run verifies. */
  constructor(readonly capacity = 10_000) {}

  async saveResult(accountId: string, report: VerifyReport): Promise<void> {
    this.results.delete(accountId);
    this.results.set(accountId, { report, savedAt: new Date().toISOString() });
    // Oldest first: drop what was saved longest ago.
    for (const key of this.results.keys()) {
      if (this.results.size <= this.capacity) break;
      this.results.delete(key);
    }
  }

  latest(accountId: string): SavedResult | undefined {
    return this.results.get(accountId);
  }

  get size(): number {
    return this.results.size;
  }
}
