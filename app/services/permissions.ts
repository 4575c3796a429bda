import type { Role } from '../../workflows/types';

// Who may do what: one table of rules, used by the route guards (require*)
// and again inside the decision service, so no route can bypass them.

export type ActingUser = { id: number; name: string; roles: Role[]; chapterId: number | null };

/** The scheduler that expires approvals acts under this identity. */
export const SYSTEM_ACTOR: ActingUser = { id: 0, name: 'Cosponsor scheduler', roles: [], chapterId: null };

export type ProposalSubject = { proposer_id: number; chapter_id: number; last_changed_by: number | null };

export type Action =
  | 'proposal.view'
  | 'proposal.create'
  | 'proposal.edit'
  | 'proposal.withdraw'
  | 'proposal.decide'
  | 'proposal.classify'
  | 'proposal.override'
  | 'proposal.expire'
  | 'review.queue'
  | 'register.view'
  | 'audit.run'
  | 'admin.manage';

export type Permission = { ok: true } | { ok: false; reason: string };

const allow: Permission = { ok: true };
const deny = (reason: string): Permission => ({ ok: false, reason });

export function hasRole(user: { roles: Role[] }, role: Role): boolean {
  return user.roles.includes(role);
}

function ownChapter(user: ActingUser, subject: ProposalSubject | undefined): boolean {
  return subject !== undefined && user.chapterId !== null && user.chapterId === subject.chapter_id;
}

export function can(user: ActingUser, action: Action, subject?: ProposalSubject): Permission {
  const staff = hasRole(user, 'staff');
  const lead = hasRole(user, 'chapter_lead');
  switch (action) {
    case 'proposal.view':
      if (staff || hasRole(user, 'reviewer') || hasRole(user, 'admin')) return allow;
      if (lead && ownChapter(user, subject)) return allow;
      return deny('Chapter leads see only their own chapter’s proposals.');
    case 'proposal.create':
      if (lead && user.chapterId !== null) return allow;
      return deny('Only a chapter lead with a chapter can propose a partnership.');
    case 'proposal.edit':
    case 'proposal.withdraw':
      if (lead && ownChapter(user, subject)) return allow;
      return deny('Only a chapter lead of this proposal’s chapter can change it.');
    case 'proposal.decide':
      if (!staff) return deny('Only staff make staff decisions.');
      if (subject && subject.proposer_id === user.id) {
        return deny('You proposed this partnership: another staff member must decide it (four-eyes rule).');
      }
      if (subject && subject.last_changed_by === user.id) {
        return deny('You made the last change to this proposal: another staff member must decide it (four-eyes rule).');
      }
      return allow;
    case 'proposal.classify':
    case 'proposal.override':
      if (!staff) return deny('Only staff classify agenda items and override step outcomes.');
      if (subject && subject.proposer_id === user.id) return deny('You proposed this partnership, so you cannot judge it.');
      return allow;
    case 'proposal.expire':
      return user.id === SYSTEM_ACTOR.id ? allow : deny('Approvals expire on their end date, by the scheduler only.');
    case 'review.queue':
      return staff ? allow : deny('The review queue is for staff.');
    case 'register.view':
      if (staff || lead || hasRole(user, 'reviewer') || hasRole(user, 'admin')) return allow;
      return deny('The decision register needs a role.');
    case 'audit.run':
      if (hasRole(user, 'reviewer') || staff || hasRole(user, 'admin')) return allow;
      return deny('Verifying the log is for reviewers, staff and admins.');
    case 'admin.manage':
      return hasRole(user, 'admin') ? allow : deny('Only admins manage users, chapters and the configuration.');
  }
}

/** The role a person acted in, as written on the decision record. */
export function roleFor(user: ActingUser, action: Action): string {
  if (user.id === SYSTEM_ACTOR.id) return 'system';
  if (action === 'proposal.decide' || action === 'proposal.classify' || action === 'proposal.override') return 'staff';
  if (action === 'proposal.edit' || action === 'proposal.withdraw' || action === 'proposal.create') return 'chapter_lead';
  return user.roles[0] ?? 'none';
}
