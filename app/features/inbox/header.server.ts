import type { Role } from '../../../workflows/types';
import { unreadCount } from './inbox.server';

/** What the header shows besides the user: the unread inbox count (of what they may view now). */
export function headerExtras(user: { id: number; roles: Role[]; chapter_id?: number | null }) {
  return { unread: unreadCount(user) };
}
