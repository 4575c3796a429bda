import { all, insertId, qb } from './connection';
import { likeOperator } from './sql-dialect';

// Who changed which account or chapter, and when. Append-only: the table's
// triggers refuse UPDATE and DELETE, and this module offers neither.

export type AdminAction =
  | 'user.create'
  | 'user.roles'
  | 'user.chapter'
  | 'user.deactivate'
  | 'user.reactivate'
  | 'user.sign_on_create'
  | 'user.sign_on_link'
  /** An administrator gave the account a temporary password (never written here). */
  | 'user.password_reset'
  /** The person changed their own password. */
  | 'user.password_change'
  | 'chapter.create'
  | 'chapter.rename'
  | 'chapter.deactivate'
  | 'chapter.reactivate';

export function appendAdminLog(entry: {
  actorId: number;
  action: AdminAction;
  targetUserId?: number | null;
  targetChapterId?: number | null;
  details?: Record<string, unknown>;
  at: string;
}): number {
  return insertId(
    qb()
      .insertInto('admin_log')
      .values({
        actor_id: entry.actorId,
        action: entry.action,
        target_user_id: entry.targetUserId ?? null,
        target_chapter_id: entry.targetChapterId ?? null,
        details: JSON.stringify(entry.details ?? {}),
        at: entry.at,
      }),
  );
}

export type AdminLogEntry = {
  id: number;
  at: string;
  action: AdminAction;
  actor_id: number;
  actor_name: string;
  target_user_id: number | null;
  target_user_name: string | null;
  target_chapter_id: number | null;
  target_chapter_name: string | null;
  details: Record<string, unknown>;
};

/** Newest first; narrowed to one account or one chapter when asked. */
export function recentAdminLog(
  filter: { limit?: number; kind?: 'user' | 'chapter'; userId?: number; chapterId?: number } = {},
): AdminLogEntry[] {
  let q = qb()
    .selectFrom('admin_log as l')
    .innerJoin('users as a', 'a.id', 'l.actor_id')
    .leftJoin('users as t', 't.id', 'l.target_user_id')
    .leftJoin('chapters as c', 'c.id', 'l.target_chapter_id')
    .select([
      'l.id',
      'l.at',
      'l.action',
      'l.actor_id',
      'a.name as actor_name',
      'l.target_user_id',
      't.name as target_user_name',
      'l.target_chapter_id',
      'c.name as target_chapter_name',
      'l.details',
    ])
    .orderBy('l.id', 'desc')
    .limit(filter.limit ?? 20);
  if (filter.kind) q = q.where('l.action', likeOperator(), `${filter.kind}.%`);
  if (filter.userId !== undefined) q = q.where('l.target_user_id', '=', filter.userId);
  if (filter.chapterId !== undefined) q = q.where('l.target_chapter_id', '=', filter.chapterId);
  return all(q).map((row) => ({
    ...row,
    action: row.action as AdminAction,
    details: JSON.parse(row.details) as Record<string, unknown>,
  }));
}
