import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate } from './auth.ts';
import { AwsError } from './errors.ts';
import { requestId as newRequestId } from './ids.ts';
import type { Caller } from './model.ts';
import type { OrgAccount, OrganizationState } from './organization-scenario.ts';
import { decide } from './policy-match.ts';
import type { ReceivedRequest } from './sigv4.ts';
import type { SandboxWorld } from './world.ts';

// AWS Organizations in the JSON 1.1 protocol (POST /, X-Amz-Target: AWSOrganizationsV20161128.<Action>,
// JSON in and out, errors as {"__type", "Message"}), SigV4-checked like STS and IAM: the reads
// discovery makes. Who may call: any principal of a member account may DescribeOrganization; the
// List calls need the management account or a delegated administrator; and the caller's policies
// must allow the action (SecurityAudit attached, which grants organizations:Describe* and List*,
// or an inline statement).
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccountsForParent.html
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html

export const ORGANIZATIONS_TARGET_PREFIX = 'AWSOrganizationsV20161128.';
const JSON_TYPE = 'application/x-amz-json-1.1';
/** The largest page Organizations serves for these List calls. */
export const MAX_PAGE = 20;
const MAX_BODY = 64 * 1024;

const SECURITY_AUDIT = /:iam::aws:policy\/SecurityAudit$/;

// The query services' names for auth failures; JSON services name them as below.
const JSON_AUTH_CODES: Record<string, string> = {
  InvalidClientTokenId: 'UnrecognizedClientException',
  SignatureDoesNotMatch: 'InvalidSignatureException',
  ExpiredToken: 'ExpiredTokenException',
};

const invalidInput = (message: string) => new AwsError(400, 'InvalidInputException', message);
const accessDenied = () =>
  new AwsError(400, 'AccessDeniedException', "You don't have permissions to access this resource.");
const notInUse = () =>
  new AwsError(400, 'AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
const parentNotFound = () =>
  new AwsError(
    400,
    'ParentNotFoundException',
    "We can't find a root or OU with the ParentId that you specified.",
  );

export function isOrganizationsRequest(req: IncomingMessage): boolean {
  const target = req.headers['x-amz-target'];
  return typeof target === 'string' && target.startsWith(ORGANIZATIONS_TARGET_PREFIX);
}

function sendJson(
  world: SandboxWorld,
  res: ServerResponse,
  status: number,
  value: unknown,
  requestId: string,
): void {
  const body = JSON.stringify(value);
  res.sendDate = false;
  const headers: Record<string, string | number> = {
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
  };
  if (world.faults.sendDateHeader) headers.date = new Date(world.now()).toUTCString();
  res.writeHead(status, headers);
  res.end(body);
}

function errorBody(err: AwsError) {
  const code = JSON_AUTH_CODES[err.code] ?? err.code;
  return { status: err.status >= 500 ? err.status : 400, code, body: { __type: code, Message: err.message } };
}

const arnOf = (org: OrganizationState, kind: 'account' | 'root' | 'ou', id: string) => {
  const { spec } = org;
  const resource =
    kind === 'root'
      ? `root/${spec.id}/${id}`
      : kind === 'ou'
        ? `ou/${spec.id}/${id}`
        : `account/${spec.id}/${id}`;
  return `arn:aws:organizations::${spec.managementAccountId}:${resource}`;
};

/** Pages of at most MaxResults (1-20), with an opaque NextToken. */
function page<T>(items: readonly T[], input: Record<string, unknown>): { items: T[]; next?: string } {
  const max = input.MaxResults === undefined ? MAX_PAGE : input.MaxResults;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > MAX_PAGE) {
    throw invalidInput(`MaxResults must be between 1 and ${MAX_PAGE}.`);
  }
  let start = 0;
  if (input.NextToken !== undefined) {
    const decoded =
      typeof input.NextToken === 'string'
        ? /^sbx:(\d+)$/.exec(Buffer.from(input.NextToken, 'base64url').toString())
        : null;
    if (!decoded) throw invalidInput('The provided NextToken is not valid.');
    start = Number(decoded[1]);
  }
  const end = start + max;
  return {
    items: items.slice(start, end),
    ...(end < items.length ? { next: Buffer.from(`sbx:${end}`).toString('base64url') } : {}),
  };
}

function parentOf(org: OrganizationState, input: Record<string, unknown>): string {
  const id = input.ParentId;
  if (typeof id !== 'string' || !/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/.test(id)) {
    throw invalidInput('You provided a value that does not match the required pattern: ParentId.');
  }
  if (!org.children.has(id)) throw parentNotFound();
  return id;
}

function accountJson(org: OrganizationState, a: OrgAccount) {
  return {
    Id: a.id,
    Arn: arnOf(org, 'account', a.id),
    Email: `${a.name}@example.com`,
    Name: a.name,
    // Status is deprecated in favour of State; real Organizations still sends both.
    Status: a.state,
    State: a.state,
    JoinedMethod: 'CREATED',
    JoinedTimestamp: a.joinedAt,
  };
}

type Handler = (org: OrganizationState, input: Record<string, unknown>) => unknown;

const ACTIONS: Record<string, Handler> = {
  DescribeOrganization: (org) => ({
    Organization: {
      Id: org.spec.id,
      Arn: `arn:aws:organizations::${org.spec.managementAccountId}:organization/${org.spec.id}`,
      FeatureSet: 'ALL',
      MasterAccountArn: arnOf(org, 'account', org.spec.managementAccountId),
      MasterAccountId: org.spec.managementAccountId,
      MasterAccountEmail: 'management@example.com',
      AvailablePolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
    },
  }),
  ListRoots: (org, input) => {
    const { items, next } = page([org.spec.rootId], input);
    return {
      Roots: items.map((id) => ({ Id: id, Arn: arnOf(org, 'root', id), Name: 'Root', PolicyTypes: [] })),
      ...(next ? { NextToken: next } : {}),
    };
  },
  ListOrganizationalUnitsForParent: (org, input) => {
    const { items, next } = page(org.children.get(parentOf(org, input))?.ous ?? [], input);
    return {
      OrganizationalUnits: items.map((id) => ({
        Id: id,
        Arn: arnOf(org, 'ou', id),
        Name: org.units.get(id)?.name ?? id,
      })),
      ...(next ? { NextToken: next } : {}),
    };
  },
  ListAccountsForParent: (org, input) => {
    const { items, next } = page(org.children.get(parentOf(org, input))?.accounts ?? [], input);
    return {
      Accounts: items.flatMap((id) => {
        const a = org.accounts.get(id);
        return a ? [accountJson(org, a)] : [];
      }),
      ...(next ? { NextToken: next } : {}),
    };
  },
};

/** The caller's own policies allow this Organizations action. */
function permitted(world: SandboxWorld, caller: Caller, action: string): boolean {
  if (caller.kind === 'root') return true;
  if (caller.kind === 'session') {
    const role = world.role(caller.accountId, caller.session.role.name);
    if (role?.managedPolicyArns.some((arn) => SECURITY_AUDIT.test(arn))) return true;
  }
  return decide(world.identityStatements(caller), `organizations:${action}`, '*') === 'allow';
}

function authorize(
  world: SandboxWorld,
  org: OrganizationState | null,
  caller: Caller,
  action: string,
): OrganizationState {
  if (!org?.accounts.has(caller.accountId)) throw notInUse();
  const reader =
    caller.accountId === org.spec.managementAccountId ||
    org.spec.delegatedAdministrators.includes(caller.accountId);
  if (action !== 'DescribeOrganization' && !reader) throw accessDenied();
  if (!permitted(world, caller, action)) throw accessDenied();
  return org;
}

export async function handleOrganizations(
  world: SandboxWorld,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  const requestId = newRequestId();
  const action = String(req.headers['x-amz-target']).slice(ORGANIZATIONS_TARGET_PREFIX.length);
  const log = (status: number, code?: string, accessKeyId?: string) =>
    world.requestLog.record({
      at: new Date().toISOString(),
      service: 'organizations',
      action,
      status,
      ...(code ? { code } : {}),
      ...(accessKeyId ? { accessKeyId } : {}),
    });
  const fail = (err: AwsError, accessKeyId?: string) => {
    const e = errorBody(err);
    log(e.status, e.code, accessKeyId);
    sendJson(world, res, e.status, e.body, requestId);
  };

  const fault = world.faults.decide('organizations', action);
  if (fault.latencyMs > 0) await new Promise((r) => setTimeout(r, fault.latencyMs));
  switch (fault.kind) {
    case 'reset':
      log(0, 'reset');
      req.socket.resetAndDestroy();
      return;
    case 'hang':
      log(0, 'hang');
      return;
    case 'malformed':
      log(200, 'malformed');
      res.writeHead(200, { 'content-type': JSON_TYPE }).end('{"Accounts": [{"Id": "1');
      return;
    case 'throttle':
      return fail(new AwsError(400, 'TooManyRequestsException', 'Rate exceeded'));
    case 'serverError':
      return fail(
        new AwsError(
          fault.status ?? 500,
          fault.status === 503 ? 'ServiceUnavailableException' : 'ServiceException',
          'The request failed because of an unknown error, exception or failure.',
        ),
      );
  }

  let accessKeyId: string | undefined;
  try {
    if (body.length > MAX_BODY) throw new AwsError(413, 'RequestEntityTooLarge', 'Request body too large');
    const received: ReceivedRequest = {
      method: req.method ?? 'POST',
      path,
      query: Object.fromEntries(query),
      headers: req.headers,
      body,
    };
    const { caller, auth } = await authenticate(world, received, 'organizations');
    accessKeyId = auth.accessKeyId;
    const handler = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
    if (!handler)
      throw new AwsError(
        400,
        'UnknownOperationException',
        `The action ${action.slice(0, 60)} is not valid for this web service.`,
      );
    let input: unknown;
    try {
      input = body.length ? JSON.parse(body.toString('utf8')) : {};
    } catch {
      throw new AwsError(400, 'SerializationException', 'The request body is not valid JSON.');
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw new AwsError(400, 'SerializationException', 'The request body is not a JSON object.');
    const org = authorize(world, world.organization, caller, action);
    const result = handler(org, input as Record<string, unknown>);
    log(200, undefined, accessKeyId);
    sendJson(world, res, 200, result, requestId);
  } catch (e) {
    if (!(e instanceof AwsError)) console.error('sandbox: unexpected error', e);
    fail(
      e instanceof AwsError ? e : new AwsError(500, 'ServiceException', 'The request failed.'),
      accessKeyId,
    );
  }
}
