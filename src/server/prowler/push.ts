import { setTimeout as delay } from 'node:timers/promises';
import { parseRoleArn } from '../../domain/arn.ts';
import type { PushResult, PushStep } from '../../domain/prowler-api.ts';
import type { ProwlerPushInput } from '../../domain/prowler-push-request.ts';
import { readProwlerResult } from '../../domain/prowler-verdict.ts';
import type { ProwlerAnswer, ProwlerClient } from './client.ts';
import { contractFailure, failureOf, PushFailed, prowlerErrors } from './failure.ts';
import {
  providerDocumentSchema,
  providerListSchema,
  secretDocumentSchema,
  secretRelationshipSchema,
  taskDocumentSchema,
  taskResultSchema,
} from './resources.ts';

// Push one verified role into Prowler App (issue 16): provider, role secret, then Prowler's own
// connection test followed to its end. Every step is safe to repeat, so a push that failed half-way
// is retried by pushing again: an existing provider (409) is found by uid, an existing secret
// (400 "unique") is changed with PATCH (docs/prowler-api.md).

export interface PushOptions {
  client: ProwlerClient;
  /** Polls of the connection task before giving up (30), and the first wait in ms (500, x1.5, at most 3 s). */
  poll?: { maxAttempts?: number; baseDelayMs?: number };
}

type Answered = Extract<ProwlerAnswer, { answered: true }>;

function roleSecret(input: ProwlerPushInput) {
  return {
    role_arn: input.roleArn,
    external_id: input.externalId,
    ...(input.sessionName ? { role_session_name: input.sessionName } : {}),
    ...(input.durationSeconds ? { session_duration: input.durationSeconds } : {}),
  };
}

function secretName(roleArn: string): string {
  return `aws-connect ${parseRoleArn(roleArn)?.name ?? 'role'}`.slice(0, 100);
}

class Push {
  readonly steps: PushStep[] = [];
  constructor(
    readonly client: ProwlerClient,
    readonly input: ProwlerPushInput,
    readonly uid: string,
  ) {}

  step(stage: PushStep['stage'], outcome: string, detail: string, attempts: number): void {
    this.steps.push({ stage, outcome, detail, attempts });
  }

  async call(stage: PushStep['stage'], request: Parameters<ProwlerClient['send']>[0]): Promise<Answered> {
    const answer = await this.client.send(request);
    if (!answer.answered) throw new PushFailed(failureOf(this.client, stage, answer));
    return answer;
  }

  refuse(stage: PushStep['stage'], answer: Answered): never {
    throw new PushFailed(failureOf(this.client, stage, answer));
  }

  unexpected(stage: PushStep['stage'], answer: Answered, what: string): never {
    throw new PushFailed(contractFailure(this.client, stage, answer, what));
  }

  async findProvider(created: Answered | null): Promise<{ id: string }> {
    const found = await this.call('provider', {
      method: 'GET',
      path: '/providers',
      query: { 'filter[uid]': this.uid },
    });
    if (found.status !== 200) this.refuse('provider', found);
    const list = providerListSchema.safeParse(found.body);
    if (!list.success) this.unexpected('provider', found, 'the provider list is not a JSON:API list');
    const match = list.data.data.find(
      (p) => p.id && p.attributes?.uid === this.uid && (p.attributes?.provider ?? 'aws') === 'aws',
    );
    if (!match?.id) {
      this.unexpected(
        'provider',
        found,
        created
          ? `it created the provider without an id, and no AWS provider with uid ${this.uid} is listed`
          : `it says an AWS provider with uid ${this.uid} exists (409), but none is listed`,
      );
    }
    return { id: match.id };
  }

  async provider(): Promise<string> {
    const answer = await this.call('provider', {
      method: 'POST',
      path: '/providers',
      body: {
        data: {
          type: 'providers',
          attributes: {
            provider: 'aws',
            uid: this.uid,
            ...(this.input.alias ? { alias: this.input.alias } : {}),
          },
        },
      },
    });
    if (answer.status === 201) {
      const doc = providerDocumentSchema.safeParse(answer.body);
      // The document's ProviderCreate has no id; the service sends one. Without it, look it up.
      const id = doc.success ? doc.data.data.id : undefined;
      const provider = id ? { id } : await this.findProvider(answer);
      this.step('provider', 'created', `AWS provider ${this.uid} created (${provider.id})`, answer.attempts);
      return provider.id;
    }
    if (answer.status === 409) {
      const { id } = await this.findProvider(null);
      this.step(
        'provider',
        'found',
        `AWS provider ${this.uid} already existed (409): found by uid (${id})`,
        answer.attempts,
      );
      return id;
    }
    return this.refuse('provider', answer);
  }

  async secret(providerId: string): Promise<string | null> {
    const attributes = {
      secret_type: 'role',
      name: secretName(this.input.roleArn),
      secret: roleSecret(this.input),
    };
    const created = await this.call('secret', {
      method: 'POST',
      path: '/providers/secrets',
      body: {
        data: {
          type: 'provider-secrets',
          attributes,
          relationships: { provider: { data: { type: 'providers', id: providerId } } },
        },
      },
    });
    if (created.status === 201) {
      const id = secretDocumentSchema.safeParse(created.body).data?.data.id ?? null;
      this.step('secret', 'created', `role secret written${id ? ` (${id})` : ''}`, created.attempts);
      return id;
    }
    if (created.status !== 400 || !prowlerErrors(created.body).some((e) => e.code === 'unique')) {
      return this.refuse('secret', created);
    }
    // One secret per provider: find it and change it.
    const provider = await this.call('secret', { method: 'GET', path: `/providers/${providerId}` });
    if (provider.status !== 200) this.refuse('secret', provider);
    const relation = secretRelationshipSchema.safeParse(
      providerDocumentSchema.safeParse(provider.body).data?.data.relationships?.secret,
    );
    const secretId = relation.success ? relation.data.data?.id : undefined;
    if (!secretId) {
      this.unexpected('secret', provider, 'it refused a second secret, but the provider shows none');
    }
    const patched = await this.call('secret', {
      method: 'PATCH',
      path: `/providers/secrets/${secretId}`,
      body: {
        data: {
          type: 'provider-secrets',
          id: secretId,
          attributes: { name: attributes.name, secret: attributes.secret },
        },
      },
    });
    if (patched.status !== 200) this.refuse('secret', patched);
    this.step(
      'secret',
      'updated',
      `the provider already had a secret (400 unique): changed it with PATCH (${secretId})`,
      created.attempts + provider.attempts + patched.attempts,
    );
    return secretId;
  }

  async connection(providerId: string, poll: Required<NonNullable<PushOptions['poll']>>) {
    const started = await this.call('connection', {
      method: 'POST',
      path: `/providers/${providerId}/connection`,
    });
    if (started.status !== 202) this.refuse('connection', started);
    let task = taskDocumentSchema.safeParse(started.body).data?.data;
    const taskId = task?.id ?? /\/tasks\/([^/?#]+)/.exec(started.contentLocation ?? '')?.[1];
    if (!taskId) this.unexpected('connection', started, 'the 202 answer names no task');
    this.step('connection', 'queued', `connection test started (task ${taskId})`, started.attempts);
    let polls = 0;
    let pollAttempts = 0;
    while (task?.attributes?.state !== 'completed') {
      const state = task?.attributes?.state;
      if (state === 'failed' || state === 'cancelled') {
        throw new PushFailed({
          stage: 'task',
          kind: 'task-failed',
          message: `Prowler's connection test (task ${taskId}) ended ${state} instead of completing${this.resultText(task?.attributes?.result)}. Push again; if it fails the same way, look at Prowler's worker log.`,
          status: null,
          code: null,
          pointer: null,
          attempts: pollAttempts,
          retryable: true,
        });
      }
      if (polls >= poll.maxAttempts) {
        throw new PushFailed({
          stage: 'task',
          kind: 'task-unfinished',
          message: `Prowler's connection test (task ${taskId}) was still ${state ?? 'not finished'} after ${polls} looks: is its worker running? Push again later.`,
          status: null,
          code: null,
          pointer: null,
          attempts: pollAttempts,
          retryable: true,
        });
      }
      await delay(Math.min(3_000, poll.baseDelayMs * 1.5 ** polls));
      polls++;
      const answer = await this.call('task', { method: 'GET', path: `/tasks/${taskId}` });
      pollAttempts += answer.attempts;
      if (answer.status !== 200) this.refuse('task', answer);
      const doc = taskDocumentSchema.safeParse(answer.body);
      if (!doc.success) this.unexpected('task', answer, 'the task is not a JSON:API resource');
      task = doc.data.data;
    }
    const result = taskResultSchema.safeParse(task.attributes?.result);
    if (!result.success || result.data.connected === null) {
      throw new PushFailed(
        contractFailure(
          this.client,
          'task',
          { answered: true, status: 200, body: null, contentLocation: null, attempts: pollAttempts || 1 },
          'the completed task has no result.connected',
        ),
      );
    }
    this.step(
      'task',
      'completed',
      `connection test completed after ${polls} look${polls === 1 ? '' : 's'}`,
      pollAttempts,
    );
    return { taskId, result: { connected: result.data.connected, error: result.data.error ?? null } };
  }

  resultText(result: unknown): string {
    if (result === undefined || result === null) return '';
    const text = typeof result === 'string' ? result : JSON.stringify(result);
    return `: ${this.client.redact(text).slice(0, 300)}`;
  }
}

/** The one seam a saved connection plugs into: its role, pushed and tested by Prowler. */
export async function pushToProwler(input: ProwlerPushInput, options: PushOptions): Promise<PushResult> {
  const uid = input.accountId ?? parseRoleArn(input.roleArn)?.accountId;
  if (!uid) throw new Error('pushToProwler: the role ARN was not validated');
  const push = new Push(options.client, input, uid);
  const poll = { maxAttempts: 30, baseDelayMs: 500, ...options.poll };
  try {
    const providerId = await push.provider();
    const secretId = await push.secret(providerId);
    const { taskId, result } = await push.connection(providerId, poll);
    const verdict = readProwlerResult(result);
    return {
      pushed: true,
      providerId,
      providerUid: uid,
      secretId,
      taskId,
      steps: push.steps,
      prowler: { ...verdict, error: verdict.error === null ? null : options.client.redact(verdict.error) },
    };
  } catch (err) {
    if (err instanceof PushFailed) return { pushed: false, steps: push.steps, failure: err.failure };
    throw err;
  }
}
