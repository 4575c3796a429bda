import { describe, expect, it } from 'vitest';
import { all, first, qb } from '../../db/connection';
import { sqlRun } from '../support/sql';
import { formatVerifyResult, verifyLog } from '../../db/decision-log';
import { proposalRow } from '../../db/proposals';
import {
  createPartnerLink,
  openQuestionnaire,
  partnerEvidenceOf,
  revokePartnerLink,
  submitPartnerAnswers,
  tokenHash,
  unlockQuestionnaire,
  PASSCODE_THROTTLE,
} from '../../app/features/questionnaire/partner-links.server';
import type { PartnerAnswers, Questionnaire } from '../../app/features/questionnaire/questions';
import { actor, ALIGNED_ITEM, decideAs, newPartner, proposalInReview } from './review-fixtures';

// The partner answers for itself, on a real SQLite copy: links are made, revoked and answered,
// each on the record, and what is shown is checked by the verifier like every other shown row.

const lead = () => actor('lead@cosponsor.test');

function answersFor(q: Questionnaire, name = 'Amal Haddad'): PartnerAnswers {
  return {
    respondent: { name, role: 'Coordinator' },
    leadership: 'A board of five, elected yearly; listed on our website.',
    funding: 'Member dues and two local foundations.',
    links: ['https://example.org/about'],
    positions: Object.fromEntries(q.positions.map((p) => [p.key, { stance: 'supports' as const, statement: 'Our 2025 statement.' }])),
    conditions: Object.fromEntries(q.perception.conditions.map((c) => [c.key, { answer: 'accept' as const, comment: '' }])),
    useOfName: q.useOfName ? { answer: 'accept', comment: '' } : null,
  };
}

async function linkFor(proposalId: number, passcode: string | null = null, days = 14, now = Date.now()) {
  const made = await createPartnerLink(lead(), proposalId, { contactName: 'Amal Haddad', contactEmail: 'amal@example.org', days, passcode }, now);
  if (!made.ok) throw new Error(made.message);
  return made;
}

const recordsOf = (proposalId: number) => all(qb().selectFrom('decision_records').selectAll().where('proposal_id', '=', proposalId).orderBy('seq'));

describe('making a link', () => {
  it('stores only the token’s SHA-256, expires in 14 days by default, and records who asked whom (never the token)', async () => {
    const id = proposalInReview({ partnerId: newPartner('Link Storage Group') });
    const before = proposalRow(id)!;
    const made = await linkFor(id);
    expect(made.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = first(qb().selectFrom('partner_links').selectAll().where('id', '=', made.linkId))!;
    expect(row.token_hash).toBe(tokenHash(made.token));
    expect(JSON.stringify(row)).not.toContain(made.token);
    const days = (Date.parse(row.expires_at) - Date.parse(row.created_at)) / 86_400_000;
    expect(days).toBe(14);
    const record = recordsOf(id).at(-1)!;
    expect(record).toMatchObject({ step: 'partner', outcome: 'partner_link_created', actor_role: 'chapter_lead', from_state: 'review', to_state: 'review' });
    expect(record.inputs).not.toContain(made.token);
    // Nothing about the proposal itself moved.
    expect(proposalRow(id)).toMatchObject({ state: before.state, version: before.version });
    expect(verifyLog().ok).toBe(true);
  });

  it('asks about the proposal’s agenda items, the perception conditions and the use-of-name clause', async () => {
    const id = proposalInReview({ partnerId: newPartner('Question Source Group') });
    const made = await linkFor(id);
    const page = openQuestionnaire(made.token, null);
    expect(page.ok).toBe(true);
    if (!page.ok) return;
    expect(page.questions!.positions.map((p) => p.text)).toEqual([ALIGNED_ITEM.text]);
    expect(page.questions!.perception.conditions.length).toBeGreaterThan(3);
    expect(page.questions!.useOfName?.text).toContain('Question Source Group');
    expect(page.event?.title).toBe('Test teach-in');
  });

  it('refuses a lead of another chapter and a decided proposal, writing nothing', async () => {
    const id = proposalInReview({ partnerId: newPartner('Refused Link Group') });
    const records = recordsOf(id).length;
    const other = await createPartnerLink(actor('lead2@cosponsor.test'), id, { contactName: 'X', contactEmail: '', days: 14, passcode: null });
    expect(other).toMatchObject({ ok: false, kind: 'forbidden' });
    expect(decideAs('staff@cosponsor.test', id, { type: 'REJECT', rationale: 'Not a fit.' }).ok).toBe(true);
    const decided = await createPartnerLink(lead(), id, { contactName: 'X', contactEmail: '', days: 14, passcode: null });
    expect(decided).toMatchObject({ ok: false, kind: 'not_allowed' });
    expect(recordsOf(id).length).toBe(records + 1);
    expect(all(qb().selectFrom('partner_links').select('id').where('proposal_id', '=', id))).toHaveLength(0);
  });
});

describe('answering', () => {
  it('records the answers once, as the partner’s, and the log still verifies', async () => {
    const id = proposalInReview({ partnerId: newPartner('Answering Group') });
    const made = await linkFor(id);
    const page = openQuestionnaire(made.token, null);
    if (!page.ok) throw new Error('not open');
    const answers = answersFor(page.questions!);
    const sent = submitPartnerAnswers(made.token, null, answers);
    expect(sent.ok).toBe(true);
    const record = recordsOf(id).at(-1)!;
    expect(record).toMatchObject({ step: 'partner', outcome: 'partner_answered', actor_id: null, actor_role: 'partner', actor_name: 'Amal Haddad (partner)' });
    expect(record.rationale).toMatch(/Partner-provided evidence, not a judgment/);
    expect(formatVerifyResult(verifyLog())).toMatch(/^OK/);
    // The chapter's lead hears of it in the inbox.
    const inbox = all(qb().selectFrom('inbox').select(['kind', 'message', 'decision_seq']).where('proposal_id', '=', id).where('kind', '=', 'partner_answered'));
    expect(inbox.length).toBeGreaterThan(0);
    expect(inbox[0]).toMatchObject({ decision_seq: record.seq });
    expect(inbox[0]!.message).toContain('Answering Group answered the questionnaire');
    const [evidence] = partnerEvidenceOf(id);
    expect(evidence).toMatchObject({ seq: record.seq, answers });

    // Double submit: refused, nothing more written.
    const count = recordsOf(id).length;
    expect(submitPartnerAnswers(made.token, null, answersFor(page.questions!, 'Someone Else'))).toMatchObject({ ok: false, kind: 'gone' });
    expect(recordsOf(id).length).toBe(count);
    expect(openQuestionnaire(made.token, null)).toMatchObject({ ok: false, kind: 'gone' });
  });

  it('the verifier finds answers edited in the database file and names them', async () => {
    const id = proposalInReview({ partnerId: newPartner('Tampered Answers Group') });
    const made = await linkFor(id);
    const page = openQuestionnaire(made.token, null);
    if (!page.ok) throw new Error('not open');
    expect(submitPartnerAnswers(made.token, null, answersFor(page.questions!)).ok).toBe(true);
    const row = first(qb().selectFrom('partner_links').select(['answers']).where('id', '=', made.linkId))!;
    const edited = row.answers!.replace('Member dues', 'Anonymous donors');
    sqlRun('UPDATE partner_links SET answers = ? WHERE id = ?', edited, made.linkId);
    try {
      const result = verifyLog();
      expect(result.ok).toBe(false);
      expect(formatVerifyResult(result)).toMatch(new RegExp(`partner's answers shown on the proposal \\(link ${made.linkId}\\) differ .*the answers`));
    } finally {
      sqlRun('UPDATE partner_links SET answers = ? WHERE id = ?', row.answers, made.linkId);
    }
    expect(verifyLog().ok).toBe(true);
  });

  it('a revoked, expired or unknown link answers nothing and writes nothing', async () => {
    const id = proposalInReview({ partnerId: newPartner('Dead Links Group') });
    const revoked = await linkFor(id);
    expect(revokePartnerLink(lead(), id, revoked.linkId).ok).toBe(true);
    expect(recordsOf(id).at(-1)).toMatchObject({ outcome: 'partner_link_revoked' });
    expect(revokePartnerLink(lead(), id, revoked.linkId)).toMatchObject({ ok: false, kind: 'not_allowed' });
    const expired = await linkFor(id, null, 1, Date.now() - 2 * 86_400_000);
    const count = recordsOf(id).length;
    for (const token of [revoked.token, expired.token]) {
      expect(openQuestionnaire(token, null)).toMatchObject({ ok: false, kind: 'gone' });
    }
    expect(openQuestionnaire('A'.repeat(43), null)).toMatchObject({ ok: false, kind: 'not_found' });
    expect(openQuestionnaire('../../etc', null)).toMatchObject({ ok: false, kind: 'not_found' });
    const q = JSON.parse(first(qb().selectFrom('partner_links').select('questions').where('id', '=', expired.linkId))!.questions) as Questionnaire;
    expect(submitPartnerAnswers(expired.token, null, answersFor(q))).toMatchObject({ ok: false, kind: 'gone' });
    expect(recordsOf(id).length).toBe(count);
  });

  it('a link stops taking answers once the proposal is withdrawn', async () => {
    const id = proposalInReview({ partnerId: newPartner('Withdrawn Meanwhile Group') });
    const made = await linkFor(id);
    expect(decideAs('lead@cosponsor.test', id, { type: 'WITHDRAW', reason: 'The event was cancelled.' }).ok).toBe(true);
    expect(openQuestionnaire(made.token, null)).toMatchObject({ ok: false, kind: 'gone' });
  });
});

describe('a passcode', () => {
  it('keeps the questionnaire closed until it is given, and throttles wrong guesses per link', async () => {
    const id = proposalInReview({ partnerId: newPartner('Passcode Group') });
    const made = await linkFor(id, 'olive-tree-42');
    const row = first(qb().selectFrom('partner_links').select('passcode_hash').where('id', '=', made.linkId))!;
    expect(row.passcode_hash).toMatch(/^scrypt\$/);
    expect(row.passcode_hash).not.toContain('olive-tree-42');
    const locked = openQuestionnaire(made.token, null);
    expect(locked).toMatchObject({ ok: true, locked: true, questions: null, event: null });
    const q = JSON.parse(first(qb().selectFrom('partner_links').select('questions').where('id', '=', made.linkId))!.questions) as Questionnaire;
    expect(submitPartnerAnswers(made.token, null, answersFor(q))).toMatchObject({ ok: false, kind: 'forbidden' });

    const t0 = Date.now();
    for (let i = 0; i < PASSCODE_THROTTLE.perLink; i++) {
      expect(await unlockQuestionnaire(made.token, `wrong-${i}`, '198.51.100.7', t0 + i)).toMatchObject({ ok: false, kind: 'invalid' });
    }
    // Blocked now, even with the right passcode, from any address; lifted after the window.
    expect(await unlockQuestionnaire(made.token, 'olive-tree-42', '203.0.113.9', t0 + 10)).toMatchObject({ ok: false, kind: 'throttled' });
    const later = t0 + PASSCODE_THROTTLE.windowMs + 1000;
    expect(await unlockQuestionnaire(made.token, 'olive-tree-42', '203.0.113.9', later)).toEqual({ ok: true, linkId: made.linkId });
    expect(openQuestionnaire(made.token, made.linkId)).toMatchObject({ ok: true, locked: false });
    expect(submitPartnerAnswers(made.token, made.linkId, answersFor(q)).ok).toBe(true);
  });
});
