import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { expireDueApprovals } from '../../app/jobs/expiry.server';
import { first, qb } from '../../db/connection';
import { mouVersion, proposalRow } from '../../db/proposals';
import { demoDesignationAnswer } from '../../db/seed-data/screening-fixtures';
import { saveMouVersion } from '../../app/features/mou/mou.server';
import { recordScreeningAnswer } from '../../app/features/outside/screening.server';
import { startApp, type TestApp } from '../support/app-server';
import { actor, daysFromToday, decideAs, newPartner, proposalInReview, leadWhoIsStaff } from '../integration/review-fixtures';
import { fieldValue, visibleText } from '../support/html';

let app: TestApp;
let staff: string;
beforeAll(async () => {
  app = await startApp();
  staff = await app.login('staff@cosponsor.test');
});
afterAll(() => app.close());
afterEach(() => vi.useRealTimers());

async function page(path: string, cookie: string) {
  const response = await app.fetch(path, { cookie });
  return { status: response.status, html: await response.text(), location: response.headers.get('location') };
}

/** The visible text of a page, roughly: tags dropped, entities of quotes decoded. */
/** The visible text of a page, read through an HTML parser. */
const text = (html: string) => visibleText(html);

describe('/review', () => {
  it('is for staff only', async () => {
    expect((await page('/review', '')).location).toBe('/login?redirectTo=%2Freview');
    const lead = await app.login('lead@cosponsor.test');
    const refused = await page('/review', lead);
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('The review queue is for staff.');
  });

  it('lists the waiting proposals with their flags, and filters with plain GET parameters', async () => {
    const critical = proposalInReview({ partnerId: newPartner('Route Critical Group'), residual: [5, 5], title: 'Route critical evening' });
    const all = await page('/review', staff);
    expect(all.status).toBe(200);
    expect(text(all.html)).toContain('A Fair Shot: Community Forum on Global Vaccine Equity');
    const row = text(all.html).split('Route critical evening')[1]!.slice(0, 400);
    expect(row).toContain('Critical residual risk');

    const filtered = await page('/review?flag=critical_risk', staff);
    expect(text(filtered.html)).toContain('Route critical evening');
    expect(text(filtered.html)).not.toContain('A Fair Shot: Community Forum');
    expect(filtered.html).toMatch(/<option value="critical_risk" selected="">/);
    const chapter = actor('lead2@cosponsor.test').chapterId;
    const bay = await page(`/review?chapter=${chapter}`, staff);
    expect(text(bay.html)).toContain('A Fair Shot: Community Forum');
    expect(text(bay.html)).not.toContain('Route critical evening');
    expect(proposalRow(critical)!.state).toBe('review');
  });

  it('marks an event date within 14 days', async () => {
    proposalInReview({ partnerId: newPartner('Route Soon Group'), eventInDays: 5, title: 'Route soon evening' });
    const html = text((await page('/review', staff)).html);
    expect(html.split('Route soon evening')[1]!.slice(0, 300)).toContain('Within 14 days');
  });
});

describe('/review/<id>', () => {
  it('shows the dossier with the step records, the precedent and the decision forms', async () => {
    const westside = first(qb().selectFrom('partners').select('id').where('name', '=', 'Westside Justice Coalition'))!.id;
    const id = proposalInReview({ lead: 'lead2@cosponsor.test', partnerId: westside, title: 'Route precedent evening' });
    const { status, html } = await page(`/review/${id}`, staff);
    expect(status).toBe(200);
    const t = text(html);
    expect(t).toContain('Precedent: this partner before');
    expect(t).toContain('Palestine Speaks: A Community Evening on Gaza');
    expect(t).toMatch(/Rejected .*antisemitic content/);
    expect(t).toContain('1. Values compatibility');
    expect(t).toContain('Heat map');
    expect(t).toContain('Decision record');
    expect(html).toContain(`name="version" value="${proposalRow(id)!.version}"`);
    expect(html).not.toContain('data-testid="decision-refusal"');
  });

  it('approves with conditions and redirects to the queue with a confirmation', async () => {
    const id = proposalInReview({ partnerId: newPartner('Route Approve Group'), eventInDays: 20 });
    const response = await app.post(
      `/review/${id}`,
      {
        intent: 'approve',
        version: String(proposalRow(id)!.version),
        conditions: 'The disclaimer is on the flyer.\nStaff see the final flyer.',
        endDate: daysFromToday(20),
        rationale: 'Sound vetting.',
      },
      staff,
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/review');
    const proposal = proposalRow(id)!;
    expect(proposal).toMatchObject({ state: 'approved', approved_until: daysFromToday(20) });
  });

  it('refuses an end date more than 12 months ahead and keeps the input', async () => {
    const id = proposalInReview({ partnerId: newPartner('Route Long Group') });
    const response = await app.post(
      `/review/${id}`,
      { intent: 'approve', version: String(proposalRow(id)!.version), conditions: 'Keep this condition', endDate: daysFromToday(500) },
      staff,
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(text(html)).toContain('An approval lasts at most 12 months');
    expect(html).toContain('Keep this condition</textarea>');
    expect(proposalRow(id)!.state).toBe('review');
  });

  it('answers a decision on a version someone else already changed with 409, what changed, and the text kept', async () => {
    const id = proposalInReview({ partnerId: newPartner('Route Race Group') });
    const seen = String(proposalRow(id)!.version);
    const other = await app.login('staff2@cosponsor.test');
    const firstResponse = await app.post(`/review/${id}`, { intent: 'approve', version: seen, conditions: '', endDate: '' }, other);
    expect(firstResponse.status).toBe(302);

    const late = await app.post(
      `/review/${id}`,
      { intent: 'reject', version: seen, rationale: 'The partner refused the written conditions' },
      staff,
    );
    expect(late.status).toBe(409);
    const html = await late.text();
    const t = text(html);
    expect(t).toContain('This proposal changed while you were deciding');
    expect(t).toMatch(/Staff decision\s*:\s*Approved by Tom Kessler \(Staff\)/);
    expect(html).toContain('The partner refused the written conditions</textarea>');
    expect(proposalRow(id)!.state).toBe('approved');
    expect(
      first(qb().selectFrom('decision_records').select((eb) => eb.fn.countAll<number>().as('n')).where('proposal_id', '=', id).where('step', '=', 'decision'))!.n,
    ).toBe(1);
  });

  it('shows a screening hit with its list, authority and date, and asks how it was weighed before deciding', async () => {
    const id = proposalInReview({ partnerId: newPartner('Route Screened Group'), title: 'Route screened evening' });
    recordScreeningAnswer({ partnerId: proposalRow(id)!.partner_id, proposalId: id, stage: 'creation', answer: demoDesignationAnswer, source: 'demo fixture' });
    const { html } = await page(`/review/${id}`, staff);
    const t = text(html);
    expect(t).toContain('Listed entities found');
    expect(t).toContain('Israel Terrorist Organization Designations (NBCTF)');
    expect(t).toContain('Authority: Minister of Defense of Israel');
    expect(t).toContain('Listed: Oct 22, 2021');
    expect(html).toContain('name="screeningAcknowledgement"');

    const version = String(proposalRow(id)!.version);
    const refused = await app.post(`/review/${id}`, { intent: 'approve', version, conditions: '', endDate: '' }, staff);
    expect(refused.status).toBe(400);
    expect(text(await refused.text())).toContain('how you weighed the listing');
    const approved = await app.post(
      `/review/${id}`,
      {
        intent: 'approve',
        version,
        conditions: '',
        endDate: '',
        screeningAcknowledgement: 'The designation is the one the organization condemned in 2021; it is not evidence of wrongdoing.',
      },
      staff,
    );
    expect(approved.status).toBe(302);
    expect(proposalRow(id)!.state).toBe('approved');
  });

  it('shows the proposer who is also staff the decision controls disabled, with the reason, and refuses the POST', async () => {
    await leadWhoIsStaff('route-both@cosponsor.test', 'Robin Both');
    const id = proposalInReview({ lead: 'route-both@cosponsor.test', partnerId: newPartner('Route Own Group') });
    const cookie = await app.login('route-both@cosponsor.test');
    const { html } = await page(`/review/${id}`, cookie);
    expect(html).toContain('data-testid="decision-refusal"');
    expect(text(html)).toContain('You proposed this partnership: another staff member must decide it (four-eyes rule).');
    expect(html).toMatch(/<fieldset disabled="" aria-describedby="decide-refusal"/);

    const response = await app.post(`/review/${id}`, { intent: 'reject', version: String(proposalRow(id)!.version), rationale: 'Deciding my own proposal' }, cookie);
    expect(response.status).toBe(403);
    expect(proposalRow(id)!.state).toBe('review');
  });
});

describe('/review/revetting', () => {
  it('lists a partner whose approval has ended as expired from the day after; the page writes nothing, the sweep records it', async () => {
    const id = proposalInReview({ partnerId: newPartner('Route Revetting Group'), eventInDays: 10 });
    expect(decideAs('staff@cosponsor.test', id, { type: 'APPROVE', conditions: [], endDate: daysFromToday(10), rationale: '' }).ok).toBe(true);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(Date.now() + 12 * 86_400_000));
    const cookie = await app.login('staff@cosponsor.test');
    const { html } = await page('/review/revetting', cookie);
    const row = text(html).split('Route Revetting Group')[1]!.slice(0, 300);
    expect(row).toContain('Expired');
    expect(row).toContain('No new proposal yet');
    expect(proposalRow(id)!.state).toBe('approved');
    expect(expireDueApprovals()).toContain(id);
    expect(proposalRow(id)!.state).toBe('expired');
  });
});

/** The flash cookie a redirect set, to send with the page it leads to. */
const flashOf = (response: Response) => /cosponsor_flash=[^;]+/.exec(response.headers.get('set-cookie') ?? '')![0];

describe('/inbox', () => {
  it('lists new submissions for staff and marks them read, one or all', async () => {
    const cookie = await app.login('staff2@cosponsor.test');
    await app.post('/inbox', { intent: 'read-all' }, cookie);
    proposalInReview({ partnerId: newPartner('Inbox Route Group A'), title: 'Inbox route A' });
    proposalInReview({ partnerId: newPartner('Inbox Route Group B'), title: 'Inbox route B' });
    const before = await page('/inbox', cookie);
    expect(text(before.html)).toContain('2 unread messages.');
    expect(before.html).toContain('aria-label="2 unread"');
    const id = fieldValue(before.html, 'id')!;
    expect((await app.post('/inbox', { intent: 'read', id }, cookie)).status).toBe(302);
    expect(text((await page('/inbox', cookie)).html)).toContain('1 unread message.');
    const readAll = await app.post('/inbox', { intent: 'read-all' }, cookie);
    expect(readAll.status).toBe(302);
    const after = await page('/inbox', `${cookie}; ${flashOf(readAll)}`);
    expect(text(after.html)).toContain('Marked 1 message read.');
    expect(text(after.html)).toContain('Nothing unread.');
    expect(after.html).not.toMatch(/aria-label="\d+ unread"/);
  });

  it('says there was nothing to mark when another tab had marked everything read', async () => {
    const cookie = await app.login('staff2@cosponsor.test');
    await app.post('/inbox', { intent: 'read-all' }, cookie);
    // The button shows only while something is unread: a second tab still shows it.
    const again = await app.post('/inbox', { intent: 'read-all' }, cookie);
    expect(again.status).toBe(302);
    const after = text((await page('/inbox', `${cookie}; ${flashOf(again)}`)).html);
    expect(after).toContain('Nothing was unread: every message was already marked read.');
    expect(after).not.toContain('Marked 0');
  });
});

describe('the MOU in the dossier', () => {
  it('shows the MOU in full on first reading, and what changed since this staff member last read it', async () => {
    const id = proposalInReview({ partnerId: newPartner('Route MOU Group'), mou: 'draft', title: 'Route MOU evening' });
    const firstView = await page(`/review/${id}`, staff);
    expect(text(firstView.html)).toContain('You are reading this MOU for the first time (version 1)');
    expect(firstView.html).not.toContain('data-testid="mou-diff"');
    // Reading writes nothing: it stays a first reading until staff mark it read (or decide on it).
    expect(text((await page(`/review/${id}`, staff)).html)).toContain('You are reading this MOU for the first time (version 1)');
    expect((await app.post(`/proposals/${id}/mou/versions`, { version: '1' }, staff)).status).toBe(302);
    expect(text((await page(`/review/${id}`, staff)).html)).toContain('No changes since you last read it (version 1)');

    expect(decideAs('staff@cosponsor.test', id, { type: 'APPROVE', conditions: [], endDate: null, rationale: '' }).ok).toBe(true);
    const lead = actor('lead@cosponsor.test');
    const current = mouVersion(id)!;
    const sections = current.sections.map((s) =>
      s.key === 'communication' ? { ...s, body: `${s.body} Both contacts answer within two working days.` } : s,
    );
    saveMouVersion({
      proposalId: id,
      actor: lead,
      sections,
      removedConditions: [],
      note: 'Response time agreed.',
      baseVersion: current.version,
      expectedProposalVersion: proposalRow(id)!.version,
      confirmVoidApproval: true,
    });
    expect(proposalRow(id)!.state).toBe('review');

    const later = await page(`/review/${id}`, staff);
    const t = text(later.html);
    expect(t).toContain('Changed since you last read version 1: now version 2.');
    expect(later.html).toContain('data-testid="mou-diff"');
    expect(t).toContain('[added: ');
    expect(t).toContain('Both contacts answer within two working days.');
    // Another staff member, who never read it, gets it in full.
    const other = await app.login('staff2@cosponsor.test');
    expect(text((await page(`/review/${id}`, other)).html)).toContain('You are reading this MOU for the first time (version 2)');
  });
});

describe('the review queue’s address', () => {
  it('says which filters it left out and why, as the register does, and shows the whole queue', async () => {
    const rows = (html: string) => html.split('<tr').length;
    const whole = (await page('/review', staff)).html;
    const odd = await page('/review?chapter=abc&campaign=0x2&flag=nope', staff);
    expect(odd.status).toBe(200);
    const shown = text(odd.html);
    expect(shown).toContain('Part of this filter was left out');
    expect(shown).toContain('The chapter “abc” was not used: it is not a chapter number.');
    expect(shown).toContain('The campaign “0x2” was not used: it is not a campaign number.');
    expect(shown).toContain('The flag “nope” was not used: it is not one of the flags listed.');
    // The same queue as with no filter.
    expect(rows(odd.html)).toBe(rows(whole));
    expect(text((await page('/review?flag=critical_risk', staff)).html)).not.toContain('left out');
  });
});
