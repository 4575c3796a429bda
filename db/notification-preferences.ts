import { all, qb, run } from './connection';

// Which e-mails each person wants. A kind with no row is on (migration 0150).

/** The kinds this person has set, as kind -> wants e-mail. */
export function emailPreferencesOf(userId: number): Map<string, boolean> {
  const rows = all(qb().selectFrom('notification_preferences').select(['kind', 'email']).where('user_id', '=', userId));
  return new Map(rows.map((r) => [r.kind, r.email === 1]));
}

/** The people among userIds who turned this kind off. */
export function usersWithEmailOff(kind: string, userIds: number[]): Set<number> {
  if (userIds.length === 0) return new Set();
  const rows = all(
    qb()
      .selectFrom('notification_preferences')
      .select('user_id')
      .where('kind', '=', kind)
      .where('email', '=', 0)
      .where('user_id', 'in', userIds),
  );
  return new Set(rows.map((r) => r.user_id));
}

/** Stores every given kind for this person (a kind left out keeps its value). */
export function saveEmailPreferences(userId: number, preferences: Record<string, boolean>, at: string): void {
  for (const [kind, email] of Object.entries(preferences)) {
    run(
      qb()
        .insertInto('notification_preferences')
        .values({ user_id: userId, kind, email: email ? 1 : 0, updated_at: at })
        .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet({ email: email ? 1 : 0, updated_at: at })),
    );
  }
}
