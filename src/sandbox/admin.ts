import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { fieldErrorsFrom } from '../domain/field-errors.ts';
import { sandboxDeployRequestSchema } from '../domain/sandbox-contract.ts';
import { adminRefusal, writeRefusal } from './admin-guard.ts';
import { DeployError } from './model.ts';
import type { SandboxWorld } from './world.ts';

// The sandbox's own control API under /__sandbox/ (a path no AWS client uses). JSON in and out;
// errors use the product's error body ({error:{code,message,fields}}). Tests and the demo drive the
// world through it; it returns no secret beyond what the scenario file itself holds.
//   GET  /__sandbox/scenario   the loaded scenario        PUT  /__sandbox/scenario  replace it
//   GET  /__sandbox/targets    describeTargets()          POST /__sandbox/stacks    deploy the template
//   GET  /__sandbox/faults     faults + remaining counts  PUT  /__sandbox/faults    replace the faults
//   GET  /__sandbox/requests   request counts, last 100   POST /__sandbox/reset     back to the loaded scenario
//   GET  /__sandbox/health
// Only this machine's tools may use it, never a web page (admin-guard.ts): a loopback Host, no
// foreign Origin or Sec-Fetch-Site, and Content-Type: application/json on every write.

export const ADMIN_PREFIX = '/__sandbox';
const MAX_BODY = 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', 'The body is larger than 1 MiB.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, 'INVALID_JSON', `The body is not JSON: ${(e as Error).message}`);
  }
}

function fromError(e: unknown, code: string): HttpError {
  if (e instanceof HttpError) return e;
  // $ZodError: the shared request schema is zod/mini, whose errors are not classic ZodErrors.
  if (e instanceof z.core.$ZodError) {
    const fields = fieldErrorsFrom(e);
    return new HttpError(400, code, fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields);
  }
  if (e instanceof DeployError)
    return new HttpError(400, code, e.message, [{ path: e.field, message: e.message }]);
  return new HttpError(500, 'INTERNAL', 'The sandbox failed to handle this request.');
}

type Route = (world: SandboxWorld, req: IncomingMessage) => Promise<[number, unknown]>;

const ROUTES: Record<string, Route> = {
  'GET /health': async () => [200, { ok: true }],
  'GET /scenario': async (world) => [200, world.currentScenario],
  'PUT /scenario': async (world, req) => {
    const body = await readJson(req);
    try {
      world.load(body);
    } catch (e) {
      throw fromError(e, 'INVALID_SCENARIO');
    }
    return [200, world.describeTargets()];
  },
  'GET /targets': async (world) => [200, world.describeTargets()],
  'POST /stacks': async (world, req) => {
    const parsed = sandboxDeployRequestSchema.safeParse(await readJson(req));
    if (!parsed.success) throw fromError(parsed.error, 'INVALID_INPUT');
    try {
      return [200, world.deployStack(parsed.data)];
    } catch (e) {
      throw fromError(e, 'INVALID_INPUT');
    }
  },
  'GET /faults': async (world) => [200, world.faults.snapshot()],
  'PUT /faults': async (world, req) => {
    const body = await readJson(req);
    try {
      world.setFaults(body as never);
    } catch (e) {
      throw fromError(e, 'INVALID_FAULTS');
    }
    return [200, world.faults.snapshot()];
  },
  'POST /reset': async (world) => {
    world.reset();
    return [200, { ok: true }];
  },
  'GET /requests': async (world) => [200, world.requestLog.snapshot()],
};

export async function handleAdmin(
  world: SandboxWorld,
  req: IncomingMessage,
  res: ServerResponse,
  allowedHosts: readonly string[] = [],
): Promise<void> {
  const path = (req.url ?? '').split('?')[0]?.slice(ADMIN_PREFIX.length).replace(/\/$/, '') ?? '';
  const route = ROUTES[`${req.method} ${path}`];
  try {
    const refused = adminRefusal(req, allowedHosts);
    if (refused) throw new HttpError(refused.status, refused.code, refused.message);
    if (!route) {
      const known = Object.keys(ROUTES).some((k) => k.endsWith(` ${path}`));
      throw known
        ? new HttpError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${ADMIN_PREFIX}${path}.`)
        : new HttpError(404, 'NOT_FOUND', `No sandbox admin route ${ADMIN_PREFIX}${path}.`);
    }
    const unsupported = writeRefusal(req);
    if (unsupported) throw new HttpError(unsupported.status, unsupported.code, unsupported.message);
    const [status, value] = await route(world, req);
    sendJson(res, status, value);
  } catch (e) {
    const err = fromError(e, 'INTERNAL');
    sendJson(res, err.status, { error: { code: err.code, message: err.message, fields: err.fields } });
  }
}
