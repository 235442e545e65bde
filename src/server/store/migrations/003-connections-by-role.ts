import type { Kysely } from 'kysely';

// An organization run finds each account's connection by owner and role ARN (store/connections.ts,
// saveForRole): one lookup per account, up to 10,000 a run, so an index instead of a scan. The
// verifications' trigger gains the value 'org' with no change here: that column is plain text.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('connections_role_owner')
    .on('connections')
    .columns(['role_arn', 'owner_session'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('connections_role_owner').execute();
}
