import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// The sign-in throttle counts failures per account and address pair, and asks whether an
// account has signed in from an address before (docs/decisions/0007-sign-in-throttling.md).
// One index on (email, ip, success, at) answers both from the index alone, however many
// failures an attacker has written for the account from other addresses. Same text on
// SQLite and PostgreSQL.

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw('CREATE INDEX login_attempts_pair ON login_attempts(email, ip, success, at)').execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('DROP INDEX login_attempts_pair').execute(db);
}
