import type { Role } from '../workflows/types';
import { all, first, insertId, nowIso, qb, run } from './connection';

export type UserWithRoles = {
  id: number;
  email: string;
  name: string;
  chapter_id: number | null;
  chapter_name: string | null;
  active: number;
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
    .select(['u.id', 'u.email', 'u.name', 'u.chapter_id', 'c.name as chapter_name', 'u.active']);
}

export function userById(id: number): UserWithRoles | undefined {
  const row = first(baseUserQuery().where('u.id', '=', id));
  return row ? { ...row, roles: rolesOf(row.id) } : undefined;
}

export function userByEmail(email: string): (UserWithRoles & { password_hash: string }) | undefined {
  const row = first(baseUserQuery().select('u.password_hash').where('u.email', '=', email.trim().toLowerCase()));
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

export function chapterById(id: number) {
  return first(qb().selectFrom('chapters').selectAll().where('id', '=', id));
}
