import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_PREFIX, handleAdmin } from './admin.ts';
import { authenticate } from './auth.ts';
import { authorize } from './authorize.ts';
import {
  createStackAction,
  deleteStackAction,
  describeStackDriftDetectionStatus,
  describeStackResourceDrifts,
  describeStackResources,
  describeStacks,
  detectStackDrift,
  detectStackResourceDrift,
  getTemplate,
  updateStackAction,
} from './cfn-actions.ts';
import {
  AwsError,
  invalidAction,
  missingAction,
  regionDisabled,
  type Service,
  serverError,
  throttling,
} from './errors.ts';
import { FaultState } from './faults.ts';
import {
  getRole,
  getRolePolicy,
  listAttachedRolePolicies,
  listRolePolicies,
  listRoleTags,
} from './iam-actions.ts';
import {
  attachRolePolicy,
  deleteRolePolicy,
  detachRolePolicy,
  putRolePolicy,
  updateAssumeRolePolicy,
  updateRole,
} from './iam-writes.ts';
import { requestId as newRequestId } from './ids.ts';
import { handleOrganizations, isOrganizationsRequest } from './organizations.ts';
import { DEMO_EXTERNAL_ID, DEMO_SCENARIO } from './scenario.ts';
import type { ReceivedRequest } from './sigv4.ts';
import { type ActionContext, assumeRole, getCallerIdentity } from './sts-actions.ts';
import { SandboxWorld } from './world.ts';
import { errorXml, malformedXml, successXml, type XmlNode } from './xml.ts';

// One HTTP endpoint speaking the STS, IAM and CloudFormation query protocols (form-encoded POST or
// GET, XML out), told apart by the Version parameter and, failing that, the SigV4 scope, as moto's
// single endpoint does. Issue 4. Faults are applied before anything else, as a network or front
// door would; then authentication, then authorization (authorize.ts), then the action.

export interface SandboxOptions {
  port?: number;
  host?: string;
  /** A scenario object (validated here); the demo scenario when omitted. */
  scenario?: unknown;
  /** Replaces "$SERVER_EXTERNAL_ID" in the scenario: the External ID the server issued. */
  externalId?: string;
  /** Host names the admin API answers to besides the loopback ones (lower case, no port). */
  allowedHosts?: readonly string[];
}

export interface SandboxHandle {
  url: string;
  port: number;
  world: SandboxWorld;
  close(): Promise<void>;
}

const VERSIONS: Record<string, Service> = {
  '2011-06-15': 'sts',
  '2010-05-08': 'iam',
  '2010-05-15': 'cloudformation',
};
const ACTIONS: Record<Service, Record<string, (ctx: ActionContext) => XmlNode>> = {
  sts: { GetCallerIdentity: getCallerIdentity, AssumeRole: assumeRole },
  iam: {
    GetRole: getRole,
    ListAttachedRolePolicies: listAttachedRolePolicies,
    ListRolePolicies: listRolePolicies,
    GetRolePolicy: getRolePolicy,
    ListRoleTags: listRoleTags,
    UpdateAssumeRolePolicy: updateAssumeRolePolicy,
    AttachRolePolicy: attachRolePolicy,
    DetachRolePolicy: detachRolePolicy,
    PutRolePolicy: putRolePolicy,
    DeleteRolePolicy: deleteRolePolicy,
    UpdateRole: updateRole,
  },
  cloudformation: {
    DescribeStacks: describeStacks,
    DescribeStackResources: describeStackResources,
    GetTemplate: getTemplate,
    CreateStack: createStackAction,
    UpdateStack: updateStackAction,
    DeleteStack: deleteStackAction,
    DetectStackDrift: detectStackDrift,
    DetectStackResourceDrift: detectStackResourceDrift,
    DescribeStackDriftDetectionStatus: describeStackDriftDetectionStatus,
    DescribeStackResourceDrifts: describeStackResourceDrifts,
  },
};
const MAX_BODY = 256 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}

function serviceOf(version: string | null, authorization: string | undefined): Service {
  if (version && VERSIONS[version]) return VERSIONS[version];
  const scoped = /Credential=[^/,]+\/\d{8}\/[^/]+\/(\w+)\//.exec(authorization ?? '')?.[1];
  return scoped === 'iam' || scoped === 'cloudformation' ? scoped : 'sts';
}

function send(
  world: SandboxWorld,
  res: ServerResponse,
  status: number,
  body: string,
  requestId: string,
): void {
  res.sendDate = false;
  const headers: Record<string, string | number> = {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
  };
  // The SDK sets its clock from Date; the clock-skew fault may withhold it (see faults.ts).
  if (world.faults.sendDateHeader) headers.date = new Date(world.now()).toUTCString();
  res.writeHead(status, headers);
  res.end(body);
}

async function handleAws(world: SandboxWorld, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = newRequestId();
  const arrived = world.requestLog.arrive();
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1));
  const body = await readBody(req);
  const authorization = req.headers.authorization;
  if (body === null) {
    const service = serviceOf(query.get('Version'), authorization);
    send(
      world,
      res,
      413,
      errorXml(service, new AwsError(413, 'RequestEntityTooLarge', 'Request body too large'), requestId),
      requestId,
    );
    return;
  }
  // Organizations speaks JSON 1.1 (X-Amz-Target), not the query protocol.
  if (isOrganizationsRequest(req)) return handleOrganizations(world, req, res, body, path, query);
  const params = new URLSearchParams(req.method === 'POST' ? body.toString('utf8') : '');
  for (const [k, v] of query) if (!params.has(k)) params.append(k, v);
  const service = serviceOf(params.get('Version'), authorization);
  const action = params.get('Action') ?? '';
  const log = (status: number, code?: string, accessKeyId?: string) =>
    world.requestLog.record({
      at: new Date().toISOString(),
      service,
      action,
      status,
      ...(code ? { code } : {}),
      ...(accessKeyId ? { accessKeyId } : {}),
      arrived,
    });

  const fault = world.faults.decide(service, action);
  if (fault.latencyMs > 0) await new Promise((r) => setTimeout(r, fault.latencyMs));
  switch (fault.kind) {
    case 'reset':
      log(0, 'reset');
      req.socket.resetAndDestroy();
      return;
    case 'hang':
      log(0, 'hang');
      return; // never answered; close() destroys the socket
    case 'malformed':
      log(200, 'malformed');
      send(world, res, 200, malformedXml(service, action || 'GetCallerIdentity'), requestId);
      return;
    case 'throttle':
    case 'serverError': {
      const err = fault.kind === 'throttle' ? throttling() : serverError(fault.status ?? 500);
      log(err.status, err.code);
      send(world, res, err.status, errorXml(service, err, requestId), requestId);
      return;
    }
  }

  let accessKeyId: string | undefined;
  try {
    const received: ReceivedRequest = {
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(query),
      headers: req.headers,
      body,
    };
    const { caller, auth } = await authenticate(world, received, service);
    accessKeyId = auth.accessKeyId;
    if (!action) throw missingAction();
    const handler = ACTIONS[service][action];
    if (!handler) throw invalidAction(action, params.get('Version') ?? '');
    if (
      service === 'sts' &&
      action === 'GetCallerIdentity' &&
      world.regionDisabled(caller.accountId, auth.region)
    ) {
      throw regionDisabled(caller.accountId);
    }
    authorize(world, caller, service, action, params, auth.region);
    const result = handler({ world, caller, params, region: auth.region });
    log(200, undefined, accessKeyId);
    send(world, res, 200, successXml(service, action, result, requestId), requestId);
  } catch (e) {
    const err = e instanceof AwsError ? e : serverError(500);
    if (!(e instanceof AwsError)) console.error('sandbox: unexpected error', e);
    log(err.status, err.code, accessKeyId);
    send(world, res, err.status, errorXml(service, err, requestId), requestId);
  }
}

/** Starts the sandbox on 127.0.0.1 (port 0: a free port). */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const world = new SandboxWorld(
    new FaultState(),
    options.externalId ?? DEMO_EXTERNAL_ID,
    options.scenario ?? DEMO_SCENARIO,
  );
  const allowedHosts = (options.allowedHosts ?? []).map((h) => h.toLowerCase());
  const server = createServer((req, res) => {
    const isAdmin = req.url === ADMIN_PREFIX || req.url?.startsWith(`${ADMIN_PREFIX}/`);
    const done = isAdmin ? handleAdmin(world, req, res, allowedHosts) : handleAws(world, req, res);
    done.catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 5_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  // A wildcard bind is reached through loopback.
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const urlHost = reachable.includes(':') ? `[${reachable}]` : reachable;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    world,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
