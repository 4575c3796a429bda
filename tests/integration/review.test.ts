import { describe, expect, it } from 'vitest';
import { activeConfig } from '../../db/config';
import { all, first, qb } from '../../db/connection';
import { verifyLog } from '../../db/decision-log';
import { countUnread } from '../../db/inbox';
import { mouViewOf } from '../../db/mou-views';
import { currentAgendaItems, proposalRow } from '../../db/proposals';
import { recordsSinceVersion } from '../../db/review';
import { chapterById, createUser } from '../../db/users';
import { formatDate } from '../../app/utils/labels';
import { demoDesignationAnswer } from '../../db/seed-data/screening-fixtures';
import { inboxFor, markAllRead, markRead } from '../../app/features/inbox/inbox.server';
import { recordScreeningAnswer } from '../../app/features/outside/screening.server';
import {
  eventTiming,
  positionKeyFor,
  QUEUE_PAGE_SIZE,
  reviewDossier,
  reviewQueue,
  type QueueQuery,
} from '../../app/features/review/review.server';
import { createProposal } from '../../app/features/vetting/vetting.server';
import { parseWithZod } from '@conform-to/zod/v4';
import { statusOf } from '../../app/utils/errors.server';
import { decideReviewForm, invalidReviewForm, reviewFormSchema, typedValues } from '../../app/features/review/review-forms.server';
import {
  ALIGNED_ITEM,
  actor,
  campaignId,
  daysFromToday,
  decideAs,
  demoProposalId,
  newPartner,
  proposalInReview,
} from './review-fixtures';

const today = () => new Date().toISOString().slice(0, 10);
const everything: QueueQuery = { chapterId: null, campaignId: null, flag: null, page: 1 };

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) data.append(k, x);
  return data;
}

/** A decision form as the route handles it: parsed with its schema, decided, a refusal given its status and what was typed. */
function submitReviewForm(id: number, who: ReturnType<typeof actor>, data: FormData, day: string) {
  const submission = parseWithZod(data, { schema: reviewFormSchema(day) });
  const result =
    submission.status === 'success' ? decideReviewForm(id, who, submission.value) : invalidReviewForm(id, submission.error, submission.payload);
  return result.ok ? result : { ...result, status: statusOf(result), values: typedValues(submission.payload) };
}

function submit(id: number, email: string, fields: Record<string, string | string[]>) {
  return submitReviewForm(id, actor(email), form(fields), today());
}

describe('the review queue', () => {
  it('lists proposals in review oldest first, each with the flags its steps call for', () => {
    const plain = proposalInReview({ partnerId: newPartner('Queue Plain Group'), title: 'Plain one' });
    const concerns = proposalInReview({ partnerId: newPartner('Queue Concerns Group'), values: 'concerns', title: 'With concerns' });
    const unknown = proposalInReview({
      partnerId: newPartner('Queue Unknown Group'),
      agenda: [ALIGNED_ITEM, { text: 'Sister-city ties with a city abroad', scope: 'general', classification: 'unknown', positionKey: null }],
    });
    const conflict = proposalInReview({
      partnerId: newPartner('Queue Conflict Group'),
      agenda: [ALIGNED_ITEM, { text: 'Endorse our candidate for mayor', scope: 'event', classification: 'conflicting', positionKey: null }],
    });
    const critical = proposalInReview({ partnerId: newPartner('Queue Critical Group'), residual: [5, 5] });
    const perception = proposalInReview({
      partnerId: newPartner('Queue BDS Group', ['supports_bds']),
      perceptionConditions: 2,
    });
    const reject = proposalInReview({ partnerId: newPartner('Queue Party Office'), values: 'incompatible' });
    const screened = proposalInReview({ partnerId: newPartner('Queue Screened Group') });
    recordScreeningAnswer({
      partnerId: proposalRow(screened)!.partner_id,
      proposalId: screened,
      stage: 'creation',
      answer: demoDesignationAnswer,
      source: 'demo fixture',
    });

    const queue = reviewQueue(everything, today());
    const ids = queue.items.map((i) => i.id);
    // Oldest submission first: the demo's waiting proposal, then these in the order they were sent.
    expect(ids.indexOf(demoProposalId('A Fair Shot'))).toBeLessThan(ids.indexOf(plain));
    expect(ids.indexOf(plain)).toBeLessThan(ids.indexOf(screened));
    const flagsOf = (id: number) => queue.items.find((i) => i.id === id)!.flags;
    expect(flagsOf(plain)).toEqual([]);
    expect(flagsOf(concerns)).toEqual(['values_concerns']);
    expect(flagsOf(unknown)).toEqual(['unknown_items']);
    expect(flagsOf(conflict)).toEqual(['agenda_conflicts']);
    expect(flagsOf(critical)).toEqual(['critical_risk']);
    expect(flagsOf(perception)).toEqual(['perception_conditions']);
    expect(flagsOf(reject)).toEqual(['recommend_reject', 'values_concerns']);
    expect(flagsOf(screened)).toEqual(['screening_hits']);

    const onlyCritical = reviewQueue({ ...everything, flag: 'critical_risk' }, today());
    expect(onlyCritical.items.map((i) => i.id)).toEqual([critical]);
    const vaccines = reviewQueue({ ...everything, campaignId: campaignId('vaccines') }, today());
    expect(vaccines.items.map((i) => i.id)).toEqual([demoProposalId('A Fair Shot')]);
    const chicago = reviewQueue({ ...everything, chapterId: actor('lead@cosponsor.test').chapterId }, today());
    expect(chicago.items.map((i) => i.id)).toContain(plain);
    expect(chicago.items.map((i) => i.id)).not.toContain(demoProposalId('A Fair Shot'));
  });

  it('follows a staff override over the submitted outcome', () => {
    const id = proposalInReview({ partnerId: newPartner('Override Concerns Group'), values: 'concerns' });
    expect(reviewQueue(everything, today()).items.find((i) => i.id === id)!.flags).toEqual(['values_concerns']);
    const result = decideAs('staff@cosponsor.test', id, {
      type: 'OVERRIDE_OUTCOME',
      step: 'values',
      outcome: 'compatible',
      rationale: 'Their funding is published in the annual report.',
    });
    expect(result.ok).toBe(true);
    expect(reviewQueue(everything, today()).items.find((i) => i.id === id)!.flags).toEqual([]);
  });

  it('pages the queue, with the flags read for the page shown and for a flag filter', () => {
    const partner = newPartner('Paging Group');
    const made: number[] = [];
    for (let i = 0; i < QUEUE_PAGE_SIZE + 5; i += 1) {
      made.push(proposalInReview({ partnerId: partner, title: `Paging ${i}`, values: i % 2 ? 'concerns' : 'compatible' }));
    }
    const first = reviewQueue(everything, today());
    expect(first.items).toHaveLength(QUEUE_PAGE_SIZE);
    expect(first.total).toBe(first.waiting);
    const last = reviewQueue({ ...everything, page: first.pages }, today());
    expect(last.items.at(-1)!.id).toBe(made.at(-1));
    expect(last.items.at(-1)!.flags).toEqual(made.length % 2 === 0 ? ['values_concerns'] : []);
    const beyond = reviewQueue({ ...everything, page: 99 }, today());
    expect(beyond.page).toBe(first.pages);

    const concerns = reviewQueue({ ...everything, flag: 'values_concerns' }, today());
    const odd = made.filter((_, i) => i % 2 === 1);
    const all = [...concerns.items, ...reviewQueue({ ...everything, flag: 'values_concerns', page: 2 }, today()).items].map((i) => i.id);
    expect(odd.every((id) => all.includes(id))).toBe(true);
    expect(concerns.items.every((i) => i.flags.includes('values_concerns'))).toBe(true);
    expect(concerns.waiting).toBe(first.waiting);
  });

  it('marks event dates that are close or past', () => {
    const t = '2026-05-10';
    expect(eventTiming('2026-05-09', t)).toBe('past');
    expect(eventTiming('2026-05-10', t)).toBe('close');
    expect(eventTiming('2026-05-24', t)).toBe('close');
    expect(eventTiming('2026-05-25', t)).toBe('later');
  });
});

describe('the dossier', () => {
  it('shows the precedent of the same partner from another chapter, with the rationale', () => {
    // Example case 2: Chicago's rejection of the coalition is on screen when the Bay Area proposes it.
    const westside = first(qb().selectFrom('partners').select('id').where('name', '=', 'Westside Justice Coalition'))!.id;
    const id = proposalInReview({ lead: 'lead2@cosponsor.test', partnerId: westside, title: 'Oakland stop' });
    const dossier = reviewDossier(id, actor('staff@cosponsor.test'), today())!;
    const rejected = dossier.partnerPrecedent.find((p) => p.state === 'rejected')!;
    expect(rejected.chapterName).toBe('Chicago Local Group');
    const decision = rejected.decisions.find((d) => d.step === 'decision')!;
    expect(decision.outcome).toBe('rejected');
    expect(decision.rationale).toContain('antisemitic');
    expect(dossier.previous?.id).toBe(proposalRow(id)!.previous_proposal_id);
  });

  it('shows decisions on the same agenda item text and position from other proposals', () => {
    const id = proposalInReview({
      lead: 'lead2@cosponsor.test',
      partnerId: newPartner('Agenda Precedent Group'),
      agenda: [
        {
          text: 'Testimony of a family displaced after the demolition of their home',
          scope: 'event',
          classification: 'aligned',
          positionKey: 'end_forced_displacement',
        },
        { text: 'A brand new item nobody proposed', scope: 'general', classification: 'aligned', positionKey: 'arms_embargo' },
      ],
    });
    const dossier = reviewDossier(id, actor('staff@cosponsor.test'), today())!;
    const [testimony, other] = dossier.agendaPrecedent;
    // Example case 1 carried the same testimony and was approved.
    expect(testimony!.matches[0]).toMatchObject({
      event_title: expect.stringContaining('Homes Under Threat'),
      chapter_name: 'Chicago Local Group',
      decision_outcome: 'approved',
      matchedBy: ['text', 'position'],
    });
    expect(other!.matches.every((m) => m.position_key === 'arms_embargo' && m.matchedBy.join() === 'position')).toBe(true);
  });

  it('disables the decision for the proposer and for the last person to change it, with the reason', () => {
    const id = proposalInReview({ partnerId: newPartner('Four Eyes Group') });
    const lead = reviewDossier(id, actor('lead@cosponsor.test'), today())!;
    expect(lead.controls.decide).toEqual({ ok: false, reason: expect.stringContaining('Only staff') });
    const staff = reviewDossier(id, actor('staff@cosponsor.test'), today())!;
    expect(staff.controls.decide).toEqual({ ok: true });
  });
});

describe('deciding through the review form', () => {
  it('approves with conditions given one per line and in several inputs, until the event date by default', () => {
    const id = proposalInReview({ partnerId: newPartner('Approve Form Group'), eventInDays: 30 });
    const result = submit(id, 'staff@cosponsor.test', {
      intent: 'approve',
      version: String(proposalRow(id)!.version),
      conditions: ['The disclaimer is on the flyer.\n- Staff see the flyer first.', 'No logo beside the petition.'],
      endDate: '',
    });
    expect(result).toMatchObject({ ok: true, state: 'approved' });
    const proposal = proposalRow(id)!;
    expect(proposal.approved_until).toBe(daysFromToday(30));
    const record = first(qb().selectFrom('decision_records').selectAll().where('proposal_id', '=', id).orderBy('seq', 'desc'))!;
    expect(JSON.parse(record.inputs).command.conditions).toEqual([
      'The disclaimer is on the flyer.',
      'Staff see the flyer first.',
      'No logo beside the petition.',
    ]);
  });

  it('refuses an end date more than 12 months ahead, writing nothing', () => {
    const id = proposalInReview({ partnerId: newPartner('Too Long Group') });
    const before = proposalRow(id)!;
    const result = submit(id, 'staff@cosponsor.test', {
      intent: 'approve',
      version: String(before.version),
      conditions: '',
      endDate: daysFromToday(400),
    });
    expect(result).toMatchObject({ ok: false, status: 400 });
    expect(!result.ok && result.fieldErrors.endDate?.[0]).toContain('12 months');
    expect(proposalRow(id)).toEqual(before);
    // The service refuses it too, whatever the form lets through.
    const direct = decideAs('staff@cosponsor.test', id, { type: 'APPROVE', conditions: [], endDate: daysFromToday(400), rationale: '' });
    expect(direct.ok).toBe(false);
  });

  it('requires a rationale to reject and a step to request changes', () => {
    const id = proposalInReview({ partnerId: newPartner('Rationale Group') });
    const version = String(proposalRow(id)!.version);
    const reject = submit(id, 'staff@cosponsor.test', { intent: 'reject', version, rationale: 'no' });
    expect(!reject.ok && reject.fieldErrors.rationale).toBeTruthy();
    const changes = submit(id, 'staff@cosponsor.test', { intent: 'request_changes', version, step: '', rationale: 'Add the safety risk.' });
    expect(!changes.ok && changes.fieldErrors.step).toBeTruthy();
    const ok = submit(id, 'staff@cosponsor.test', { intent: 'request_changes', version, step: 'risk', rationale: 'Add the safety risk of the march.' });
    expect(ok).toMatchObject({ ok: true, state: 'risk' });
  });

  it('records one decision when two staff decide at once, and tells the other what changed', () => {
    const id = proposalInReview({ partnerId: newPartner('Race Group') });
    const seen = String(proposalRow(id)!.version);
    const first = submit(id, 'staff@cosponsor.test', { intent: 'approve', version: seen, conditions: 'Flyer reviewed by staff.', endDate: '' });
    const second = submit(id, 'staff2@cosponsor.test', {
      intent: 'reject',
      version: seen,
      rationale: 'The group would not accept our conditions in writing.',
    });
    expect(first.ok).toBe(true);
    expect(second).toMatchObject({ ok: false, status: 409 });
    if (second.ok) return;
    expect(second.values.rationale).toBe('The group would not accept our conditions in writing.');
    expect(second.changes.map((c) => [c.outcome, c.actor_name])).toEqual([['approved', 'Priya Raman']]);
    const decisions = all(qb().selectFrom('decision_records').select('outcome').where('proposal_id', '=', id).where('step', '=', 'decision'));
    expect(decisions).toEqual([{ outcome: 'approved' }]);
  });

  it('refuses the proposer who is also staff, and the staff member who made the last change', () => {
    const both = createUser({
      email: 'lead-and-staff@cosponsor.test',
      name: 'Lee Both',
      passwordHash: 'x',
      chapterId: actor('lead@cosponsor.test').chapterId,
      roles: ['chapter_lead', 'staff'],
    });
    const id = proposalInReview({ lead: 'lead-and-staff@cosponsor.test', partnerId: newPartner('Own Proposal Group') });
    expect(proposalRow(id)!.proposer_id).toBe(both);
    const own = submit(id, 'lead-and-staff@cosponsor.test', { intent: 'approve', version: String(proposalRow(id)!.version), conditions: '', endDate: '' });
    expect(own).toMatchObject({ ok: false, status: 403, formError: expect.stringContaining('four-eyes') });
    expect(reviewDossier(id, actor('lead-and-staff@cosponsor.test'), today())!.controls.decide).toMatchObject({ ok: false });

    const unknown = proposalInReview({
      partnerId: newPartner('Classified Then Decided Group'),
      agenda: [ALIGNED_ITEM, { text: 'Police exchange programmes', scope: 'general', classification: 'unknown', positionKey: null }],
    });
    const item = currentAgendaItems(unknown).find((i) => i.classification === 'unknown')!;
    const classified = submit(unknown, 'staff@cosponsor.test', {
      intent: 'classify',
      version: String(proposalRow(unknown)!.version),
      itemId: String(item.id),
      classification: 'compatible',
      positionKey: '',
      rationale: '',
      newPositionStatement: '',
      newPositionCampaign: '',
    });
    expect(classified.ok).toBe(true);
    const decide = reviewDossier(unknown, actor('staff@cosponsor.test'), today())!.controls.decide;
    expect(decide).toEqual({ ok: false, reason: expect.stringContaining('last change') });
    expect(reviewDossier(unknown, actor('staff2@cosponsor.test'), today())!.controls.decide).toEqual({ ok: true });
  });

  it('four-eyes: the staff member who overrode a step outcome cannot also approve', () => {
    const id = proposalInReview({ partnerId: newPartner('Override Then Approve Group'), values: 'incompatible' });
    expect(proposalRow(id)!.recommend_reject).toBe(1);
    const override = decideAs('staff2@cosponsor.test', id, {
      type: 'OVERRIDE_OUTCOME',
      step: 'values',
      outcome: 'compatible',
      rationale: 'The not-met rating rested on a misread statement.',
    });
    expect(override.ok).toBe(true);
    expect(proposalRow(id)!.last_changed_by).toBe(actor('staff2@cosponsor.test').id);
    expect(reviewDossier(id, actor('staff2@cosponsor.test'), today())!.controls.decide).toEqual({
      ok: false,
      reason: expect.stringContaining('last change'),
    });
    const approve = decideAs('staff2@cosponsor.test', id, { type: 'APPROVE', conditions: [], endDate: daysFromToday(30) });
    expect(approve.ok).toBe(false);
    expect(proposalRow(id)!.state).toBe('review');
    const decisions = all(qb().selectFrom('decision_records').select('outcome').where('proposal_id', '=', id).where('step', '=', 'decision'));
    expect(decisions).toEqual([]);
    expect(reviewDossier(id, actor('staff@cosponsor.test'), today())!.controls.decide).toEqual({ ok: true });
  });

  it('a staff decision marks the MOU version it was taken on as read by the decider', () => {
    const id = proposalInReview({ partnerId: newPartner('Decided On This MOU Group'), mou: 'draft' });
    const staff = actor('staff@cosponsor.test');
    expect(mouViewOf(staff.id, id)).toBeUndefined();
    const sent = decideAs('staff@cosponsor.test', id, { type: 'REQUEST_CHANGES', step: 'risk', rationale: 'Add the safety risk of the march.' });
    expect(sent.ok).toBe(true);
    expect(mouViewOf(staff.id, id)?.mou_version).toBe(1);
  });

  it('adds a position to the catalog while classifying, and the item says which version classified it', () => {
    const id = proposalInReview({
      partnerId: newPartner('New Position Group'),
      agenda: [ALIGNED_ITEM, { text: 'Ban tear gas exports', scope: 'general', classification: 'unknown', positionKey: null }],
    });
    const item = currentAgendaItems(id).find((i) => i.classification === 'unknown')!;
    const before = activeConfig().versions.positions;
    const result = submit(id, 'staff@cosponsor.test', {
      intent: 'classify',
      version: String(proposalRow(id)!.version),
      itemId: String(item.id),
      classification: 'aligned',
      positionKey: '',
      rationale: 'Covered by the arms-transfer work.',
      newPositionStatement: 'Stop exports of tear gas used against peaceful protesters',
      newPositionStance: 'calls_for',
      newPositionCampaign: '',
    });
    expect(result.ok).toBe(true);
    const config = activeConfig();
    expect(config.versions.positions).toBe(before + 1);
    const added = config.docs.positions.positions.at(-1)!;
    expect(added).toMatchObject({ key: 'stop_exports_of_tear_gas_used_against_peaceful', stance: 'calls_for' });
    const after = currentAgendaItems(id).find((i) => i.id === item.id)!;
    expect(after).toMatchObject({ classification: 'aligned', position_key: added.key, positions_version: before + 1 });
    const record = first(qb().selectFrom('decision_records').selectAll().where('proposal_id', '=', id).orderBy('seq', 'desc'))!;
    expect(record.outcome).toBe('classified');
    expect(JSON.parse(record.config_versions).positions).toBe(before + 1);
  });

  it('leaves the catalog as it was when the classification is refused', () => {
    const id = proposalInReview({
      partnerId: newPartner('Stale Position Group'),
      agenda: [ALIGNED_ITEM, { text: 'Rename the street', scope: 'general', classification: 'unknown', positionKey: null }],
    });
    const item = currentAgendaItems(id).find((i) => i.classification === 'unknown')!;
    const before = activeConfig().versions.positions;
    const result = submit(id, 'staff@cosponsor.test', {
      intent: 'classify',
      version: String(proposalRow(id)!.version - 1),
      itemId: String(item.id),
      classification: 'no_position',
      positionKey: '',
      newPositionStatement: 'Street names in other countries',
      newPositionStance: 'no_position',
    });
    expect(result).toMatchObject({ ok: false, status: 409 });
    expect(activeConfig().versions.positions).toBe(before);
  });

  it('keys new positions uniquely', () => {
    expect(positionKeyFor('Free the “Navalny” team!', new Set())).toBe('free_the_navalny_team');
    expect(positionKeyFor('Free the Navalny team', new Set(['free_the_navalny_team', 'free_the_navalny_team_2']))).toBe(
      'free_the_navalny_team_3',
    );
  });

  it('lists what was recorded after a version', () => {
    const id = proposalInReview({ partnerId: newPartner('Since Version Group') });
    const seen = proposalRow(id)!.version;
    decideAs('staff@cosponsor.test', id, { type: 'REQUEST_CHANGES', step: 'values', rationale: 'Evidence for transparency, please.' });
    expect(recordsSinceVersion(id, seen).map((r) => r.outcome)).toEqual(['changes_requested']);
    expect(recordsSinceVersion(id, seen + 1)).toEqual([]);
  });
});

describe('the inbox', () => {
  it('tells the chapter leads an approval’s end date and every condition, read from its record', () => {
    const lead = actor('lead@cosponsor.test');
    markAllRead(lead.id);
    const id = proposalInReview({ partnerId: newPartner('Approval Terms Group'), title: 'Terms evening' });
    const until = daysFromToday(60);
    const result = decideAs('staff@cosponsor.test', id, {
      type: 'APPROVE',
      conditions: ['Our logo appears only beside the event title', 'Speakers receive the talking points in advance'],
      endDate: until,
      rationale: 'Aligned agenda and a manageable risk.',
    });
    expect(result.ok).toBe(true);
    const items = inboxFor(lead, { unreadOnly: true });
    expect(items).toHaveLength(1);
    expect(items[0]!.message).toBe(
      `Approved: “Terms evening” with Approval Terms Group (${proposalRow(id)!.reference}): Aligned agenda and a manageable risk. ` +
        `Approved until ${formatDate(until)}. Conditions: 1. Our logo appears only beside the event title 2. Speakers receive the talking points in advance`,
    );
  });

  it('words an approval given without a rationale in plain words: the date as the pages write it, one condition or several', () => {
    const until = daysFromToday(45);
    for (const [conditions, expected] of [
      [[], `Approved until ${formatDate(until)}.`],
      [['Our logo appears only beside the event title'], `Approved until ${formatDate(until)} with 1 condition.`],
      [['Logo beside the title only', 'Talking points in advance'], `Approved until ${formatDate(until)} with 2 conditions.`],
    ] as const) {
      const id = proposalInReview({ partnerId: newPartner(`Plain Words Group ${conditions.length}`), title: 'Plain words evening' });
      const result = decideAs('staff@cosponsor.test', id, { type: 'APPROVE', conditions: [...conditions], endDate: until, rationale: '' });
      expect(result.ok).toBe(true);
      const record = all(qb().selectFrom('decision_records').select(['rationale']).where('proposal_id', '=', id).where('outcome', '=', 'approved'));
      expect(record.map((r) => r.rationale)).toEqual([expected]);
    }
  });

  it('tells staff about a new submission and the chapter leads about the decision, in the same transaction', () => {
    const staff = actor('staff@cosponsor.test');
    const lead = actor('lead@cosponsor.test');
    markAllRead(staff.id);
    markAllRead(lead.id);
    const id = proposalInReview({ partnerId: newPartner('Inbox Group'), title: 'Inbox evening' });
    const staffItems = inboxFor(staff, { unreadOnly: true });
    expect(staffItems).toHaveLength(1);
    expect(staffItems[0]).toMatchObject({ kind: 'submitted', proposalId: id, href: `/review/${id}` });
    // The names come from the notifications' one read of the proposal's facts.
    const reference = proposalRow(id)!.reference;
    const chapter = chapterById(lead.chapterId!)!.name;
    expect(staffItems[0]!.message).toBe(`New in review: “Inbox evening” with Inbox Group (${reference}), from ${chapter}.`);
    expect(inboxFor(lead, { unreadOnly: true })).toEqual([]);

    const result = decideAs('staff2@cosponsor.test', id, { type: 'REJECT', rationale: 'The partner declined the conditions.' });
    expect(result.ok).toBe(true);
    const leadItems = inboxFor(lead, { unreadOnly: true });
    expect(leadItems).toHaveLength(1);
    expect(leadItems[0]).toMatchObject({ kind: 'rejected', href: `/proposals/${id}` });
    expect(leadItems[0]!.message).toBe(`Rejected: “Inbox evening” with Inbox Group (${reference}): The partner declined the conditions.`);
    const row = first(qb().selectFrom('inbox').selectAll().where('id', '=', leadItems[0]!.id))!;
    expect(row.decision_seq).toBe(result.ok ? result.records[0]!.seq : -1);
    // The other chapter's lead hears nothing.
    expect(inboxFor(actor('lead2@cosponsor.test'), { unreadOnly: true }).some((i) => i.proposalId === id)).toBe(false);

    expect(countUnread(lead.id)).toBe(1);
    expect(markRead(staff.id, leadItems[0]!.id)).toMatchObject({ ok: false, kind: 'not_found' });
    expect(markRead(lead.id, leadItems[0]!.id)).toEqual({ ok: true, outcome: 'marked' });
    expect(countUnread(lead.id)).toBe(0);
  });

  it('writes nothing to the inbox when a decision is refused', () => {
    const id = proposalInReview({ partnerId: newPartner('Refused Inbox Group') });
    const count = () => first(qb().selectFrom('inbox').select((eb) => eb.fn.countAll<number>().as('n')))!.n;
    const before = count();
    const stale = form({ intent: 'approve', version: String(proposalRow(id)!.version + 5), conditions: '', endDate: '' });
    expect(submitReviewForm(id, actor('staff@cosponsor.test'), stale, today()).ok).toBe(false);
    expect(count()).toBe(before);
  });

  it('keeps the decision log verifiable', () => {
    expect(verifyLog()).toMatchObject({ ok: true });
  });
});

describe('creating a proposal for a partner vetted before', () => {
  it('links it to the earlier proposal', () => {
    const partner = newPartner('Linked Partner Group');
    const first = proposalInReview({ partnerId: partner });
    const { id } = createProposal(actor('lead@cosponsor.test'), {
      partnerId: partner,
      campaignId: campaignId('israel_opt'),
      eventTitle: 'Second time',
      eventDate: daysFromToday(60),
      eventPlace: 'Hall',
      eventDescription: 'Again.',
      kind: 'co_listing',
    });
    expect(proposalRow(id)!.previous_proposal_id).toBe(first);
  });
});
