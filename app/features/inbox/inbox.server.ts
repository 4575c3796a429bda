import { nowIso } from '../../../db/connection';
import {
  activeUserIdsWithRole,
  countInbox,
  countUnread,
  inboxEntries,
  insertInboxRows,
  isOwnInboxEntry,
  markAllInboxRead,
  markInboxRead,
  type InboxRowInput,
  type InboxScope,
} from '../../../db/inbox';
import type { NotificationFacts } from '../../../db/outside';
import { partnerById } from '../../../db/partners';
import { chapterById } from '../../../db/users';
import type { DecisionRecord, Proposal } from '../../../db/schema';
import { formatDate, stepLabel } from '../../utils/labels';
import { approvalConditionsOf } from '../vetting/proposal-view.server';
import { can, entersReview, isStaff } from '../../../workflows/policy';
import type { Role } from '../../../workflows/types';

// Who hears about a decision: the chapter's leads about staff decisions and
// expiries on their proposals; staff about proposals that enter review.

const FOR_LEADS: Record<string, { kind: string; verb: string }> = {
  approved: { kind: 'approved', verb: 'Approved' },
  rejected: { kind: 'rejected', verb: 'Rejected' },
  changes_requested: { kind: 'changes_requested', verb: 'Changes requested' },
  expired: { kind: 'expired', verb: 'Approval expired, re-vetting due' },
};

/**
 * Writes the inbox rows a decision calls for. Runs inside the decision's
 * transaction, so the rows exist exactly when the records do. factsOf: the
 * partner's and chapter's names as the decision's other notifications read
 * them, so they are read once; without it, each is read here.
 */
export function notifyInbox(
  proposal: Proposal,
  records: DecisionRecord[],
  factsOf?: (proposalId: number) => Pick<NotificationFacts, 'partner_name' | 'chapter_name'> | undefined,
): void {
  if (records.length === 0) return;
  const actorId = records[0]!.actor_id;
  const partnerName = () => (factsOf ? factsOf(proposal.id)?.partner_name : partnerById(proposal.partner_id)?.name);
  const chapterName = () => (factsOf ? factsOf(proposal.id)?.chapter_name : chapterById(proposal.chapter_id)?.name);
  // Most records (a step submitted mid-way) notify nobody: look names up only when needed.
  let described: string | null = null;
  const what = () => (described ??= `“${proposal.event_title}” with ${partnerName() ?? 'the partner'} (${proposal.reference})`);
  // Stamped with the decision's own time, like its records.
  const at = records[0]!.at;
  const rows: InboxRowInput[] = [];
  const add = (userIds: number[], record: DecisionRecord, kind: string, message: string) => {
    for (const userId of userIds) {
      if (userId === actorId) continue;
      rows.push({ userId, proposalId: proposal.id, decisionSeq: record.seq, kind, message, createdAt: at });
    }
  };

  for (const record of records) {
    const lead = FOR_LEADS[record.outcome];
    if (lead && (record.step === 'decision' || record.outcome === 'expired')) {
      const why = record.rationale ? `: ${record.rationale}` : '.';
      const where = record.outcome === 'changes_requested' ? ` (back to ${stepLabel(record.to_state)})` : '';
      add(activeUserIdsWithRole('chapter_lead', proposal.chapter_id), record, lead.kind, `${lead.verb}${where}: ${what()}${why}${approvalTerms(proposal, record)}`);
    }
    if (entersReview(record)) {
      // The proposer never reviews their own proposal, even when they are staff.
      const staff = activeUserIdsWithRole('staff').filter((id) => id !== proposal.proposer_id);
      const again = records.some((r) => r.outcome === 'reopened') ? 'Back in review' : 'New in review';
      const chapter = chapterName() ?? 'a chapter';
      add(staff, record, 'submitted', `${again}: ${what()}, from ${chapter}.`);
    }
  }
  insertInboxRows(rows);
}

/** The chapter's leads hear that the partner answered its questionnaire: its own evidence, to read beside the steps. */
export function notifyPartnerAnswered(proposal: Proposal, record: DecisionRecord): void {
  const partner = partnerById(proposal.partner_id)?.name ?? 'The partner';
  const message = `${partner} answered the questionnaire for “${proposal.event_title}” (${proposal.reference}): its own answers, shown beside the values, agenda and perception steps.`;
  insertInboxRows(
    activeUserIdsWithRole('chapter_lead', proposal.chapter_id).map((userId) => ({
      userId,
      proposalId: proposal.id,
      decisionSeq: record.seq,
      kind: 'partner_answered',
      message,
      createdAt: record.at,
    })),
  );
}

/** What an approval binds the chapter to: its end date and every condition, so the message alone is enough to act on. */
function approvalTerms(proposal: Pick<Proposal, 'approved_until'>, record: DecisionRecord): string {
  if (record.outcome !== 'approved') return '';
  // The record's inputs, parsed once for its conditions and its end date.
  let inputs: unknown = null;
  try {
    inputs = JSON.parse(record.inputs);
  } catch {
    // Inputs that are not JSON: no conditions, and the proposal's end date.
  }
  const conditions = approvalConditionsOf(inputs);
  // The proposal row is the one read before the decision: the end date comes from the record.
  const endDate = (inputs as { judged?: { endDate?: unknown } } | null)?.judged?.endDate;
  const untilDate = typeof endDate === 'string' ? endDate : proposal.approved_until;
  const until = untilDate ? ` Approved until ${formatDate(untilDate)}.` : '';
  const terms = conditions.length === 0 ? ' No conditions.' : ` Conditions: ${conditions.map((c, i) => `${i + 1}. ${c}`).join(' ')}`;
  return `${until}${terms}`;
}

export type InboxItem = {
  id: number;
  proposalId: number;
  reference: string;
  eventTitle: string;
  kind: string;
  message: string;
  createdAt: string;
  read: boolean;
  href: string;
};

export const INBOX_PAGE_SIZE = 50;

/** A signed-in user (chapter_id) or an acting user (chapterId). */
type InboxReader = { id: number; roles: Role[]; chapter_id?: number | null; chapterId?: number | null };

/**
 * The messages a person may read now follow what they may view now (a lead
 * moved to another chapter no longer reads the old chapter's rationales):
 * the proposal.view rule, as a chapter filter the query can apply.
 */
export function inboxScope(user: InboxReader): InboxScope {
  const everyChapter = { id: user.id, name: '', roles: user.roles, chapterId: null };
  // Someone who may view a proposal of no chapter of theirs may view every chapter's.
  if (can(everyChapter, 'proposal.view', { chapter_id: -1, proposer_id: -1, last_changed_by: null }).ok) return { chapterId: null };
  return { chapterId: user.chapterId ?? user.chapter_id ?? -1 };
}

/** One page of a person's inbox, newest first. Staff open the dossier; everyone else the proposal page. */
export function inboxFor(user: InboxReader, options: { unreadOnly?: boolean; page?: number } = {}): InboxItem[] {
  const staff = isStaff(user);
  const page = Math.max(1, options.page ?? 1);
  return inboxEntries(user.id, {
    scope: inboxScope(user),
    unreadOnly: options.unreadOnly,
    limit: INBOX_PAGE_SIZE,
    offset: (page - 1) * INBOX_PAGE_SIZE,
  }).map((e) => ({
    id: e.id,
    proposalId: e.proposal_id,
    reference: e.reference,
    eventTitle: e.event_title,
    kind: e.kind,
    message: e.message,
    createdAt: e.created_at,
    read: e.read_at !== null,
    href:
      staff && e.kind === 'screening_alert'
        ? `/review/${e.proposal_id}/screening`
        : staff && e.kind === 'submitted'
          ? `/review/${e.proposal_id}`
          : `/proposals/${e.proposal_id}`,
  }));
}

/** The header's badge, on every page: unread only (the total is the inbox page's alone). */
export function unreadCount(user: InboxReader): number {
  return countUnread(user.id, inboxScope(user));
}

export function inboxCounts(user: InboxReader) {
  const scope = inboxScope(user);
  return { unread: countUnread(user.id, scope), total: countInbox(user.id, scope) };
}

export type MarkReadResult =
  | { ok: true; outcome: 'marked' | 'already_read' }
  | { ok: false; kind: 'not_found'; message: string };

/**
 * Marks one of the person's own messages read. Already read is a success that writes
 * nothing (a double click on “Mark read”); someone else's message and a missing one
 * are the same refusal, so the answer does not tell whether a message exists.
 */
export function markRead(userId: number, id: number): MarkReadResult {
  if (markInboxRead(userId, id, nowIso())) return { ok: true, outcome: 'marked' };
  if (isOwnInboxEntry(userId, id)) return { ok: true, outcome: 'already_read' };
  return { ok: false, kind: 'not_found', message: 'This message is not in your inbox.' };
}

export function markAllRead(userId: number): number {
  return markAllInboxRead(userId, nowIso());
}
