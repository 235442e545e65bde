import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

// A transparent HTTP proxy between the server under test and the sandbox (or any AWS stand-in).
// It sees every AWS call the server makes, so the reliability suites can count them (calls per
// verification, concurrent calls per credential, "no AWS call was made") and collect the
// temporary secrets AWS handed out, which the secret-canary tests then look for everywhere.
// The Host header is forwarded unchanged: SigV4 signs it, and the sandbox checks the signature.

export interface AwsCall {
  action: string;
  /** The access key ID from the SigV4 Authorization header ("" when unsigned). */
  accessKeyId: string;
  status: number | null;
  /** AssumeRole's RoleArn, for counting which accounts were started. */
  roleArn?: string;
  /** The client closed before the answer was complete (a cancelled call that was already on its way). */
  abandoned: boolean;
}

export interface AwsProxy {
  url: string;
  calls: AwsCall[];
  inFlight: number;
  /** Most calls in flight at once, overall and per access key ID. */
  peak: number;
  peakByKey: Map<string, number>;
  /** SecretAccessKey and SessionToken values seen in answers (AssumeRole's credentials). */
  issuedSecrets: Set<string>;
  count(action?: string): number;
  reset(): void;
  close(): Promise<void>;
}

const CREDENTIAL_RE = /Credential=([^/,\s]+)\//;
const SECRET_RE = /<(SecretAccessKey|SessionToken)>([^<]+)<\/\1>/g;

export async function startAwsProxy(target: string): Promise<AwsProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const perKey = new Map<string, number>();
  const proxy: AwsProxy = {
    url: '',
    calls: [],
    inFlight: 0,
    peak: 0,
    peakByKey: new Map(),
    issuedSecrets: new Set(),
    count: (action) => (action ? proxy.calls.filter((c) => c.action === action).length : proxy.calls.length),
    reset() {
      proxy.calls = [];
      proxy.peak = proxy.inFlight;
      proxy.peakByKey.clear();
    },
    close: async () => {},
  };

  function handle(req: IncomingMessage, res: ServerResponse, body: Buffer) {
    const form = new URLSearchParams(
      req.method === 'GET' ? (req.url?.split('?')[1] ?? '') : body.toString('utf8'),
    );
    const accessKeyId = CREDENTIAL_RE.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
    // Query protocol (STS, IAM): Action=...; JSON protocol (Organizations): X-Amz-Target: Service.Action.
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = form.get('Action') ?? (target ? target.slice(target.lastIndexOf('.') + 1) : '(none)');
    const roleArn = form.get('RoleArn');
    const call: AwsCall = {
      action,
      accessKeyId,
      status: null,
      abandoned: false,
      ...(roleArn ? { roleArn } : {}),
    };
    proxy.calls.push(call);
    proxy.inFlight++;
    proxy.peak = Math.max(proxy.peak, proxy.inFlight);
    const keyNow = (perKey.get(accessKeyId) ?? 0) + 1;
    perKey.set(accessKeyId, keyNow);
    proxy.peakByKey.set(accessKeyId, Math.max(proxy.peakByKey.get(accessKeyId) ?? 0, keyNow));
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      proxy.inFlight--;
      perKey.set(accessKeyId, (perKey.get(accessKeyId) ?? 1) - 1);
    };

    const out = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (answer) => {
        call.status = answer.statusCode ?? null;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          res.write(chunk);
        });
        answer.on('end', () => {
          for (const m of Buffer.concat(chunks).toString('utf8').matchAll(SECRET_RE))
            proxy.issuedSecrets.add(m[2]!);
          res.end();
          finish();
        });
        answer.on('error', () => {
          res.destroy();
          finish();
        });
      },
    );
    // The upstream reset or refused: reset the client too, so it sees what it would have seen.
    out.on('error', () => {
      req.socket.destroy();
      finish();
    });
    // The client gave up (its timeout): drop the upstream request instead of leaking it.
    res.on('close', () => {
      if (!res.writableFinished) {
        call.abandoned = true;
        out.destroy();
      }
      finish();
    });
    out.end(body);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      agent.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
