import type { Kysely } from 'kysely';

// The monitor's shared schedule (next_check_at, and a lease that a dead replica's rows leave
// behind only until it expires), the last drift check, and hosted sessions with their External IDs.

export async function up(db: Kysely<unknown>): Promise<void> {
  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  for (const [name, type] of [
    ['next_check_at', 'bigint'],
    ['leased_until', 'bigint'],
    ['leased_by', 'text'],
    ['owner_session', 'text'],
    ['last_drift', 'text'],
  ] as const) {
    await db.schema.alterTable('connections').addColumn(name, type).execute();
  }
  await db.schema.alterTable('verifications').addColumn('runner', 'text').execute();
  await db.schema.createIndex('connections_next_check').on('connections').column('next_check_at').execute();
  await db.schema.createIndex('connections_owner').on('connections').column('owner_session').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('external_id', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sessions').execute();
  await db.schema.dropIndex('connections_owner').execute();
  await db.schema.dropIndex('connections_next_check').execute();
  await db.schema.alterTable('verifications').dropColumn('runner').execute();
  for (const name of ['last_drift', 'owner_session', 'leased_by', 'leased_until', 'next_check_at']) {
    await db.schema.alterTable('connections').dropColumn(name).execute();
  }
}
