import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../db/bundle';
import { all, first, qb } from '../../db/connection';
import { createPartner } from '../../db/partners';
import { userByEmail } from '../../db/users';
import type { ActingUser } from '../../workflows/policy';
import { createProposal } from '../../app/features/vetting/vetting.server';
import { startApp, type TestApp } from '../support/app-server';
import { find, parseHtml, visibleText } from '../support/html';

// The register pages over HTTP, against the built app and this file's copy of
// the demo database: filters in the URL, search, paging, chapter scoping, the
// CSV export, partner pages, the printable record and its verifiable bundle.

function actor(email: string): ActingUser {
  const u = userByEmail(email)!;
  return { id: u.id, name: u.name, roles: u.roles, chapterId: u.chapter_id };
}
const campaignId = (key: string) => first(qb().selectFrom('campaigns').select('id').where('key', '=', key))!.id;

function proposalWith(email: string, partner: { name: string; description?: string }, eventTitle: string) {
  const partnerId = createPartner(
    { name: partner.name, website: null, country: 'US', description: partner.description ?? 'A partner made for the register tests.', publicPositions: [] },
    null,
  );
  const proposal = createProposal(actor(email), {
    partnerId,
    campaignId: campaignId('guantanamo'),
    eventTitle,
    eventDate: '2031-05-01',
    eventPlace: 'Community hall',
    eventDescription: 'Letters to senators, with a short talk (habeas corpus).',
    kind: 'co_hosting',
  });
  return { partnerId, proposalId: proposal.id, reference: proposal.reference };
}

// Chicago (lead@): an accented name; a name and title a spreadsheet would run as formulas.
const comite = proposalWith('lead@cosponsor.test', { name: 'Comité de Solidaridad con los Pueblos' }, 'Letter-writing night: close Guantánamo');
const formula = proposalWith('lead@cosponsor.test', { name: '=HYPERLINK("https://evil.test","click")' }, '+SUM(1,2) evening');
// Bay Area (lead2@) only: Chicago's lead must not see it.
const zephyr = proposalWith('lead2@cosponsor.test', { name: 'Zephyr Bay Solidarity Circle' }, 'Zephyr vigil');

const chicagoId = actor('lead@cosponsor.test').chapterId!;
const bayId = actor('lead2@cosponsor.test').chapterId!;

let app: TestApp;
const cookie: Record<'reviewer' | 'lead' | 'staff', string> = { reviewer: '', lead: '', staff: '' };
beforeAll(async () => {
  app = await startApp();
  cookie.reviewer = await app.login('reviewer@cosponsor.test');
  cookie.lead = await app.login('lead@cosponsor.test');
  cookie.staff = await app.login('staff@cosponsor.test');
});
afterAll(() => app.close());

async function get(pathname: string, who: keyof typeof cookie = 'reviewer') {
  const response = await app.fetch(pathname, { cookie: cookie[who] });
  return { status: response.status, html: await response.text(), location: response.headers.get('location'), headers: response.headers };
}

/** The visible text of a page, read through an HTML parser. */
const text = (html: string) => visibleText(html);

/** The register rows of a page: [seq, proposal id], in page order. */
const rowsOf = (html: string) =>
  parseHtml(html)
    .querySelectorAll('tr[data-seq]')
    .map((tr) => [Number(tr.getAttribute('data-seq')), Number(tr.getAttribute('data-proposal'))] as const);
const seqsOf = (html: string) => rowsOf(html).map(([seq]) => seq);
const linkOf = (html: string, rel: 'prev' | 'next') => find(html, `a[rel="${rel}"]`)?.getAttribute('href') ?? null;

const recordCount = () => first(qb().selectFrom('decision_records').select((eb) => eb.fn.countAll<number>().as('n')))!.n;

describe('/decisions', () => {
  it('lists decision records newest first, with links to the partner and the proposal record', async () => {
    const page = await get('/decisions');
    expect(page.status).toBe(200);
    const seqs = seqsOf(page.html);
    expect(seqs.length).toBe(25);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const newest = first(qb().selectFrom('decision_records').select('seq').orderBy('seq', 'desc').limit(1))!.seq;
    expect(seqs[0]).toBe(newest);
    expect(page.html).toContain(`href="/partners/${zephyr.partnerId}"`);
    expect(page.html).toContain(`href="/proposals/${zephyr.proposalId}/record"`);
    expect(text(page.html)).toContain('Zephyr Bay Solidarity Circle');
    expect(text(page.html)).toMatch(/Decision register/);
    // Staff and reviewers are not told about a chapter scope.
    expect(page.html).not.toContain('data-testid="register-scope"');
  });

  it('finds an accented name typed without accents, and marks the hit', async () => {
    const page = await get('/decisions?q=comite');
    expect(page.status).toBe(200);
    expect(rowsOf(page.html).map(([, p]) => p)).toEqual([comite.proposalId]);
    expect(page.html).toContain('<mark>Comité</mark>');
    // The search box keeps what was typed.
    expect(page.html).toMatch(/name="q"[^>]*value="comite"|value="comite"[^>]*name="q"/);
  });

  it('combines filters from the URL, each one narrowing the result', async () => {
    const all = {
      q: 'comite',
      partner: String(comite.partnerId),
      step: 'proposal',
      outcome: 'created',
      campaign: String(campaignId('guantanamo')),
      chapter: String(chicagoId),
      from: '2000-01-01',
      to: '2100-12-31',
    };
    const url = (changes: Record<string, string> = {}) => `/decisions?${new URLSearchParams({ ...all, ...changes })}`;
    const hit = await get(url());
    expect(rowsOf(hit.html).map(([, p]) => p)).toEqual([comite.proposalId]);
    const narrower: Record<string, string>[] = [
      { chapter: String(bayId) },
      { outcome: 'approved' },
      { step: 'values' },
      { partner: String(zephyr.partnerId) },
      { campaign: String(campaignId('guantanamo') + 1) },
      { from: '2100-01-01' },
      { to: '2000-01-01' },
      { q: 'comite habeas zephyr' },
    ];
    for (const change of narrower) {
      const none = await get(url(change));
      const label = JSON.stringify(change);
      expect(none.status, label).toBe(200);
      expect(seqsOf(none.html), label).toEqual([]);
      expect(none.html, label).toContain('data-testid="register-empty"');
      expect(text(none.html), label).toContain('No decision matches this search');
    }
    // The filter form shows the chosen values; the one partner a link asked for is kept as it came.
    expect(find(hit.html, 'input[type="hidden"][name="partner"]')?.getAttribute('value')).toBe(String(comite.partnerId));
    expect(hit.html).toMatch(/<option value="created" selected="">/);
  });

  it('filters by words of a partner’s name typed in a labelled text field, kept in the URL', async () => {
    const page = await get(`/decisions?partner_name=${encodeURIComponent('solidaridad pueblos')}`);
    expect(page.status).toBe(200);
    expect([...new Set(rowsOf(page.html).map(([, p]) => p))]).toEqual([comite.proposalId]);
    // Without accents, in any case, a word's start: as the search box matches.
    expect([...new Set(rowsOf((await get('/decisions?partner_name=COMIT')).html).map(([, p]) => p))]).toEqual([comite.proposalId]);
    const field = find(page.html, 'input[name="partner_name"]')!;
    expect(field.getAttribute('value')).toBe('solidaridad pueblos');
    expect(find(page.html, `label[for="${field.getAttribute('id')}"]`)?.text).toBe('Partner name');
    // No list of every partner in the page any more.
    expect(find(page.html, 'select[name="partner"]')).toBeNull();
    // Only the partner's name is matched: "vigil" is in Zephyr's event title, not in its name.
    expect(rowsOf((await get('/decisions?partner_name=vigil')).html).map(([, p]) => p)).not.toContain(zephyr.proposalId);
    expect(rowsOf((await get('/decisions?q=vigil')).html).map(([, p]) => p)).toContain(zephyr.proposalId);
    // With the other filters and the search, and into the CSV link.
    const both = await get(`/decisions?partner_name=comite&step=proposal&q=habeas`);
    expect([...new Set(rowsOf(both.html).map(([, p]) => p))]).toEqual([comite.proposalId]);
    expect(both.html).toContain('href="/decisions.csv?q=habeas&amp;partner_name=comite&amp;step=proposal"');
    const csv = await app.fetch('/decisions.csv?partner_name=zephyr', { cookie: cookie.reviewer });
    expect(await csv.text()).toContain('Zephyr Bay Solidarity Circle');
    // Punctuation only, or no partner with that name: an empty result, never an error.
    for (const typed of ['!!!', 'xylophonequartet']) {
      const none = await get(`/decisions?partner_name=${encodeURIComponent(typed)}`);
      expect(none.status, typed).toBe(200);
      expect(seqsOf(none.html), typed).toEqual([]);
      expect(text(none.html), typed).toContain('No decision matches this search');
    }
  });

  it('says which partner a partner page’s link filters on, with a way back to every partner', async () => {
    const page = await get(`/decisions?partner=${comite.partnerId}&step=proposal`);
    expect([...new Set(rowsOf(page.html).map(([, p]) => p))]).toEqual([comite.proposalId]);
    const note = find(page.html, '[data-testid="register-partner-filter"]')!;
    expect(visibleText(note)).toContain('Only the records about Comité de Solidaridad con los Pueblos are shown.');
    expect(note.querySelector('a')?.getAttribute('href')).toBe('/decisions?step=proposal');
  });

  it('filters by who decided', async () => {
    const staffId = userByEmail('staff@cosponsor.test')!.id;
    const page = await get(`/decisions?actor=${staffId}`);
    const seqs = seqsOf(page.html);
    expect(seqs.length).toBeGreaterThan(0);
    const actors = new Set(all(qb().selectFrom('decision_records').select('actor_id').where('seq', 'in', seqs)).map((r) => r.actor_id));
    expect([...actors]).toEqual([staffId]);
  });

  it('treats punctuation as word breaks and never fails on search syntax', async () => {
    const vaccine = await get(`/decisions?q=${encodeURIComponent("People's Vaccine")}`);
    expect(vaccine.status).toBe(200);
    expect(seqsOf(vaccine.html).length).toBeGreaterThan(0);
    expect(text(vaccine.html)).toContain("Bay Area People's Vaccine Alliance");
    const hyphen = await get('/decisions?q=letter-writing');
    expect(rowsOf(hyphen.html).map(([, p]) => p)).toContain(comite.proposalId);
    for (const q of ['"a AND (', 'NEAR(a b)', '-x*', 'col:umn ^', '"', '!!!']) {
      const page = await get(`/decisions?q=${encodeURIComponent(q)}`);
      expect(page.status, q).toBe(200);
      expect(page.html, q).toContain('Decision register');
    }
  });

  it('drops a bad parameter with a message, and uses the rest', async () => {
    const page = await get(`/decisions?partner=abc&from=2026-02-30&step=bogus&q=comite`);
    expect(page.status).toBe(200);
    const dropped = text(page.html).split('Part of this search was left out')[1]!.slice(0, 400);
    expect(dropped).toContain('The partner “abc” was not used: it is not a record number (a whole number above 0).');
    expect(dropped).toContain('The from date “2026-02-30” was not used: This date does not exist.');
    expect(dropped).toContain('The step “bogus” was not used: it is not one of the steps in the list.');
    expect(rowsOf(page.html).map(([, p]) => p)).toEqual([comite.proposalId]);
  });

  it('tidies the URL the filter form sends: empty fields are left out', async () => {
    const page = await get('/decisions?q=comite&partner=&chapter=&step=&from=&to=');
    expect(page.status).toBe(302);
    expect(page.location).toBe('/decisions?q=comite');
    const none = await get('/decisions?q=&step=');
    expect(none.location).toBe('/decisions');
  });

  it('pages with Older and Newer links that keep the filters', async () => {
    const filter = 'to=2100-12-31';
    const first = await get(`/decisions?${filter}`);
    expect(linkOf(first.html, 'prev')).toBeNull();
    const older = linkOf(first.html, 'next')!;
    expect(older).toMatch(/^\/decisions\?/);
    expect(older).toContain(filter);
    expect(older).toMatch(/after=\d+/);
    const second = await get(older);
    const [firstSeqs, secondSeqs] = [seqsOf(first.html), seqsOf(second.html)];
    expect(secondSeqs.length).toBeGreaterThan(0);
    expect(Math.max(...secondSeqs)).toBeLessThan(Math.min(...firstSeqs));
    const newer = linkOf(second.html, 'prev')!;
    expect(newer).toContain(filter);
    expect(newer).toMatch(/before=\d+/);
    expect(seqsOf((await get(newer)).html)).toEqual(firstSeqs);
    // Walking every page visits every record once.
    const seen = new Set<number>();
    let next: string | null = `/decisions?${filter}`;
    while (next) {
      const page = await get(next);
      for (const seq of seqsOf(page.html)) seen.add(seq);
      next = linkOf(page.html, 'next');
    }
    expect(seen.size).toBe(recordCount());
  });

  it('narrows to one proposal from its record page, and the search form keeps that', async () => {
    const record = await get(`/proposals/${comite.proposalId}/record`);
    expect(record.html).toContain(`href="/decisions?proposal=${comite.proposalId}"`);
    const page = await get(`/decisions?proposal=${comite.proposalId}&step=proposal`);
    const proposals = new Set(rowsOf(page.html).map(([, p]) => p));
    expect([...proposals]).toEqual([comite.proposalId]);
    expect(page.html).toContain(`<input type="hidden" name="proposal" value="${comite.proposalId}"/>`);
    expect(page.html).toContain('href="/decisions?step=proposal"');
  });

  it('shows an empty state when nothing matches', async () => {
    const page = await get('/decisions?q=xylophonequartet');
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain('No decision matches this search');
    expect(page.html).toContain('href="/decisions"');
  });

  it('carries the filters into the CSV link', async () => {
    const page = await get(`/decisions?q=comite&step=proposal&after=999999`);
    expect(page.html).toContain('href="/decisions.csv?q=comite&amp;step=proposal"');
  });
});

describe('chapter scoping', () => {
  it('shows a chapter lead their own chapter’s records only, and says so', async () => {
    const page = await get('/decisions', 'lead');
    expect(page.status).toBe(200);
    expect(text(page.html)).toMatch(/You see the decisions on Chicago Local Group\s*’s proposals only/);
    const proposals = [...new Set(rowsOf(page.html).map(([, p]) => p))];
    expect(proposals.length).toBeGreaterThan(0);
    const chapters = new Set(all(qb().selectFrom('proposals').select('chapter_id').where('id', 'in', proposals)).map((r) => r.chapter_id));
    expect([...chapters]).toEqual([chicagoId]);
    expect(text(page.html)).not.toContain('Zephyr');
  });

  it('hides another chapter’s partner records from a chapter lead, not from a reviewer', async () => {
    expect(seqsOf((await get('/decisions?q=zephyr', 'lead')).html)).toEqual([]);
    expect(seqsOf((await get(`/decisions?partner=${zephyr.partnerId}`, 'lead')).html)).toEqual([]);
    expect(seqsOf((await get('/decisions?partner_name=zephyr', 'lead')).html)).toEqual([]);
    expect(rowsOf((await get('/decisions?q=zephyr', 'reviewer')).html).map(([, p]) => p)).toContain(zephyr.proposalId);
    // Asking for the other chapter by its id shows none of its records: the number is not one of the
    // lead's choices, so it is left out with a notice and the lead's own chapter is shown.
    const otherChapter = await get(`/decisions?chapter=${bayId}`, 'lead');
    expect(rowsOf(otherChapter.html).map(([, p]) => p)).not.toContain(zephyr.proposalId);
    expect(text(otherChapter.html)).toContain(`The chapter “${bayId}” was not used: it is not one of those in the list.`);

    const partner = await get(`/partners/${zephyr.partnerId}`, 'lead');
    expect(partner.status).toBe(200);
    expect(partner.html).toContain('data-testid="partner-no-decisions"');
    expect(text(partner.html)).toContain('Other chapters have 1 proposal with it');
    expect(text(partner.html)).not.toContain('Zephyr vigil');
    const asReviewer = await get(`/partners/${zephyr.partnerId}`);
    expect(text(asReviewer.html)).toContain('Zephyr vigil');
    expect(asReviewer.html).toContain(`data-proposal="${zephyr.proposalId}"`);

    expect((await get(`/proposals/${zephyr.proposalId}/record`, 'lead')).status).toBe(403);
    expect((await get(`/proposals/${zephyr.proposalId}/record.json`, 'lead')).status).toBe(403);
    const csv = await app.fetch('/decisions.csv', { cookie: cookie.lead });
    const body = await csv.text();
    expect(body).toContain('Comité de Solidaridad');
    expect(body).not.toContain('Zephyr');
  });
});

/** RFC 4180 rows (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(input: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    }
    else if (c === '\r' && input[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

describe('/decisions.csv', () => {
  it('exports the whole filtered register as UTF-8 CSV with a BOM, formulas neutralized', async () => {
    const response = await app.fetch('/decisions.csv', { cookie: cookie.reviewer });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="decision-register-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([
      'Seq', 'Recorded at (UTC)', 'Proposal', 'Event', 'Partner', 'Chapter', 'Campaign', 'Step', 'Outcome',
      'Decided by', 'Role', 'Rationale', 'From state', 'To state', 'Record hash',
    ]);
    // Every record, not one page.
    expect(rows.length - 1).toBe(recordCount());
    expect(recordCount()).toBeGreaterThan(25);
    const evil = rows.find((r) => r[2] === formula.reference)!;
    expect(evil[4]).toBe(`'=HYPERLINK("https://evil.test","click")`);
    expect(evil[3]).toBe(`'+SUM(1,2) evening`);
    // No cell at all starts as a formula would.
    expect(rows.flat().filter((cell) => /^[=+@\t\r]|^-(?!\d+$)/.test(cell))).toEqual([]);
    // Accents survive as UTF-8.
    expect(csv).toContain('Comité de Solidaridad con los Pueblos');
  });

  it('exports only what the filters select', async () => {
    const response = await app.fetch(`/decisions.csv?q=comite&after=1`, { cookie: cookie.reviewer });
    const rows = parseCsv((await response.text()).replace(/^\uFEFF/, ''));
    expect(rows.slice(1).map((r) => r[2])).toEqual([comite.reference]);
  });

  it('refuses anonymous people with a sign-in redirect', async () => {
    const response = await app.fetch('/decisions.csv');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/login?redirectTo=%2Fdecisions.csv');
  });
});

describe('/partners/:id', () => {
  it('shows the profile and every proposal and decision about the partner', async () => {
    const page = await get(`/partners/${comite.partnerId}`);
    expect(page.status).toBe(200);
    const body = text(page.html);
    expect(body).toContain('Comité de Solidaridad con los Pueblos');
    expect(body).toContain('A partner made for the register tests.');
    expect(body).toContain('Letter-writing night: close Guantánamo');
    expect(page.html).toContain(`href="/proposals/${comite.proposalId}/record"`);
    const seqs = all(qb().selectFrom('decision_records').select('seq').where('partner_id', '=', comite.partnerId).orderBy('seq', 'desc')).map((r) => r.seq);
    expect(seqsOf(page.html)).toEqual(seqs);
  });

  it('shows registry data when the partner has some, and never links a script URL', async () => {
    const id = createPartner(
      {
        name: 'Registry Partner Org',
        website: 'javascript:alert(1)',
        country: 'US',
        description: 'From the registry.',
        publicPositions: ['Calls for an arms embargo'],
        ein: '12-3456789',
        registry: { source: 'ProPublica Nonprofit Explorer', ein: '12-3456789', rulingDate: '1999-01', url: 'https://projects.propublica.org/nonprofits/organizations/123456789' },
      },
      null,
    );
    const page = await get(`/partners/${id}`);
    expect(page.status).toBe(200);
    const registry = text(page.html).split('Registry data')[1]!;
    expect(registry).toContain('ProPublica Nonprofit Explorer');
    expect(registry).toContain('Ruling date 1999-01');
    expect(page.html).toContain('href="https://projects.propublica.org/nonprofits/organizations/123456789"');
    expect(page.html).not.toContain('href="javascript:');
    expect(text(page.html)).toContain('Calls for an arms embargo');
    expect(page.html).toContain('data-testid="partner-no-proposals"');
  });

  it('pages a busy partner’s proposals with plain Older and Newer links, keyset on the proposal', async () => {
    const busy = proposalWith('lead@cosponsor.test', { name: 'Much Asked Partner Network' }, 'Much asked: first event');
    const ids = [busy.proposalId];
    for (let i = 2; i <= 17; i++) {
      ids.push(
        createProposal(actor(i % 2 ? 'lead@cosponsor.test' : 'lead2@cosponsor.test'), {
          partnerId: busy.partnerId,
          campaignId: campaignId('guantanamo'),
          eventTitle: `Much asked: event ${i}`,
          eventDate: '2031-05-01',
          eventPlace: 'Community hall',
          eventDescription: 'Another evening with the same partner.',
          kind: 'co_hosting',
        }).id,
      );
    }
    const newestFirst = [...ids].sort((a, b) => b - a);
    const proposalsOf = (html: string) =>
      parseHtml(html)
        .querySelectorAll('[data-testid="partner-proposals"] tr[data-proposal]')
        .map((tr) => Number(tr.getAttribute('data-proposal')));
    const first = await get(`/partners/${busy.partnerId}`);
    expect(proposalsOf(first.html)).toEqual(newestFirst.slice(0, 15));
    expect(text(first.html)).toContain('The newest 15 of 17 proposals are listed.');
    expect(linkOf(first.html, 'prev')).toBeNull();
    const older = linkOf(first.html, 'next')!;
    expect(older).toBe(`/partners/${busy.partnerId}?proposals_after=${newestFirst[14]}#proposals-heading`);
    const second = await get(older);
    expect(second.status).toBe(200);
    expect(proposalsOf(second.html)).toEqual(newestFirst.slice(15));
    expect(linkOf(second.html, 'next')).toBeNull();
    // The profile and the decisions stay on every page of the proposals.
    expect(text(second.html)).toContain('A partner made for the register tests.');
    const back = await get(linkOf(second.html, 'prev')!);
    expect(proposalsOf(back.html)).toEqual(newestFirst.slice(0, 15));
    expect(linkOf(back.html, 'prev')).toBeNull();
    // A chapter lead pages through their own chapter's only.
    const lead = await get(`/partners/${busy.partnerId}`, 'lead');
    const chicagoOnes = all(qb().selectFrom('proposals').select('id').where('partner_id', '=', busy.partnerId).where('chapter_id', '=', chicagoId).orderBy('id', 'desc')).map((r) => r.id);
    expect(proposalsOf(lead.html)).toEqual(chicagoOnes);
    expect(linkOf(lead.html, 'next')).toBeNull();
    // A position that is not a proposal id is the first page, never an error.
    const odd = await get(`/partners/${busy.partnerId}?proposals_after=abc`);
    expect(proposalsOf(odd.html)).toEqual(newestFirst.slice(0, 15));
  });

  it('answers 404 for a partner that does not exist', async () => {
    expect((await get('/partners/999999')).status).toBe(404);
    expect((await get('/partners/abc')).status).toBe(404);
  });
});

describe('/proposals/:id/record', () => {
  const demoId = () => first(qb().selectFrom('proposals').select('id').where('state', '=', 'approved').orderBy('id').limit(1))!.id;

  it('prints every record of the proposal in order, with hashes, inputs and configuration versions', async () => {
    const id = demoId();
    const records = all(qb().selectFrom('decision_records').selectAll().where('proposal_id', '=', id).orderBy('seq'));
    expect(records.length).toBeGreaterThan(4);
    const page = await get(`/proposals/${id}/record`);
    expect(page.status).toBe(200);
    const articles = parseHtml(page.html)
      .querySelectorAll('article[id^="record-"]')
      .map((article) => Number(article.id.slice('record-'.length)));
    expect(articles).toEqual(records.map((r) => r.seq));
    for (const r of records) {
      expect(page.html).toContain(r.hash);
      expect(page.html).toContain(r.prev_hash);
    }
    const body = text(page.html);
    expect(body).toContain('Verified');
    expect(body).toContain('Download verifiable bundle (JSON)');
    expect(body).toMatch(/Values criteria v\d+/);
    expect(page.html).toContain('<details class="record-details">');
    // The exact inputs, pretty-printed: the last record's first key is there, escaped as text.
    expect(page.html).toContain('&quot;command&quot;: {');
  });

  it('renders stored text as text, never as HTML', async () => {
    const page = await get(`/proposals/${formula.proposalId}/record`);
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain('=HYPERLINK("https://evil.test","click")');
    const tricky = proposalWith('lead@cosponsor.test', { name: '<img src=x onerror=alert(1)> Group' }, '<b>bold</b> evening');
    const html = (await get(`/proposals/${tricky.proposalId}/record`)).html;
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt; evening');
    const register = (await get('/decisions?q=onerror')).html;
    expect(register).not.toContain('<img src=x');
    expect(register).toContain('<mark>onerror</mark>');
  });
});

describe('/proposals/:id/record.json', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cosponsor-bundle-'));
  const cli = (file: string) =>
    spawnSync(process.execPath, [path.resolve('node_modules/tsx/dist/cli.mjs'), 'scripts/audit-verify.ts', '--bundle', file], {
      encoding: 'utf8',
      env: { ...process.env, DATABASE_PATH: path.join(tmp, 'unused.db') },
    });

  it('downloads a bundle that verifies, offline and with the CLI; one altered byte breaks it', async () => {
    const id = first(qb().selectFrom('proposals').select(['id', 'reference']).where('state', '=', 'approved').orderBy('id').limit(1))!;
    const response = await app.fetch(`/proposals/${id.id}/record.json`, { cookie: cookie.reviewer });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${id.reference}-records.json"`);
    const raw = await response.text();
    const bundle = JSON.parse(raw);
    expect(bundle.proposal).toEqual({ id: id.id, reference: id.reference });
    expect(bundle.records.length).toBe(all(qb().selectFrom('decision_records').select('seq').where('proposal_id', '=', id.id)).length);
    expect(verifyBundle(bundle)).toEqual({ ok: true, message: expect.stringMatching(new RegExp(`^OK ${bundle.records.length} records of ${id.reference}, included in the log`)) });

    const good = path.join(tmp, `${id.reference}-records.json`);
    fs.writeFileSync(good, raw);
    const ok = cli(good);
    expect(ok.stdout.trim(), ok.stderr).toMatch(new RegExp(`^OK ${bundle.records.length} records of ${id.reference}, included in the log`));
    expect(ok.status).toBe(0);

    // One byte: a letter of a rationale, the JSON still well-formed.
    const at = raw.indexOf('"rationale": "') + '"rationale": "'.length;
    const altered = raw.slice(0, at) + (raw[at] === 'X' ? 'Y' : 'X') + raw.slice(at + 1);
    expect(altered.length).toBe(raw.length);
    expect(Buffer.byteLength(altered)).toBe(Buffer.byteLength(raw));
    const result = verifyBundle(JSON.parse(altered));
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^BROKEN at record \d+/);
    const bad = path.join(tmp, 'altered.json');
    fs.writeFileSync(bad, altered);
    const broken = cli(bad);
    expect(broken.status).not.toBe(0);
    expect(broken.stdout).toMatch(/^BROKEN at record \d+/);
  }, 60_000);

  it('is refused to people who may not see the proposal', async () => {
    const response = await app.fetch(`/proposals/${zephyr.proposalId}/record.json`, { cookie: cookie.lead });
    expect(response.status).toBe(403);
    expect(JSON.parse(await response.text())).toHaveProperty('message');
    expect((await app.fetch('/proposals/999999/record.json', { cookie: cookie.reviewer })).status).toBe(404);
  });
});
