import { sql, type Kysely } from 'kysely';
import { ddl } from './dialect';

// Frozen in time: this file must never import application code.
// 1. Which e-mails each person wants, one row per person and kind of message. A kind without
//    a row is on: people hear about their work until they say otherwise.
// 2. An outbox row may be an e-mail to one person about one proposal, and may announce no
//    decision at all (a reminder): the row says what it announces, about which proposal and to
//    whom, so the admins' delivery log can show it without reading the message.
// 3. The reminder job looks for events in the next 30 days.

export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      ddl(
        db,
        `CREATE TABLE notification_preferences (
        user_id INTEGER NOT NULL REFERENCES users(id),
        kind TEXT NOT NULL,
        email INTEGER NOT NULL CHECK (email IN (0, 1)),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (user_id, kind)
      )`,
      ),
    )
    .execute(db);
  await sql.raw(`ALTER TABLE outbox ADD COLUMN event TEXT`).execute(db);
  await sql.raw(ddl(db, `ALTER TABLE outbox ADD COLUMN proposal_id INTEGER`)).execute(db);
  await sql.raw(`ALTER TABLE outbox ADD COLUMN recipient TEXT`).execute(db);
  await sql.raw(`CREATE INDEX proposals_event_date ON proposals(event_date)`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`DROP INDEX proposals_event_date`).execute(db);
  for (const column of ['recipient', 'proposal_id', 'event']) await sql.raw(`ALTER TABLE outbox DROP COLUMN ${column}`).execute(db);
  await sql.raw(`DROP TABLE notification_preferences`).execute(db);
}
