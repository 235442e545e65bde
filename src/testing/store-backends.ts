import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirePostgres, startPostgres, type TestPostgres } from './postgres.ts';

// The two store backends a suite runs against: SQLite in a temporary data directory, and a real
// PostgreSQL started for the file (skipped with a message when PostgreSQL is not installed,
// required in CI). Each `fresh()` gives an empty database.

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** A new empty database: the environment a server or the store needs for it. */
  fresh(): Promise<{ dataDir: string; databaseUrl?: string }>;
  /** Everything the database holds, as text (the SQLite files' bytes, or pg_dump). */
  dumpAll(target: { dataDir: string; databaseUrl?: string }): Promise<string>;
  stop(): Promise<void>;
}

export function sqliteBackend(): Backend {
  const dirs: string[] = [];
  return {
    name: 'sqlite',
    async fresh() {
      const dataDir = mkdtempSync(join(tmpdir(), 'aws-connect-store-'));
      dirs.push(dataDir);
      return { dataDir };
    },
    async dumpAll({ dataDir }) {
      const { readdirSync, readFileSync } = await import('node:fs');
      // The database file and its WAL/SHM companions, as bytes (latin1 keeps every byte).
      return readdirSync(dataDir)
        .filter((f) => f.startsWith('aws-connect.sqlite'))
        .map((f) => readFileSync(join(dataDir, f)).toString('latin1'))
        .join('\n');
    },
    async stop() {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

export function postgresBackend(): Backend & { available: boolean } {
  const available = requirePostgres();
  let pg: TestPostgres | null = null;
  let n = 0;
  const dirs: string[] = [];
  return {
    name: 'postgres',
    available,
    async fresh() {
      pg ??= await startPostgres();
      n += 1;
      const databaseUrl = await pg.createDatabase(`store_${process.pid}_${n}`);
      const dataDir = mkdtempSync(join(tmpdir(), 'aws-connect-store-'));
      dirs.push(dataDir);
      return { dataDir, databaseUrl };
    },
    async dumpAll({ databaseUrl }) {
      if (!pg || !databaseUrl) throw new Error('no PostgreSQL database to dump');
      return pg.dump(databaseUrl);
    },
    async stop() {
      await pg?.stop();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}
