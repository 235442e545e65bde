import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A stand-in for Prowler App's API, on a real HTTP port, written from docs/prowler-api.md (what the
// running service answered): JSON:API content type or 415, `Api-Key` or 401, providers unique per
// uid (409), one secret per provider (400 "unique"), the connection test as a task that is
// `executing` for a while and then `completed` with `result.connected` and `result.error`.
// Its answers are checked against the OpenAPI document by the tests (prowler-openapi.ts).

export const FAKE_TENANT_ID = '4b7c2b1e-9a39-4d0f-9a6e-3e1f2c6b8d10';

export interface FakeProvider {
  id: string;
  uid: string;
  alias: string | null;
  secretId: string | null;
  connection: { connected: boolean | null; last_checked_at: string | null };
  inserted_at: string;
}

export interface FakeSecret {
  id: string;
  providerId: string;
  name: string | null;
  secret_type: string;
  secret: Record<string, unknown>;
}

export interface LoggedExchange {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | null;
  authorization: string | null;
  /** The parsed JSON body, undefined when none was sent. */
  body: unknown;
  status: number;
  responseContentType: string | null;
  responseBody: unknown;
}

/** What the worker's connection test reports for a provider that has a secret. */
export type ConnectionResult = { connected: boolean; error: string | null };
export type ConnectionOutcome = (ctx: {
  provider: FakeProvider;
  secret: FakeSecret;
}) => ConnectionResult | Promise<ConnectionResult>;

/**
 * hang: no answer at all; late: the request is carried out, its answer never sent (a slow API
 * whose client gave up); reset: the connection is cut; a status: that answer instead; transform:
 * the real answer, rewritten.
 */
export type Fault =
  | 'hang'
  | 'late'
  | 'reset'
  | { status: number; body?: unknown }
  | { transform: (body: unknown) => unknown };

interface Task {
  id: string;
  providerId: string;
  state: 'executing' | 'completed';
  looksLeft: number;
  result: { connected: boolean; error: string | null } | null;
  inserted_at: string;
  completed_at: string | null;
}

const JSON_API = 'application/vnd.api+json';
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export interface FakeOptions {
  apiKey: string;
  tenantId?: string;
  outcome?: ConnectionOutcome;
  /** Looks at a task (GET /tasks/{id}) that still answer `executing` (1); below 0, done in the 202. */
  taskLooks?: number;
}

export class ProwlerFake {
  readonly providers = new Map<string, FakeProvider>();
  readonly secrets = new Map<string, FakeSecret>();
  readonly tasks = new Map<string, Task>();
  readonly log: LoggedExchange[] = [];
  /** Faults per operation ("POST /providers", "GET /tasks/{id}", ...), consumed one a request. */
  readonly faults = new Map<string, Fault[]>();
  outcome: ConnectionOutcome;
  taskLooks: number;
  url = '';
  readonly #server: Server;
  readonly #options: FakeOptions;

  constructor(options: FakeOptions) {
    this.#options = options;
    this.outcome = options.outcome ?? (() => ({ connected: true, error: null }));
    this.taskLooks = options.taskLooks ?? 1;
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  get tenantId(): string {
    return this.#options.tenantId ?? FAKE_TENANT_ID;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/api/v1`;
    return this;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** The next `times` requests to `operation` get `fault` instead of an answer. */
  inject(operation: string, fault: Fault, times = 1): void {
    this.faults.set(operation, [...(this.faults.get(operation) ?? []), ...Array(times).fill(fault)]);
  }

  /** Requests that reached an operation (faulted ones included). */
  count(operation: string): number {
    return this.log.filter((e) => `${e.method} ${operationOf(e.path)}` === operation).length;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    const entry: LoggedExchange = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType: req.headers['content-type'] ?? null,
      authorization: req.headers.authorization ?? null,
      body,
      status: 0,
      responseContentType: null,
      responseBody: undefined,
    };
    this.log.push(entry);
    const fault = this.faults.get(`${entry.method} ${operationOf(entry.path)}`)?.shift();
    if (fault === 'hang') return; // the socket stays open until the client gives up or close()
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault !== undefined && typeof fault === 'object' && 'status' in fault) {
      this.#send(res, entry, fault.status, fault.body ?? error(String(fault.status), 'error', 'Injected.'));
      return;
    }
    const [status, answer] = await this.#answer(entry, text);
    if (fault === 'late') return;
    const payload = fault !== undefined && typeof fault === 'object' ? fault.transform(answer) : answer;
    this.#send(res, entry, status, payload);
  }

  #send(res: ServerResponse, entry: LoggedExchange, status: number, payload: unknown): void {
    entry.status = status;
    entry.responseBody = payload;
    const headers: Record<string, string> = {};
    if (payload !== undefined) {
      headers['content-type'] = JSON_API;
      entry.responseContentType = JSON_API;
    }
    if (status === 202 && payload && typeof payload === 'object') {
      const id = (payload as { data: { id: string } }).data.id;
      headers['content-location'] = `/api/v1/tasks/${id}`;
    }
    res.writeHead(status, headers);
    res.end(payload === undefined ? undefined : JSON.stringify(payload));
  }

  async #answer(e: LoggedExchange, text: string): Promise<[number, unknown]> {
    const auth = e.authorization;
    if (!auth)
      return [
        401,
        { errors: [{ detail: 'Authentication credentials were not provided.', code: 'not_authenticated' }] },
      ];
    if (auth !== `Api-Key ${this.#options.apiKey}`) {
      return [401, { errors: [{ detail: 'Invalid API Key.', code: 'authentication_failed' }] }];
    }
    if (text !== '' && !(e.contentType ?? '').startsWith(JSON_API)) {
      return [
        415,
        error('415', 'unsupported_media_type', `Unsupported media type "${e.contentType}" in request.`),
      ];
    }
    const path = e.path.replace(/^\/api\/v1/, '');
    const route = `${e.method} ${operationOf(e.path)}`;
    switch (route) {
      case 'GET /tenants':
        return [
          200,
          {
            data: [
              {
                type: 'tenants',
                id: this.tenantId,
                attributes: { name: 'Fake tenant' },
                relationships: { memberships: { data: [] } },
              },
            ],
          },
        ];
      case 'POST /providers':
        return this.#createProvider(e.body);
      case 'GET /providers': {
        const uid = e.query['filter[uid]'];
        const list = [...this.providers.values()].filter((p) => uid === undefined || p.uid === uid);
        return [200, { data: list.map((p) => this.#provider(p)) }];
      }
      case 'GET /providers/{id}': {
        const p = this.providers.get(path.split('/')[2] ?? '');
        return p
          ? [200, { data: this.#provider(p) }]
          : [404, error('404', 'not_found', 'No Provider matches the given query.')];
      }
      case 'POST /providers/secrets':
        return this.#createSecret(e.body);
      case 'PATCH /providers/secrets/{id}':
        return this.#patchSecret(path.split('/')[3] ?? '', e.body);
      case 'POST /providers/{id}/connection':
        return this.#connect(path.split('/')[2] ?? '');
      case 'GET /tasks/{id}': {
        const task = this.tasks.get(path.split('/')[2] ?? '');
        if (!task) return [404, error('404', 'not_found', 'No Task matches the given query.')];
        if (task.state === 'executing') {
          if (task.looksLeft > 0) task.looksLeft--;
          else await this.#finish(task);
        }
        return [200, { data: this.#task(task) }];
      }
      default:
        return [404, error('404', 'not_found', 'Not found.')];
    }
  }

  #createProvider(body: unknown): [number, unknown] {
    const data = (body as { data?: { type?: string; attributes?: Record<string, unknown> } })?.data;
    const a = data?.attributes ?? {};
    if (data?.type !== 'providers')
      return [
        409,
        error(
          '409',
          'error',
          "The resource object's type (undefined) is not the type that constitute the collection represented by the endpoint (providers).",
        ),
      ];
    if (a.provider !== 'aws')
      return [
        400,
        error(
          '400',
          'invalid_choice',
          `"${String(a.provider)}" is not a valid choice.`,
          '/data/attributes/provider',
        ),
      ];
    if (typeof a.uid !== 'string' || !/^\d{12}$/.test(a.uid)) {
      return [
        400,
        error('400', 'aws-uid', 'AWS provider ID must be exactly 12 digits.', '/data/attributes/uid'),
      ];
    }
    if (
      a.alias !== undefined &&
      a.alias !== null &&
      (typeof a.alias !== 'string' || a.alias.length < 3 || a.alias.length > 100)
    ) {
      return [
        400,
        error('400', 'min_length', 'Ensure this field has at least 3 characters.', '/data/attributes/alias'),
      ];
    }
    if ([...this.providers.values()].some((p) => p.uid === a.uid)) {
      return [409, error('409', 'conflict', 'Provider already exists.', '/data/attributes/uid')];
    }
    const p: FakeProvider = {
      id: randomUUID(),
      uid: a.uid,
      alias: typeof a.alias === 'string' ? a.alias : null,
      secretId: null,
      connection: { connected: null, last_checked_at: null },
      inserted_at: now(),
    };
    this.providers.set(p.id, p);
    return [
      201,
      { data: { type: 'providers', id: p.id, attributes: { alias: p.alias, provider: 'aws', uid: p.uid } } },
    ];
  }

  #createSecret(body: unknown): [number, unknown] {
    const data = (
      body as {
        data?: {
          attributes?: Record<string, unknown>;
          relationships?: { provider?: { data?: { id?: string } } };
        };
      }
    )?.data;
    const a = data?.attributes ?? {};
    const secret = (a.secret ?? {}) as Record<string, unknown>;
    const providerId = data?.relationships?.provider?.data?.id ?? '';
    const provider = this.providers.get(providerId);
    if (!provider)
      return [
        400,
        error(
          '400',
          'does_not_exist',
          `Invalid pk "${providerId}" - object does not exist.`,
          '/data/relationships/provider',
        ),
      ];
    if (a.secret_type === 'role') {
      for (const field of ['role_arn', 'external_id']) {
        if (typeof secret[field] !== 'string')
          return [
            400,
            error('400', 'required', 'This field is required.', `/data/attributes/secret/${field}`),
          ];
      }
    }
    if (provider.secretId)
      return [
        400,
        error(
          '400',
          'unique',
          'Provider secret with this provider already exists.',
          '/data/relationships/provider',
        ),
      ];
    const s: FakeSecret = {
      id: randomUUID(),
      providerId,
      name: typeof a.name === 'string' ? a.name : null,
      secret_type: String(a.secret_type),
      secret,
    };
    this.secrets.set(s.id, s);
    provider.secretId = s.id;
    return [
      201,
      {
        data: {
          type: 'provider-secrets',
          id: s.id,
          attributes: this.#secretAttributes(s),
          relationships: { provider: { data: { type: 'providers', id: providerId } } },
        },
      },
    ];
  }

  #patchSecret(id: string, body: unknown): [number, unknown] {
    const s = this.secrets.get(id);
    if (!s) return [404, error('404', 'not_found', 'No Provider secret matches the given query.')];
    const a = ((body as { data?: { attributes?: Record<string, unknown> } })?.data?.attributes ??
      {}) as Record<string, unknown>;
    if (a.secret) s.secret = a.secret as Record<string, unknown>;
    if (typeof a.name === 'string') s.name = a.name;
    return [
      200,
      {
        data: {
          type: 'provider-secrets',
          id: s.id,
          attributes: this.#secretAttributes(s),
          relationships: { provider: { data: { type: 'providers', id: s.providerId } } },
        },
      },
    ];
  }

  async #connect(providerId: string): Promise<[number, unknown]> {
    const provider = this.providers.get(providerId);
    if (!provider) return [404, error('404', 'not_found', 'No Provider matches the given query.')];
    const task: Task = {
      id: randomUUID(),
      providerId,
      state: 'executing',
      looksLeft: this.taskLooks,
      result: null,
      inserted_at: now(),
      completed_at: null,
    };
    this.tasks.set(task.id, task);
    // No secret: the task is already completed in the 202 answer.
    if (!provider.secretId || this.taskLooks < 0) await this.#finish(task);
    return [202, { data: this.#task(task) }];
  }

  async #finish(task: Task): Promise<void> {
    const provider = this.providers.get(task.providerId)!;
    const secret = provider.secretId ? this.secrets.get(provider.secretId) : undefined;
    task.result = secret
      ? await this.outcome({ provider, secret })
      : { connected: false, error: 'Provider has no secret.' };
    task.state = 'completed';
    task.completed_at = now();
    provider.connection = { connected: task.result.connected, last_checked_at: task.completed_at };
  }

  #task(t: Task) {
    return {
      type: 'tasks',
      id: t.id,
      attributes: {
        inserted_at: t.inserted_at,
        ...(t.completed_at ? { completed_at: t.completed_at } : {}),
        name: 'provider-connection-check',
        state: t.state,
        result: t.result,
        task_args: { provider_id: t.providerId },
        metadata: {},
      },
    };
  }

  #secretAttributes(s: FakeSecret) {
    return { inserted_at: now(), updated_at: now(), name: s.name, secret_type: s.secret_type };
  }

  #provider(p: FakeProvider) {
    return {
      type: 'providers',
      id: p.id,
      attributes: {
        inserted_at: p.inserted_at,
        updated_at: p.inserted_at,
        provider: 'aws',
        uid: p.uid,
        alias: p.alias,
        connection: p.connection,
      },
      relationships: {
        secret: { data: p.secretId ? { type: 'provider-secrets', id: p.secretId } : null },
        provider_groups: { data: [] },
      },
    };
  }
}

function error(status: string, code: string, detail: string, pointer?: string) {
  return { errors: [{ detail, status, ...(pointer ? { source: { pointer } } : {}), code }] };
}

/** "/api/v1/providers/6b2…/connection" → "/providers/{id}/connection". */
export function operationOf(path: string): string {
  return path
    .replace(/^\/api\/v1/, '')
    .replace(/^\/providers\/secrets\/[^/]+$/, '/providers/secrets/{id}')
    .replace(/^\/(providers|tasks)\/(?!secrets(\/|$))[^/]+/, '/$1/{id}');
}
