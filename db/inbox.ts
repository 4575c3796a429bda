import { all, first, prebuilt, qb, run } from './connection';

/** Which proposals' messages count: those of one chapter, or (null) of every chapter. */
export type InboxScope = { chapterId: number | null };

function scopedInbox(userId: number, scope: InboxScope) {
  let q = qb().selectFrom('inbox as i').innerJoin('proposals as p', 'p.id', 'i.proposal_id').where('i.user_id', '=', userId);
  if (scope.chapterId !== null) q = q.where('p.chapter_id', '=', scope.chapterId);
  return q;
}

export function countInbox(userId: number, scope: InboxScope = { chapterId: null }): number {
  return first(scopedInbox(userId, scope).select((eb) => eb.fn.countAll<number>().as('n')))?.n ?? 0;
}

/** Read from the counts the triggers keep (migration 0125): the header shows it on every page. */
export function countUnread(userId: number, scope: InboxScope = { chapterId: null }): number {
  let q = qb().selectFrom('inbox_unread').select((eb) => eb.fn.sum<number | null>('n').as('n')).where('user_id', '=', userId);
  if (scope.chapterId !== null) q = q.where('chapter_id', '=', scope.chapterId);
  return Number(first(q)?.n ?? 0);
}

// ---- Writing and reading the inbox (staff review) ----

export type InboxRowInput = {
  userId: number;
  proposalId: number;
  decisionSeq: number | null;
  kind: string;
  message: string;
  createdAt: string;
};

type InboxRow = { user_id: number; proposal_id: number; decision_seq: number | null; kind: string; message: string; created_at: string };
// Run on every decision that notifies anyone: built and compiled once.
const insertInboxRow = prebuilt<InboxRow, unknown>(['user_id', 'proposal_id', 'decision_seq', 'kind', 'message', 'created_at'], (row) =>
  qb().insertInto('inbox').values(row),
);

export function insertInboxRows(rows: InboxRowInput[]): void {
  for (const r of rows) {
    run(
      insertInboxRow({
        user_id: r.userId,
        proposal_id: r.proposalId,
        decision_seq: r.decisionSeq,
        kind: r.kind,
        message: r.message,
        created_at: r.createdAt,
      }),
    );
  }
}

function usersWithRole(role: string) {
  return qb()
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .select('u.id')
    .where('r.role', '=', role)
    .where('u.active', '=', 1);
}
const activeWithRole = prebuilt<{ role: string }, { id: number }>(['role'], (p) => usersWithRole(p.role).orderBy('u.id'));
const activeWithRoleInChapter = prebuilt<{ role: string; chapterId: number }, { id: number }>(['role', 'chapterId'], (p) =>
  usersWithRole(p.role).where('u.chapter_id', '=', p.chapterId).orderBy('u.id'),
);

/** Active people holding a role, optionally only those of one chapter. */
export function activeUserIdsWithRole(role: string, chapterId?: number): number[] {
  const query = chapterId === undefined ? activeWithRole({ role }) : activeWithRoleInChapter({ role, chapterId });
  return all(query).map((u) => u.id);
}

export type InboxEntry = {
  id: number;
  proposal_id: number;
  decision_seq: number | null;
  kind: string;
  message: string;
  created_at: string;
  read_at: string | null;
  reference: string;
  event_title: string;
  state: string;
};

/** A person's inbox, newest first; unread only when asked. */
export function inboxEntries(
  userId: number,
  options: { unreadOnly?: boolean; limit?: number; offset?: number; scope?: InboxScope } = {},
): InboxEntry[] {
  let q = scopedInbox(userId, options.scope ?? { chapterId: null })
    .select([
      'i.id',
      'i.proposal_id',
      'i.decision_seq',
      'i.kind',
      'i.message',
      'i.created_at',
      'i.read_at',
      'p.reference',
      'p.event_title',
      'p.state',
    ]);
  if (options.unreadOnly) q = q.where('i.read_at', 'is', null);
  return all(q.orderBy('i.id', 'desc').limit(options.limit ?? 100).offset(options.offset ?? 0));
}

/** Marks one entry read; only the owner's entry, and only once. Returns whether it changed. */
export function markInboxRead(userId: number, id: number, at: string): boolean {
  return (
    run(qb().updateTable('inbox').set({ read_at: at }).where('id', '=', id).where('user_id', '=', userId).where('read_at', 'is', null))
      .changes === 1
  );
}

/** Whether this entry is the person's own (read or not). */
export function isOwnInboxEntry(userId: number, id: number): boolean {
  return first(qb().selectFrom('inbox').select('id').where('id', '=', id).where('user_id', '=', userId)) !== undefined;
}

export function markAllInboxRead(userId: number, at: string): number {
  return run(qb().updateTable('inbox').set({ read_at: at }).where('user_id', '=', userId).where('read_at', 'is', null)).changes;
}
