import type { Kysely } from 'kysely';

// The first schema: connections, their verification history, status transitions and webhook
// deliveries. Written with Kysely's schema builder so one file serves SQLite and PostgreSQL.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('connections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('role_arn', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('source_kind', 'text', (c) => c.notNull())
    .addColumn('trusted_account_id', 'text')
    .addColumn('iam_principal', 'text')
    .addColumn('session_name', 'text')
    .addColumn('duration_seconds', 'integer')
    .addColumn('region', 'text')
    .addColumn('alias', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('last_report', 'text')
    .addColumn('last_diagnosis_code', 'text')
    .addColumn('last_confidence', 'text')
    .addColumn('last_verified_at', 'bigint')
    .addColumn('last_duration_ms', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('connections_status').on('connections').column('status').execute();

  await db.schema
    .createTable('verifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('diagnosis_code', 'text', (c) => c.notNull())
    .addColumn('confidence', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('verifications_connection_at')
    .on('verifications')
    .columns(['connection_id', 'at'])
    .execute();

  await db.schema
    .createTable('status_transitions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('diagnosis_code', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('status_transitions_connection_at')
    .on('status_transitions')
    .columns(['connection_id', 'at'])
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('transition_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('delivered', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_connection_at')
    .on('webhook_deliveries')
    .columns(['connection_id', 'at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['webhook_deliveries', 'status_transitions', 'verifications', 'connections']) {
    await db.schema.dropTable(table).execute();
  }
}
