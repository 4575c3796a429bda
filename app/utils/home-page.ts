import { hasRole, isAdmin, isChapterLead, isStaff } from '../../workflows/policy';
import type { Role } from '../../workflows/types';

// Each person's work: staff on the review queue, a chapter lead on their chapter's proposals
// (what needs them first), a reviewer on the decision register, an admin on administration.
export function homePathOf(user: { roles: Role[] }): string {
  if (isStaff(user)) return '/review';
  if (isChapterLead(user)) return '/proposals';
  if (isAdmin(user)) return '/admin/users';
  if (hasRole(user, 'reviewer')) return '/decisions';
  return '/proposals';
}
