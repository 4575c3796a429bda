import { sql, type Kysely } from 'kysely';
import { ddl } from './dialect';

// Frozen in time: this file must never import application code.
// Changing one's password and an administrator's reset (docs/decisions/0380-password-change-and-reset.md):
// - password_change_required: 1 after a reset, until the person has chosen a new password;
//   no page but the one to choose it opens before then.
// - temporary_password_expires_at: while set, password_hash is a temporary password an
//   administrator made, which signs in once and only until then. Cleared when it is used.

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(ddl(db, `ALTER TABLE users ADD COLUMN password_change_required INTEGER NOT NULL DEFAULT 0`)).execute(db);
  await sql.raw(ddl(db, `ALTER TABLE users ADD COLUMN temporary_password_expires_at TEXT`)).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`ALTER TABLE users DROP COLUMN temporary_password_expires_at`).execute(db);
  await sql.raw(`ALTER TABLE users DROP COLUMN password_change_required`).execute(db);
}
