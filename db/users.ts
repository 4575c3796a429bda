import type { Role } from '../workflows/types';
import type { Chapter } from './schema';
import { all, first, insertId, nowIso, prebuilt, qb, run } from './connection';

export type UserWithRoles = {
  id: number;
  email: string;
  name: string;
  chapter_id: number | null;
  chapter_name: string | null;
  active: number;
  /** 1 while an account single sign-on created waits for an administrator. */
  awaiting_admin: number;
  /** 1 after an administrator reset the password, until the person has chosen a new one. */
  password_change_required: number;
  roles: Role[];
};

export function createUser(input: {
  email: string;
  name: string;
  passwordHash: string;
  chapterId: number | null;
  roles: Role[];
}): number {
  const now = nowIso();
  const id = insertId(
    qb()
      .insertInto('users')
      .values({
        email: input.email.trim().toLowerCase(),
        name: input.name.trim(),
        password_hash: input.passwordHash,
        chapter_id: input.chapterId,
        created_at: now,
        updated_at: now,
      }),
  );
  setRoles(id, input.roles);
  return id;
}

export function setRoles(userId: number, roles: Role[]): void {
  run(qb().deleteFrom('user_roles').where('user_id', '=', userId));
  for (const role of new Set(roles)) run(qb().insertInto('user_roles').values({ user_id: userId, role }));
}

function rolesOf(userId: number): Role[] {
  return all(qb().selectFrom('user_roles').select('role').where('user_id', '=', userId).orderBy('role')).map(
    (r) => r.role as Role,
  );
}

function baseUserQuery() {
  return qb()
    .selectFrom('users as u')
    .leftJoin('chapters as c', 'c.id', 'u.chapter_id')
    .select(['u.id', 'u.email', 'u.name', 'u.chapter_id', 'c.name as chapter_name', 'u.active', 'u.awaiting_admin', 'u.password_change_required']);
}

export function userById(id: number): UserWithRoles | undefined {
  const row = first(baseUserQuery().where('u.id', '=', id));
  return row ? { ...row, roles: rolesOf(row.id) } : undefined;
}

export function userByEmail(email: string): (UserWithRoles & PasswordState) | undefined {
  const row = first(baseUserQuery().select(['u.password_hash', 'u.temporary_password_expires_at']).where('u.email', '=', email.trim().toLowerCase()));
  return row ? { ...row, roles: rolesOf(row.id) } : undefined;
}

export function listUsers(): UserWithRoles[] {
  const rows = all(baseUserQuery().orderBy('u.name'));
  const roles = all(qb().selectFrom('user_roles').select(['user_id', 'role']));
  const byUser = new Map<number, Role[]>();
  for (const r of roles) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r.role as Role]);
  return rows.map((row) => ({ ...row, roles: byUser.get(row.id) ?? [] }));
}

export function createChapter(name: string, region: string): number {
  return insertId(qb().insertInto('chapters').values({ name: name.trim(), region: region.trim(), created_at: nowIso() }));
}

export function listChapters(activeOnly = false) {
  let q = qb().selectFrom('chapters').selectAll().orderBy('name');
  if (activeOnly) q = q.where('active', '=', 1);
  return all(q);
}

const chapterWithId = prebuilt<{ id: number }, Chapter>(['id'], (p) => qb().selectFrom('chapters').selectAll().where('id', '=', p.id));

export function chapterById(id: number) {
  return first(chapterWithId({ id }));
}

// ---- Account and chapter administration (every change is also written to admin_log by the caller) ----

export function setUserActive(userId: number, active: boolean, at: string): void {
  // Activating an account that single sign-on created ends its wait for an administrator.
  const waiting = active ? { awaiting_admin: 0 } : {};
  run(qb().updateTable('users').set({ active: active ? 1 : 0, updated_at: at, ...waiting }).where('id', '=', userId));
}

export function setUserChapter(userId: number, chapterId: number | null, at: string): void {
  run(qb().updateTable('users').set({ chapter_id: chapterId, updated_at: at }).where('id', '=', userId));
}

/**
 * A name as two chapters must not share it: letters in any case, accents however encoded
 * (é, or e with a combining mark), spaces however many. SQLite's lower() folds A-Z only.
 */
const chapterNameKey = (name: string) => name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/** "Austin group", "AUSTIN  GROUP" and "Austin Group" are one chapter; so are "SAN JOSÉ" and "San José". */
export function chapterByName(name: string) {
  const key = chapterNameKey(name);
  // Compared here rather than in SQL, for every kind of letter; an organization has tens of chapters.
  const found = all(qb().selectFrom('chapters').select(['id', 'name'])).find((c) => chapterNameKey(c.name) === key);
  return found ? first(qb().selectFrom('chapters').selectAll().where('id', '=', found.id)) : undefined;
}

export function renameChapter(chapterId: number, name: string, region: string): void {
  run(qb().updateTable('chapters').set({ name: name.trim(), region: region.trim() }).where('id', '=', chapterId));
}

export function setChapterActive(chapterId: number, active: boolean): void {
  run(qb().updateTable('chapters').set({ active: active ? 1 : 0 }).where('id', '=', chapterId));
}

/** Active accounts per chapter, for the chapter list. */
export function activeMembersByChapter(): Map<number, number> {
  const rows = all(
    qb()
      .selectFrom('users')
      .select(['chapter_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('active', '=', 1)
      .where('chapter_id', 'is not', null)
      .groupBy('chapter_id'),
  );
  return new Map(rows.map((r) => [r.chapter_id as number, Number(r.n)]));
}

// ---- Passwords (docs/decisions/0380-password-change-and-reset.md) ----

export type PasswordState = { password_hash: string; temporary_password_expires_at: string | null };

export function passwordStateOf(userId: number): (PasswordState & { password_change_required: number; active: number }) | undefined {
  return first(
    qb().selectFrom('users').select(['password_hash', 'temporary_password_expires_at', 'password_change_required', 'active']).where('id', '=', userId),
  );
}

/**
 * Replaces the password, only if it is still the one the caller read (`expectedHash`): a change
 * made meanwhile (another tab, an administrator's reset) is never overwritten unseen.
 * Returns whether it was replaced.
 */
export function replacePassword(
  userId: number,
  expectedHash: string,
  next: { hash: string; changeRequired: boolean; temporaryUntil: string | null },
  at: string,
): boolean {
  return (
    run(
      qb()
        .updateTable('users')
        .set({
          password_hash: next.hash,
          password_change_required: next.changeRequired ? 1 : 0,
          temporary_password_expires_at: next.temporaryUntil,
          updated_at: at,
        })
        .where('id', '=', userId)
        .where('password_hash', '=', expectedHash),
    ).changes === 1
  );
}

/** Never matches a password: what a temporary password becomes once it has signed someone in. */
const USED_TEMPORARY_PASSWORD = '!temporary-password-used';

/**
 * A temporary password signs in once: this spends it, if it is still the one that was checked.
 * False when another sign-in spent it first.
 */
export function spendTemporaryPassword(userId: number, checkedHash: string, at: string): boolean {
  return replacePassword(userId, checkedHash, { hash: USED_TEMPORARY_PASSWORD, changeRequired: true, temporaryUntil: null }, at);
}
