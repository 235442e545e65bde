import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './moto.ts';

// A real PostgreSQL for one test file: initdb into a temporary directory, the server on a free
// loopback port with its unix socket in that directory, stopped and removed afterwards.
// Locally a missing PostgreSQL skips those tests with a message; in CI
// (AWS_CONNECT_REQUIRE_TOOLS=1) it fails them, as src/testing/tools.ts does for moto.

const INSTALL_HINT = 'apt-get install -y postgresql';

export interface TestPostgres {
  /** postgres://… URL of a fresh database, e.g. for DATABASE_URL. */
  url: string;
  /** Creates another empty database on the same server and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** pg_dump of a database (schema and every table's rows) as text. */
  dump(url: string): string;
  stop(): Promise<void>;
}

/** The newest /usr/lib/postgresql/<version>/bin that has initdb, or null. */
export function postgresBinDir(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : null;
}

/** True when PostgreSQL is installed. When not: throws under AWS_CONNECT_REQUIRE_TOOLS=1, else warns and returns false. */
export function requirePostgres(): boolean {
  if (postgresBinDir()) return true;
  const message = `PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): these tests need it (${INSTALL_HINT}).`;
  if (process.env.AWS_CONNECT_REQUIRE_TOOLS === '1') throw new Error(message);
  console.warn(`SKIPPED: ${message}`);
  return false;
}

/** initdb and postgres refuse to run as root: run them as the postgres (or nobody) user then. */
function runAs(): { uid: number; gid: number } | null {
  if (userInfo().uid !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    const id = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (id.status === 0 && gid.status === 0) return { uid: Number(id.stdout), gid: Number(gid.stdout) };
  }
  throw new Error('Running as root and neither the postgres nor the nobody user exists to run PostgreSQL.');
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(`PostgreSQL is not installed (${INSTALL_HINT}).`);
  const dir = mkdtempSync('/tmp/aws-connect-pg-');
  const user = runAs();
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const ids = user ? { uid: user.uid, gid: user.gid } : {};
  const init = spawnSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
    { encoding: 'utf8', ...ids },
  );
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  const child: ChildProcess = spawn(
    join(bin, 'postgres'),
    ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir, '-F', '-c', 'max_connections=50'],
    { stdio: ['ignore', 'ignore', 'pipe'], ...ids },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const psql = (db: string, command: string) =>
    spawnSync(join(bin, 'psql'), ['-h', dir, '-p', String(port), '-U', 'postgres', '-d', db, '-c', command], {
      encoding: 'utf8',
    });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited early: ${stderr}`);
    const ready = spawnSync(join(bin, 'pg_isready'), ['-h', dir, '-p', String(port)], { stdio: 'ignore' });
    if (ready.status === 0) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`postgres did not start within 30 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const urlOf = (name: string) => `postgres://postgres@127.0.0.1:${port}/${name}`;
  const createDatabase = async (name: string) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new TypeError(`not a plain database name: ${name}`);
    const created = psql('postgres', `CREATE DATABASE ${name}`);
    if (created.status !== 0) throw new Error(`CREATE DATABASE failed: ${created.stderr}`);
    return urlOf(name);
  };
  const url = await createDatabase('aws_connect_test');
  return {
    url,
    createDatabase,
    dump(dbUrl: string) {
      const name = new URL(dbUrl).pathname.slice(1);
      const out = spawnSync(join(bin, 'pg_dump'), ['-h', dir, '-p', String(port), '-U', 'postgres', name], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      if (out.status !== 0) throw new Error(`pg_dump failed: ${out.stderr}`);
      return out.stdout;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        // SIGINT is PostgreSQL's "fast shutdown": open sessions are ended.
        child.kill('SIGINT');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
