import { first, qb } from './connection';

export function countUnread(userId: number): number {
  return (
    first(
      qb()
        .selectFrom('inbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .where('read_at', 'is', null),
    )?.n ?? 0
  );
}
