import { sql, type Kysely } from 'kysely';
import { ddl } from './dialect';

// Frozen in time: this file must never import application code.
// Questionnaire links a chapter lead gives a partner's contact: the token itself is never
// stored, only its SHA-256; the passcode (optional) only as a scrypt hash. The questions are
// frozen when the link is made; the answers, once submitted, are checked against the decision
// record of their submission (decision_seq). Failed passcodes are counted per link and per
// address to throttle guessing.
// On PostgreSQL the tables take ddl()'s types: the ids become identity columns, so a link made
// there gets its id as on SQLite, and db:move keeps the ids it copies.

export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      ddl(
        db,
        `CREATE TABLE partner_links (
        id INTEGER PRIMARY KEY,
        proposal_id INTEGER NOT NULL REFERENCES proposals(id),
        token_hash TEXT NOT NULL UNIQUE,
        contact_name TEXT NOT NULL,
        contact_email TEXT NOT NULL DEFAULT '',
        questions TEXT NOT NULL,
        passcode_hash TEXT,
        created_by INTEGER NOT NULL REFERENCES users(id),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        revoked_at TEXT,
        revoked_by INTEGER REFERENCES users(id),
        submitted_at TEXT,
        answers TEXT,
        decision_seq INTEGER
      )`,
      ),
    )
    .execute(db);
  await sql.raw(`CREATE INDEX partner_links_by_proposal ON partner_links (proposal_id, id)`).execute(db);
  await sql.raw(`CREATE INDEX partner_links_by_decision ON partner_links (decision_seq) WHERE decision_seq IS NOT NULL`).execute(db);
  await sql
    .raw(
      ddl(
        db,
        `CREATE TABLE partner_link_failures (
        id INTEGER PRIMARY KEY,
        link_id INTEGER NOT NULL,
        ip TEXT NOT NULL,
        at TEXT NOT NULL
      )`,
      ),
    )
    .execute(db);
  await sql.raw(`CREATE INDEX partner_link_failures_by_link ON partner_link_failures (link_id, at)`).execute(db);
  await sql.raw(`CREATE INDEX partner_link_failures_by_ip ON partner_link_failures (ip, at)`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`DROP TABLE partner_link_failures`).execute(db);
  await sql.raw(`DROP TABLE partner_links`).execute(db);
}
