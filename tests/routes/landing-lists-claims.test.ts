import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all, qb, withClock } from '../../db/connection';
import { listProposals } from '../../db/proposals';
import { createProposal } from '../../app/features/vetting/vetting.server';
import { groupOf } from '../../app/features/vetting/proposals.server';
import { can } from '../../workflows/policy';
import { actor, campaignId, daysFromToday, newPartner, proposalInReview } from '../integration/review-fixtures';
import { startApp, type TestApp } from '../support/app-server';
import { parseHtml, visibleText } from '../support/html';

// Issue 14, items 14 and 15: each role lands on its work; /proposals is paged by keyset with
// counts per group and filters; staff take a proposal in review so two do not work the same one.

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

const cookies = new Map<string, string>();
async function as(email: string): Promise<string> {
  if (!cookies.has(email)) cookies.set(email, await app.login(email));
  return cookies.get(email)!;
}

async function page(path: string, email: string) {
  const response = await app.fetch(path, { cookie: await as(email) });
  expect(response.status, path).toBe(200);
  return parseHtml(await response.text());
}

describe('landing', () => {
  it.each([
    ['lead@cosponsor.test', '/proposals'],
    ['staff@cosponsor.test', '/review'],
    ['reviewer@cosponsor.test', '/decisions'],
    ['admin@cosponsor.test', '/admin/users'],
  ])('sends %s from / to %s', async (email, landing) => {
    const response = await app.fetch('/', { cookie: await as(email) });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(landing);
  });
});

describe('/proposals, paged', () => {
  const CHICAGO_DRAFTS = 47;
  let created: number[] = [];
  beforeAll(() => {
    const lead = actor('lead@cosponsor.test');
    const partnerId = newPartner('Paging Test Collective');
    const start = Date.parse('2030-01-01T00:00:00Z');
    created = [];
    for (let i = 0; i < CHICAGO_DRAFTS; i++) {
      // Three at a time share a timestamp: the id breaks the tie, so no card repeats or goes missing.
      const at = start + Math.floor(i / 3) * 60_000;
      const { id } = withClock(
        () => at,
        () =>
          createProposal(lead, {
            partnerId,
            campaignId: campaignId(i % 2 ? 'israel_opt' : 'myanmar'),
            eventTitle: `Paging night ${String(i).padStart(2, '0')}`,
            eventDate: daysFromToday(60),
            eventPlace: 'Hall',
            eventDescription: 'An evening for the paging test.',
            kind: 'co_listing',
          }),
      );
      created.push(id);
    }
  });

  const idsOn = (html: ReturnType<typeof parseHtml>) => html.querySelectorAll('li[data-proposal]').map((li) => Number(li.getAttribute('data-proposal')));
  const linkNamed = (html: ReturnType<typeof parseHtml>, text: string) =>
    html.querySelectorAll('a').find((a) => visibleText(a).trim() === text)?.getAttribute('href') ?? null;

  it('counts every group as the database does, for a lead’s own chapter', async () => {
    const html = await page('/proposals', 'lead@cosponsor.test');
    const chicago = listProposals({ limit: 100_000 }).filter((p) => p.chapter_name === 'Chicago Local Group');
    const expected = { changes: 0, drafts: 0, in_progress: 0, waiting: 0, decided: 0 };
    for (const p of chicago) expected[groupOf(p)]++;
    for (const [key, count] of Object.entries(expected)) {
      expect(visibleText(html.querySelector(`#group-${key}-title`)!)).toContain(`(${count})`);
    }
    // The overview shows a few cards of each group and a link to all of them.
    expect(html.querySelectorAll('#group-drafts li[data-proposal]').length).toBeLessThan(expected.drafts);
    expect(linkNamed(html, `All ${expected.drafts} in “Drafts” →`)).toContain('group=drafts');
  });

  it('walks a group page by page with no card twice and none missing, and back', async () => {
    const chicagoDrafts = listProposals({ states: ['draft'], limit: 100_000 }).filter((p) => p.chapter_name === 'Chicago Local Group');
    expect(chicagoDrafts.length).toBeGreaterThanOrEqual(CHICAGO_DRAFTS);
    const seen: number[] = [];
    const pages: number[][] = [];
    let href: string | null = '/proposals?group=drafts';
    while (href) {
      const html = await page(href, 'lead@cosponsor.test');
      const ids = idsOn(html);
      expect(ids.length).toBeLessThanOrEqual(20);
      pages.push(ids);
      seen.push(...ids);
      if (pages.length === 1) expect(linkNamed(html, '← Newer')).toBeNull();
      href = linkNamed(html, 'Older →');
      expect(pages.length).toBeLessThan(20);
    }
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set(chicagoDrafts.map((p) => p.id)));
    for (const id of created) expect(seen).toContain(id);
    // Newest change first, ties by id.
    const order = chicagoDrafts.map((p) => p.id);
    expect(seen).toEqual(order);

    // From the second page, "Newer" leads back to exactly the first.
    const second = await page(`/proposals?group=drafts&after=${encodeURIComponent(cursorOf(pages[0].at(-1)!))}`, 'lead@cosponsor.test');
    expect(idsOn(second)).toEqual(pages[1]);
    const back = await page(linkNamed(second, '← Newer')!, 'lead@cosponsor.test');
    expect(idsOn(back)).toEqual(pages[0]);
  });

  it('filters by text and campaign; staff also by chapter; a lead never sees another chapter', async () => {
    const text = await page('/proposals?group=drafts&q=paging+night+07', 'lead@cosponsor.test');
    expect(idsOn(text)).toEqual([created[7]]);
    expect(visibleText(text.querySelector('#group-drafts-title')!)).toContain('(1)');

    const refugees = campaignId('myanmar');
    const byCampaign = await page(`/proposals?group=drafts&q=paging+night&campaign=${refugees}`, 'lead@cosponsor.test');
    expect(visibleText(byCampaign.querySelector('#group-drafts-title')!)).toContain(`(${Math.ceil(CHICAGO_DRAFTS / 2)})`);

    const bay = all(qb().selectFrom('chapters').select('id').where('name', '=', 'Bay Area Chapter'))[0].id;
    const staffBay = await page(`/proposals?chapter=${bay}`, 'staff@cosponsor.test');
    expect(visibleText(staffBay)).not.toContain('Paging night');
    const leadAsksBay = await page(`/proposals?chapter=${bay}&q=paging+night`, 'lead@cosponsor.test');
    expect(visibleText(leadAsksBay.querySelector('#group-drafts-title')!)).toContain(`(${CHICAGO_DRAFTS})`);
  });

  function cursorOf(id: number): string {
    const p = all(qb().selectFrom('proposals').select(['updated_at', 'id']).where('id', '=', id))[0];
    return `${p.updated_at}_${p.id}`;
  }
});

describe('“I’m reviewing this”', () => {
  let id: number;
  beforeAll(() => {
    id = proposalInReview({ partnerId: newPartner('Claim Test Alliance'), title: 'Claim test teach-in' });
  });
  const records = () => all(qb().selectFrom('decision_records').select('seq').where('proposal_id', '=', id)).length;
  const row = async (email: string) => (await page('/review', email)).querySelector(`tr[data-proposal="${id}"]`)!;

  it('shows days waiting in the queue', async () => {
    expect(visibleText(await row('staff@cosponsor.test'))).toMatch(/\b0 days\b/);
  });

  it('lets one staff member take a proposal, shows who and since when to the others, and lets go', async () => {
    const before = records();
    const taken = await app.post('/review?index', { intent: 'claim', proposal: String(id) }, await as('staff@cosponsor.test'));
    expect(taken.status).toBe(302);
    expect(visibleText(await row('staff@cosponsor.test'))).toContain('You are reviewing this');
    const other = visibleText(await row('staff2@cosponsor.test'));
    expect(other).toContain('Being reviewed by Priya Raman');
    expect(other).toMatch(/since \w{3} \d{1,2}, \d{4}/);
    expect(visibleText(await page(`/review/${id}`, 'staff2@cosponsor.test'))).toContain('Being reviewed by Priya Raman');

    // The second taker is refused with who holds it; nothing changes.
    const second = await app.post('/review?index', { intent: 'claim', proposal: String(id) }, await as('staff2@cosponsor.test'));
    expect(second.status).toBe(409);
    expect(visibleText(await second.text())).toContain('Priya Raman is already reviewing');
    // Only the holder lets go.
    expect((await app.post('/review?index', { intent: 'release', proposal: String(id) }, await as('staff2@cosponsor.test'))).status).toBe(409);

    const released = await app.post('/review?index', { intent: 'release', proposal: String(id), back: 'dossier' }, await as('staff@cosponsor.test'));
    expect(released.status).toBe(302);
    expect(released.headers.get('location')).toBe(`/review/${id}`);
    expect(visibleText(await row('staff2@cosponsor.test'))).not.toContain('Being reviewed by');
    // Taking and letting go is no decision: the log is as it was.
    expect(records()).toBe(before);
  });

  it('refuses a claim from anyone but staff (403), and from staff who may not decide it', async () => {
    for (const email of ['lead@cosponsor.test', 'reviewer@cosponsor.test', 'admin@cosponsor.test']) {
      const response = await app.post('/review?index', { intent: 'claim', proposal: String(id) }, await as(email));
      expect(response.status, email).toBe(403);
    }
    const staff = actor('staff@cosponsor.test');
    expect(can(staff, 'proposal.claim', { proposer_id: staff.id, chapter_id: 1, last_changed_by: null }).ok).toBe(false);
    expect(can(staff, 'proposal.claim', { proposer_id: -1, chapter_id: 1, last_changed_by: staff.id }).ok).toBe(false);
  });

  it('does not take a proposal on GET', async () => {
    await app.fetch(`/review?index&intent=claim&proposal=${id}`, { cookie: await as('staff@cosponsor.test') });
    expect(visibleText(await row('staff2@cosponsor.test'))).not.toContain('Being reviewed by');
  });
});
