import { countUnread } from '../../../db/inbox';

/** What the header shows besides the user: the unread inbox count. */
export function headerExtras(user: { id: number }) {
  return { unread: countUnread(user.id) };
}
