import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrate.ts';
import type { Database } from './schema.ts';

// The one database handle: embedded SQLite in the data directory by default, PostgreSQL when
// DATABASE_URL is set (several replicas share it). Kysely is the only query layer over both
// (docs/decisions/027-store-kysely-sqlite-postgres.md).

export const SQLITE_FILE = 'aws-connect.sqlite';

export interface StoreOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
  /** Apply the migrations (default true); tests of the migrations themselves say false. */
  migrate?: boolean;
}

export interface Store {
  db: Kysely<Database>;
  kind: 'sqlite' | 'postgres';
  /** Where the data is, for the start-up line (a URL without its password). */
  location: string;
  close(): Promise<void>;
}

const INT8_OID = 20;

/** postgres://user:secret@host/db -> postgres://user@host/db */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return '(DATABASE_URL)';
  }
}

export async function openStore(opts: StoreOptions): Promise<Store> {
  let store: Store;
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: 10,
      // Times are epoch ms in bigint columns; pg returns int8 as a string unless told otherwise.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as never,
      },
    });
    // An idle client whose connection drops (a restarted or failed-over server) emits 'error' on the
    // pool; unhandled, it would end the process. The pool discards that client and connects anew.
    pool.on('error', () => undefined);
    store = {
      db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
      kind: 'postgres',
      location: redactUrl(opts.databaseUrl),
      close: () => store.db.destroy(),
    };
  } else {
    mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    const file = join(opts.dataDir, SQLITE_FILE);
    const sqlite = new SqliteDatabase(file);
    chmodSync(file, 0o600);
    sqlite.pragma('journal_mode = WAL');
    // SQLite leaves foreign keys (and so ON DELETE CASCADE) off unless each connection asks.
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    store = {
      db: new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }),
      kind: 'sqlite',
      location: file,
      close: () => store.db.destroy(),
    };
  }
  if (opts.migrate !== false) {
    try {
      await migrateToLatest(store.db);
    } catch (err) {
      await store.close();
      throw err;
    }
  }
  return store;
}
