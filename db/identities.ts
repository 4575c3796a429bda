import type { Role } from '../workflows/types';
import { first, insertId, qb, run } from './connection';
import { setRoles } from './users';

// Which account an OpenID Connect identity signs in to (issuer + subject, the pair the
// specification says is stable; an e-mail address can change hands).

export function identityUser(issuer: string, subject: string): number | undefined {
  return first(qb().selectFrom('user_identities').select('user_id').where('issuer', '=', issuer).where('subject', '=', subject))?.user_id;
}

/** The subject this account is already linked to at this issuer, if any. */
export function linkedSubject(userId: number, issuer: string): string | undefined {
  return first(qb().selectFrom('user_identities').select('subject').where('user_id', '=', userId).where('issuer', '=', issuer))?.subject;
}

export function linkIdentity(input: { issuer: string; subject: string; userId: number; email: string; at: string }): void {
  run(
    qb()
      .insertInto('user_identities')
      .values({ issuer: input.issuer, subject: input.subject, user_id: input.userId, email: input.email, created_at: input.at, last_sign_in_at: null }),
  );
}

export function noteIdentitySignIn(issuer: string, subject: string, email: string, at: string): void {
  run(qb().updateTable('user_identities').set({ last_sign_in_at: at, email }).where('issuer', '=', issuer).where('subject', '=', subject));
}

/** Never matches a password: the hash scheme is not one verifyPassword knows. */
const NO_PASSWORD = '!single-sign-on';

/**
 * An account single sign-on created. Without roles it is inactive and awaiting an
 * administrator; with roles from the provider's groups it is active at once.
 */
export function createSignOnUser(input: { email: string; name: string; roles: Role[]; at: string }): number {
  const active = input.roles.length > 0;
  const id = insertId(
    qb()
      .insertInto('users')
      .values({
        email: input.email.trim().toLowerCase(),
        name: input.name.trim(),
        password_hash: NO_PASSWORD,
        chapter_id: null,
        active: active ? 1 : 0,
        awaiting_admin: active ? 0 : 1,
        created_at: input.at,
        updated_at: input.at,
      }),
  );
  setRoles(id, input.roles);
  return id;
}
