import { insertOutboxRow, notificationFacts, outboxKeyExists, proposalsWithDatesBetween, type NotificationFacts } from '../../../db/outside';
import { usersWithEmailOff } from '../../../db/notification-preferences';
import { listUsers, userById, type UserWithRoles } from '../../../db/users';
import type { DecisionRecord } from '../../../db/schema';
import { can, isApproved, isAtStep, isClosed, stepLabel, type ActingUser, type ProposalSubject } from '../../../workflows/policy';
import { formatDate } from '../../utils/labels';
import {
  REMINDER_DAYS,
  appLink,
  composeEmail,
  describeProposal,
  isSendableAddress,
  smtpConfig,
  type EmailKind,
  type EmailPayload,
  type MessageFacts,
} from './email.server';
import { notificationKindOf, type NotificationKind } from './notifications.server';

// Who is e-mailed about what. Every "may this person hear about it" is a question to
// workflows/policy.ts: a submission goes to the staff who may decide that proposal, a
// decision to its proposer while they may still view it; then each person's own choice
// (notification_preferences) filters. Rows are queued in the outbox, one per person.

export const EMAIL_CHANNEL = 'email';

const mailbox = (u: UserWithRoles) => ({ name: u.name, address: u.email });

const acting = (u: UserWithRoles): ActingUser => ({ id: u.id, name: u.name, roles: u.roles, chapterId: u.chapter_id });

type Facts = NonNullable<ReturnType<typeof notificationFacts>>;

const subjectOf = (f: Facts): ProposalSubject => ({ proposer_id: f.proposer_id, chapter_id: f.chapter_id, last_changed_by: f.last_changed_by });

const messageFacts = (f: Facts): MessageFacts => ({
  reference: f.reference,
  eventTitle: f.event_title,
  eventDate: formatDate(f.event_date),
  partner: f.partner_name,
  chapter: f.chapter_name,
});

/** The people among `users` who may receive this kind: active, with an address we can send to, and not opted out. */
function wanting(kind: EmailKind, users: UserWithRoles[]): UserWithRoles[] {
  const candidates = users.filter((u) => u.active === 1 && isSendableAddress(u.email));
  const off = usersWithEmailOff(
    kind,
    candidates.map((u) => u.id),
  );
  return candidates.filter((u) => !off.has(u.id));
}

/** The staff who may decide this proposal as it now stands (four-eyes included). */
function decidersOf(facts: Facts): UserWithRoles[] {
  return listUsers().filter((u) => can(acting(u), 'proposal.decide', subjectOf(facts)).ok);
}

/** The proposer, while they may still view the proposal (a lead moved to another chapter is not told). */
function proposerOf(facts: Facts): UserWithRoles[] {
  const proposer = userById(facts.proposer_id);
  return proposer && can(acting(proposer), 'proposal.view', subjectOf(facts)).ok ? [proposer] : [];
}

const EMAIL_KIND_OF: Partial<Record<NotificationKind, EmailKind>> = {
  submitted: 'submitted',
  approved: 'decided',
  rejected: 'decided',
  changes_requested: 'changes_requested',
};

function decisionEmail(kind: NotificationKind, record: DecisionRecord, facts: Facts, to: UserWithRoles): EmailPayload {
  const about = describeProposal(messageFacts(facts));
  const by = `${record.actor_name}`;
  switch (kind) {
    case 'submitted':
      return composeEmail({
        to: mailbox(to),
        subject: `Ready for your decision: ${facts.reference} ${facts.event_title}`,
        lines: [`A proposal is waiting for a staff decision.`, about],
        link: { href: appLink(`/review/${facts.id}`), label: 'Open the dossier' },
        why: 'You receive this because you may decide this proposal.',
      });
    case 'approved': {
      const until = facts.approved_until ? ` The approval runs until ${formatDate(facts.approved_until)}.` : '';
      return composeEmail({
        to: mailbox(to),
        subject: `Approved: ${facts.reference} ${facts.event_title}`,
        lines: [`${by} approved your proposal.${until}`, about, 'The conditions and the reasoning are on the proposal page.'],
        link: { href: appLink(`/proposals/${facts.id}`), label: 'Open the proposal' },
        why: 'You receive this because you made this proposal.',
      });
    }
    case 'rejected':
      return composeEmail({
        to: mailbox(to),
        subject: `Rejected: ${facts.reference} ${facts.event_title}`,
        lines: [`${by} rejected your proposal.`, about, 'The reasoning is on the proposal page.'],
        link: { href: appLink(`/proposals/${facts.id}`), label: 'Open the proposal' },
        why: 'You receive this because you made this proposal.',
      });
    case 'changes_requested':
      return composeEmail({
        to: mailbox(to),
        subject: `Changes requested: ${facts.reference} ${facts.event_title}`,
        lines: [`${by} sent your proposal back to the ${isAtStep(record.to_state) ? stepLabel(record.to_state) : record.to_state} step.`, about, 'What to change is on the proposal page.'],
        link: { href: appLink(`/proposals/${facts.id}`), label: 'Open the proposal' },
        why: 'You receive this because you made this proposal.',
      });
  }
}

/**
 * Queues the e-mails these records call for. Runs inside the decision's transaction (the
 * outbox's caller checks), so the e-mails are queued exactly when the decision commits.
 * Returns the number of rows queued; nothing when SMTP_URL is not set.
 */
export function enqueueDecisionEmails(
  records: DecisionRecord[],
  factsOf: (proposalId: number) => NotificationFacts | undefined = notificationFacts,
): number {
  if (!smtpConfig()) return 0;
  let queued = 0;
  for (const record of records) {
    const kind = notificationKindOf(record);
    const emailKind = kind ? EMAIL_KIND_OF[kind] : undefined;
    if (!kind || !emailKind) continue;
    const facts = factsOf(record.proposal_id);
    if (!facts) continue;
    const people = wanting(emailKind, emailKind === 'submitted' ? decidersOf(facts) : proposerOf(facts));
    for (const person of people) {
      // Nobody is told about what they did themselves.
      if (person.id === record.actor_id) continue;
      const inserted = insertOutboxRow({
        channel: EMAIL_CHANNEL,
        idempotencyKey: `cosponsor-${record.seq}-email-${person.id}`,
        payload: JSON.stringify(decisionEmail(kind, record, facts, person)),
        decisionSeq: record.seq,
        createdAt: record.at,
        event: `proposal.${kind}`,
        proposalId: facts.id,
        recipient: person.email,
      });
      if (inserted) queued += 1;
    }
  }
  return queued;
}

// ---- Reminders ----

const DAY_MS = 86_400_000;
const dayOf = (date: Date) => date.toISOString().slice(0, 10);
const daysBetween = (fromDay: string, toDay: string) => Math.round((Date.parse(`${toDay}T00:00:00Z`) - Date.parse(`${fromDay}T00:00:00Z`)) / DAY_MS);

/** The reminder a date calls for today: the smallest of 30/7/1 it is within, or null when it is past or further. */
function reminderThreshold(daysLeft: number): number | null {
  if (daysLeft < 1) return null;
  const within = REMINDER_DAYS.filter((d) => daysLeft <= d);
  return within.length ? Math.min(...within) : null;
}

export type ReminderRow = { key: string; event: string; proposalId: number; recipient: string; payload: EmailPayload };

function reminderEmail(kind: 'approval_ending' | 'event_upcoming', facts: Facts, daysLeft: number, to: UserWithRoles): EmailPayload {
  const inDays = daysLeft === 1 ? 'tomorrow' : `in ${daysLeft} days`;
  const about = describeProposal(messageFacts(facts));
  if (kind === 'approval_ending') {
    return composeEmail({
      to: mailbox(to),
      subject: `Approval ends ${inDays}: ${facts.reference} ${facts.event_title}`,
      lines: [
        `The approval of your partnership ends ${inDays}, on ${formatDate(facts.approved_until)}. After that date it must be vetted again.`,
        about,
      ],
      link: { href: appLink(`/proposals/${facts.id}`), label: 'Open the proposal' },
      why: 'You receive this because you made this proposal.',
    });
  }
  const standing = isApproved(facts.state) ? 'It is approved: remember its conditions.' : 'It is not approved yet.';
  return composeEmail({
    to: mailbox(to),
    subject: `Event ${inDays}: ${facts.reference} ${facts.event_title}`,
    lines: [`The event of your proposal takes place ${inDays}, on ${formatDate(facts.event_date)}. ${standing}`, about],
    link: { href: appLink(`/proposals/${facts.id}`), label: 'Open the proposal' },
    why: 'You receive this because you made this proposal.',
  });
}

/**
 * The reminders due on `today`, each with a key unique to (what, proposal, date, threshold,
 * person): queueing the same reminder again is a no-op, so the job may run as often as it
 * likes. A date moved (a new approval) gets reminders of its own.
 */
export function dueReminders(now: Date): ReminderRow[] {
  const today = dayOf(now);
  const horizon = dayOf(new Date(Date.parse(`${today}T00:00:00Z`) + Math.max(...REMINDER_DAYS) * DAY_MS));
  const rows: ReminderRow[] = [];
  for (const candidate of proposalsWithDatesBetween(today, horizon)) {
    const dates: { kind: 'approval_ending' | 'event_upcoming'; day: string | null }[] = [
      // Only a running approval ends; only a proposal still alive has an event to prepare.
      { kind: 'approval_ending', day: isApproved(candidate.state) ? (candidate.approved_until?.slice(0, 10) ?? null) : null },
      { kind: 'event_upcoming', day: isClosed(candidate.state) ? null : candidate.event_date.slice(0, 10) },
    ];
    for (const { kind, day } of dates) {
      if (!day) continue;
      const daysLeft = daysBetween(today, day);
      const threshold = reminderThreshold(daysLeft);
      if (threshold === null) continue;
      const key = `cosponsor-reminder-${kind}-${candidate.id}-${day}-${threshold}d-${candidate.proposer_id}`;
      // Most runs find most reminders queued already: skip them before reading anything more.
      if (outboxKeyExists(key)) continue;
      const facts = notificationFacts(candidate.id);
      if (!facts) continue;
      for (const person of wanting(kind, proposerOf(facts))) {
        rows.push({
          key,
          event: `reminder.${kind}`,
          proposalId: candidate.id,
          recipient: person.email,
          payload: reminderEmail(kind, facts, daysLeft, person),
        });
      }
    }
  }
  return rows;
}

/** Queues one reminder unless its key is queued already; returns whether it was new. */
export function enqueueReminder(row: ReminderRow, at: string): boolean {
  return insertOutboxRow({
    channel: EMAIL_CHANNEL,
    idempotencyKey: row.key,
    payload: JSON.stringify(row.payload),
    decisionSeq: null,
    createdAt: at,
    event: row.event,
    proposalId: row.proposalId,
    recipient: row.recipient,
  });
}
