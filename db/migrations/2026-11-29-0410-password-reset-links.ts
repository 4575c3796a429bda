import { sql, type Kysely } from 'kysely';
import { ddl } from './dialect';

// Frozen in time: this file must never import application code.
// "Forgot your password?" links (docs/decisions/0410-forgotten-password-by-e-mail.md): one row per
// link e-mailed. The token itself is never stored, only its SHA-256. A link works once
// (used_at), until expires_at, and only while it is the person's newest (superseded_at is set
// on the older ones when a new one is sent or the password is replaced). requested_ip is the
// client that asked, kept for the record beside the sign-in attempts.
// On PostgreSQL ddl() makes the id an identity column, as for every table.

export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      ddl(
        db,
        `CREATE TABLE password_reset_links (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        token_hash TEXT NOT NULL UNIQUE,
        requested_ip TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT,
        superseded_at TEXT
      )`,
      ),
    )
    .execute(db);
  await sql.raw(`CREATE INDEX password_reset_links_by_user ON password_reset_links (user_id, created_at)`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`DROP TABLE password_reset_links`).execute(db);
}
