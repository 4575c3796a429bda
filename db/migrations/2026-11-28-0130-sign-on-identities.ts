import { sql, type Kysely } from 'kysely';
import { ddl } from './dialect';

// Frozen in time: this file must never import application code.
// Single sign-on (docs/decisions/0130-single-sign-on.md): which account an
// OpenID Connect identity (issuer + subject) signs in to, and a mark on accounts
// that sign-on created, until an administrator gives them a role and activates them.

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(ddl(db, `CREATE TABLE user_identities (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    email TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_sign_in_at TEXT,
    PRIMARY KEY (issuer, subject)
  )`)).execute(db);
  await sql.raw(`CREATE INDEX user_identities_user ON user_identities(user_id)`).execute(db);
  await sql.raw(ddl(db, `ALTER TABLE users ADD COLUMN awaiting_admin INTEGER NOT NULL DEFAULT 0`)).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`ALTER TABLE users DROP COLUMN awaiting_admin`).execute(db);
  await sql.raw(`DROP TABLE user_identities`).execute(db);
}
