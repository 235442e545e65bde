import type { DiagnoseInput } from '../../domain/diagnosis/diagnose.ts';
import { CHECK_IDS, type Check, type VerifyReport } from '../../domain/diagnosis-contract.ts';
import type { VerifyEvent } from '../../domain/verify-stream.ts';
import type { AuditResult } from './audit.ts';
import { buildChecks } from './checks.ts';
import { scrubSecrets } from './scrub.ts';

// The streamed verification's events (issue 15), made from the same builders as the report: a
// check is sent once its evidence is final, and whatever was not sent by the end is taken from the
// report itself, so every check goes out exactly once and equals the report's entry. Each event is
// scrubbed with every secret known when it is sent (a later secret cannot be in an earlier answer).

export type VerifyEmit = (event: VerifyEvent) => void;

export class VerifyProgress {
  private readonly sent = new Set<Check['id']>();
  private verdictSent = false;

  constructor(
    private readonly emit: VerifyEmit | undefined,
    private readonly evidence: DiagnoseInput,
    private readonly secrets: readonly string[],
    private readonly state: () => { assumed: VerifyReport['assumed']; audit: AuditResult | null },
  ) {}

  private send(event: VerifyEvent): void {
    this.emit?.(scrubSecrets(event, this.secrets));
  }

  /** The check's evidence is final (the assume-role check only once AssumeRole answered). */
  check(id: Check['id']): void {
    if (!this.emit || this.sent.has(id)) return;
    const { assumed, audit } = this.state();
    const check = buildChecks(this.evidence, null, assumed, audit).find((c) => c.id === id);
    if (!check) return;
    this.sent.add(id);
    this.send({ type: 'check', check });
  }

  /** AWS answered GetCallerIdentity and assumed the role: the probe and the audit may still change the diagnosis. */
  connected(): void {
    if (!this.emit) return;
    this.verdictSent = true;
    this.send({
      type: 'verdict',
      connected: true,
      assumed: this.state().assumed,
      diagnosis: null,
      pending: CHECK_IDS.filter((id) => !this.sent.has(id)),
    });
  }

  /** The report (already scrubbed): the checks not sent yet, the verdict if still due, the report. */
  finish(report: VerifyReport): void {
    if (!this.emit) return;
    for (const check of report.checks) {
      if (this.sent.has(check.id)) continue;
      this.sent.add(check.id);
      this.emit({ type: 'check', check });
    }
    if (!this.verdictSent) {
      // Nothing followed the first round (the role was not assumed): the diagnosis is final.
      this.emit({
        type: 'verdict',
        connected: report.connected,
        assumed: report.assumed,
        diagnosis: report.diagnosis,
        pending: [],
      });
    }
    this.emit({ type: 'report', report });
  }
}
