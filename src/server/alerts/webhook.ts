import { connectionPath } from '../../domain/connection-contract.ts';
import { severityOf } from '../../domain/diagnosis/catalogue.ts';
import {
  WEBHOOK_DELIVERY_HEADER,
  WEBHOOK_EVENT_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  type WebhookEvent,
} from '../../domain/webhook.ts';
import type { TransitionEvent } from '../connections/service.ts';
import { recordDelivery } from '../store/connections.ts';
import type { Store } from '../store/database.ts';
import { signatureHeader } from './signature.ts';

// The alert on each status change (issue 13): POSTed to AWS_CONNECT_WEBHOOK_URL, signed, retried
// with exponential backoff on network errors, timeouts, 429 and 5xx; every attempt recorded
// (status code or error) and shown with the connection. Each attempt is signed afresh, so its
// timestamp stays inside the receiver's replay window.

export interface WebhookOptions {
  url: string;
  secret: string;
  store: Store;
  /** Attempts in all (default 4: the first and three retries). */
  attempts?: number;
  /** Wait before the first retry; each next one waits four times longer (1 s, 4 s, 16 s). */
  baseDelayMs?: number;
  timeoutMs?: number;
  log: { warn(obj: object, msg: string): void };
}

/** Scheme and host only: the path of a hook URL is often its secret (e.g. chat webhooks). */
export function displayedUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname !== '/' || u.search ? '/…' : '/'}`;
}

export function eventOf(e: TransitionEvent): WebhookEvent {
  const code = e.report.diagnosis.code;
  return {
    type: 'connection.status_changed',
    id: e.transition.id,
    occurredAt: new Date(e.transition.at).toISOString(),
    connection: {
      id: e.connection.id,
      alias: e.connection.alias,
      accountId: e.connection.account_id,
      roleArn: e.connection.role_arn,
      path: connectionPath(e.connection.id),
    },
    status: { from: e.transition.from_status, to: e.transition.to_status },
    diagnosis: {
      code,
      severity: e.report.diagnosis.severity ?? severityOf(code as never),
      confidence: e.connection.last_confidence,
    },
    drift: e.drift ? { findings: e.drift.findings.length, kinds: e.drift.findings.map((f) => f.kind) } : null,
  };
}

const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

export function webhookNotifier(opts: WebhookOptions) {
  const attempts = opts.attempts ?? 4;
  const base = opts.baseDelayMs ?? 1000;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const shown = displayedUrl(opts.url);
  return async (e: TransitionEvent): Promise<void> => {
    const body = JSON.stringify(eventOf(e));
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let statusCode: number | null = null;
      let error: string | null = null;
      try {
        const res = await fetch(opts.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'aws-connect-webhook',
            [WEBHOOK_SIGNATURE_HEADER]: signatureHeader(opts.secret, body),
            [WEBHOOK_EVENT_HEADER]: 'connection.status_changed',
            [WEBHOOK_DELIVERY_HEADER]: e.transition.id,
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
        statusCode = res.status;
        // The body is not read into the record: it is the receiver's, and may say anything.
        await res.body?.cancel();
        if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
      } catch (err) {
        const e2 = err as Error & { cause?: { code?: string } };
        error = e2.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e2.cause?.code ?? e2.name);
      }
      const delivered = error === null;
      await recordDelivery(opts.store.db, {
        connection_id: e.connection.id,
        transition_id: e.transition.id,
        at: Date.now(),
        url: shown,
        attempt,
        status_code: statusCode,
        error,
        delivered: delivered ? 1 : 0,
      });
      if (delivered) return;
      const again = attempt < attempts && (statusCode === null || retryable(statusCode));
      opts.log.warn(
        { connection: e.connection.id, attempt, statusCode, error, retry: again },
        'webhook not delivered',
      );
      if (!again) return;
      await new Promise((r) => setTimeout(r, base * 4 ** (attempt - 1)));
    }
  };
}
