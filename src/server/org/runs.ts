import type { DiagnosisCode } from '../../domain/diagnosis/codes.ts';
import type { CredentialSourceKind, Partition } from '../../domain/inputs.ts';
import type { AccountEvent, PlannedAccount } from '../../domain/org-contract.ts';

// Recent bulk runs, so "retry the failed only" (retryOf) can name a run instead of resending its
// accounts. Kept in memory, without secrets (access keys are never kept: a retry of an access-key
// run must send them again), a bounded number, for a day. The run ID is a random UUID: knowing it
// is what lets a client retry that run.

export interface RunSettings {
  sourceKind: CredentialSourceKind;
  /** The access key ID the run used (an identifier, not a secret): its token bucket. */
  accessKeyId?: string;
  externalId: string;
  roleName: string;
  partition: Partition;
  trustedAccountId?: string;
  iamPrincipal?: string;
}

export interface RunRecord {
  runId: string;
  /** The hosted session that started it (only it may retry it); null self-hosted. */
  owner: string | null;
  createdAt: number;
  settings: RunSettings;
  accounts: PlannedAccount[];
  /** Accounts that verified OK; the others (failed, timed out, never reached) are what a retry takes. */
  ok: Set<string>;
  /** Accounts that connected (OK or with a warning), with what their verification found: what a Prowler push takes. */
  connected: Map<string, ConnectedAccount>;
}

export interface ConnectedAccount {
  code: DiagnosisCode;
  /** Who assumed the role (GetCallerIdentity), when the report says. */
  callerArn?: string;
  finishedAt?: string;
}

const MAX_RUNS = 50;
const MAX_AGE_MS = 24 * 60 * 60 * 1000;

export class RunRegistry {
  private readonly runs = new Map<string, RunRecord>();

  constructor(private readonly now: () => number = Date.now) {}

  add(record: Omit<RunRecord, 'createdAt' | 'ok' | 'connected'>): RunRecord {
    const run: RunRecord = { ...record, createdAt: this.now(), ok: new Set(), connected: new Map() };
    this.runs.set(run.runId, run);
    for (const [id, r] of this.runs) {
      if (this.runs.size <= MAX_RUNS && this.now() - r.createdAt < MAX_AGE_MS) break;
      this.runs.delete(id);
    }
    return run;
  }

  get(runId: string): RunRecord | undefined {
    const run = this.runs.get(runId);
    if (run && this.now() - run.createdAt >= MAX_AGE_MS) {
      this.runs.delete(runId);
      return undefined;
    }
    return run;
  }

  /** Notes an account's result in its run (the stream's account events, as they go out). */
  note(event: AccountEvent): void {
    const run = this.runs.get(event.runId);
    if (!run || !event.connected) return;
    run.connected.set(event.accountId, {
      code: event.code,
      ...(event.report?.caller ? { callerArn: event.report.caller.arn } : {}),
      ...(event.report ? { finishedAt: event.report.finishedAt } : {}),
    });
  }

  /** The accounts of a run that did not verify OK, in the run's order. */
  notOk(run: RunRecord): PlannedAccount[] {
    return run.accounts.filter((a) => !run.ok.has(a.accountId));
  }
}
