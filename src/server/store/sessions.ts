import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

// Hosted sessions: the cookie's value is never stored, only its sha256 (sessions.id), with the
// External ID issued to that session (docs/decisions/031-external-id-per-session.md).

/** The External ID of this session, issuing `fresh` to it when it has none yet. */
export async function externalIdForSession(
  db: Kysely<Database>,
  sessionHash: string,
  fresh: string,
  now: number,
): Promise<string> {
  const found = await db
    .selectFrom('sessions')
    .select('external_id')
    .where('id', '=', sessionHash)
    .executeTakeFirst();
  if (found) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', sessionHash).execute();
    return found.external_id;
  }
  // Two first requests of one session may race: the primary key keeps one, both read it back.
  await db
    .insertInto('sessions')
    .values({ id: sessionHash, external_id: fresh, created_at: now, last_seen_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await db
    .selectFrom('sessions')
    .select('external_id')
    .where('id', '=', sessionHash)
    .executeTakeFirstOrThrow();
  return row.external_id;
}

/** The session's External ID, or undefined when the session is unknown. */
export async function sessionExternalId(
  db: Kysely<Database>,
  sessionHash: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('sessions')
    .select('external_id')
    .where('id', '=', sessionHash)
    .executeTakeFirst();
  return row?.external_id;
}
