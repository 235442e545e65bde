// Counts and the last requests the sandbox answered, for tests ("the SDK retried three times") and
// benchmarks. Access key IDs are identifiers, not secrets; nothing else about the caller is kept.

export interface LoggedRequest {
  at: string;
  service: string;
  action: string;
  status: number;
  /** The AWS error code, or a fault name ("reset", "hang", "malformed"); absent on success. */
  code?: string;
  accessKeyId?: string;
  /**
   * Positions on one counter shared by arrivals and answers, so a test can tell whether a request
   * arrived before another was answered (the verification's rounds) without reading clocks.
   */
  arrived?: number;
  answered?: number;
}

const KEEP = 100;

export class RequestLog {
  total = 0;
  byAction: Record<string, number> = {};
  byCode: Record<string, number> = {};
  private recent: LoggedRequest[] = [];
  private tick = 0;

  /** Called when a request arrives: its position, for record(). */
  arrive(): number {
    return ++this.tick;
  }

  record(entry: LoggedRequest): void {
    this.total++;
    entry.answered = ++this.tick;
    const action = `${entry.service}:${entry.action}`;
    this.byAction[action] = (this.byAction[action] ?? 0) + 1;
    const code = entry.code ?? 'OK';
    this.byCode[code] = (this.byCode[code] ?? 0) + 1;
    this.recent.push(entry);
    if (this.recent.length > KEEP) this.recent.shift();
  }

  clear(): void {
    this.total = 0;
    this.byAction = {};
    this.byCode = {};
    this.recent = [];
  }

  snapshot() {
    return {
      total: this.total,
      byAction: { ...this.byAction },
      byCode: { ...this.byCode },
      recent: [...this.recent],
    };
  }
}
