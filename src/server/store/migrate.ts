import type { Kysely } from 'kysely';
import { type Migration, type MigrationProvider, type MigrationResultSet, Migrator } from 'kysely/migration';
import * as connections001 from './migrations/001-connections.ts';
import * as schedule002 from './migrations/002-schedule-and-sessions.ts';
import * as byRole003 from './migrations/003-connections-by-role.ts';
import type { Database } from './schema.ts';

// Versioned migrations, applied at start. A static list, not a folder scan: it works the same
// under tsx, in a bundle and in tests. Kysely's Migrator records what ran (kysely_migration) and,
// on PostgreSQL, holds an advisory lock, so replicas starting together apply each one once.

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001-connections': connections001,
  '002-schedule-and-sessions': schedule002,
  '003-connections-by-role': byRole003,
};

const provider: MigrationProvider = { getMigrations: async () => ({ ...MIGRATIONS }) };

function check(result: MigrationResultSet): MigrationResultSet {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'a migration';
    const message = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`The database migration ${failed} failed: ${message}`);
  }
  return result;
}

export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const result = check(await new Migrator({ db, provider }).migrateToLatest());
  return (result.results ?? []).map((r) => r.migrationName);
}

/** Up to and including `name` (tests: "from the previous schema"). */
export async function migrateTo(db: Kysely<Database>, name: string): Promise<void> {
  check(await new Migrator({ db, provider }).migrateTo(name));
}
