import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { first, qb } from '../../db/connection';
import { parseHtml } from '../support/html';
import { startApp, type TestApp } from '../support/app-server';

// Issue 15, item 1: the dossier's read-only sections and the register's table are rendered to
// HTML on the server (docs/decisions/0125). A first load sends that HTML once, in the page; the
// browser takes it from the page when it hydrates. A client navigation (a data request) carries
// it, since there is no page to take it from. The data a page hydrates from holds what its forms
// need, not every record again.

let app: TestApp;
let staff: string;
let proposalId: number;
let partnerId: number;
beforeAll(async () => {
  app = await startApp();
  staff = await app.login('staff@cosponsor.test');
  proposalId = first(qb().selectFrom('proposals').select('id').where('state', '=', 'review').orderBy('id'))!.id;
  partnerId = first(qb().selectFrom('proposals').select('partner_id').where('state', '=', 'review').orderBy('id'))!.partner_id;
});
afterAll(() => app?.close());

/** The JSON the page hydrates from (Remix's context script). */
function hydrationData(html: string): string {
  const script = parseHtml(html)
    .querySelectorAll('script')
    .map((s) => s.textContent)
    .find((t) => t.includes('window.__remixContext'));
  expect(script).toBeDefined();
  return script!;
}

describe('the dossier document', () => {
  it('sends the read-only sections once: in the page, not again in the data it hydrates from', async () => {
    const response = await app.fetch(`/review/${proposalId}`, { cookie: staff });
    expect(response.status).toBe(200);
    const html = await response.text();
    const root = parseHtml(html);
    // The sections are in the page, where a browser without JavaScript reads them.
    expect(root.querySelector('#step-values')).not.toBeNull();
    expect(root.querySelector('#screening-heading')).not.toBeNull();
    const data = hydrationData(html);
    expect(data).not.toContain('1. Values compatibility');
    expect(data).not.toContain('step-values');
    // Records are shown by the server-rendered sections; the forms do not need them.
    expect(data).not.toContain('"records"');
    expect(data).not.toContain('"agendaPrecedent":[');
  });

  it('sends the sections inside the data of a client navigation', async () => {
    const response = await app.fetch(`/review/${proposalId}?_data=${encodeURIComponent('routes/review.$id')}`, { cookie: staff });
    expect(response.status).toBe(200);
    const data = (await response.json()) as { markup: { beforeAgenda: { html: string | null }; afterAgenda: { html: string | null } } };
    expect(data.markup.beforeAgenda.html).toContain('1. Values compatibility');
    expect(data.markup.afterAgenda.html).toContain('Designation and sanctions screening');
  });
});

describe('the register and the partner page', () => {
  const newest = () => first(qb().selectFrom('decision_records').select(['seq', 'rationale']).orderBy('seq', 'desc'))!;

  it('sends the register rows once: in the page, with links that work without JavaScript', async () => {
    const response = await app.fetch('/decisions', { cookie: staff });
    expect(response.status).toBe(200);
    const html = await response.text();
    const { seq } = newest();
    const row = parseHtml(html).querySelector(`[data-testid="register-rows"] tr[data-seq="${seq}"]`);
    expect(row).not.toBeNull();
    expect(row!.querySelector('a')!.getAttribute('href')).toMatch(new RegExp(`#record-${seq}$`));
    const data = hydrationData(html);
    expect(data).not.toContain('tr data-seq');
    expect(data).not.toContain(`"seq":${seq},`);
    // The count above the table still says which records the page shows.
    expect(parseHtml(html).querySelector('[data-testid="register-count"]')!.textContent).toContain(`#${seq}`);
  });

  it('sends the register rows in the data of a client navigation', async () => {
    const response = await app.fetch(`/decisions?_data=${encodeURIComponent('routes/decisions')}`, { cookie: staff });
    expect(response.status).toBe(200);
    const data = (await response.json()) as { table: { html: string | null } };
    expect(data.table.html).toContain(`data-seq="${newest().seq}"`);
  });

  it('sends a partner page’s proposals and decisions once', async () => {
    const response = await app.fetch(`/partners/${partnerId}`, { cookie: staff });
    expect(response.status).toBe(200);
    const html = await response.text();
    const root = parseHtml(html);
    expect(root.querySelectorAll('[data-testid="register-rows"] tr[data-seq]').length).toBeGreaterThan(0);
    const proposal = root.querySelector(`[data-testid="partner-proposals"] tr[data-proposal="${proposalId}"]`);
    expect(proposal!.querySelector('a')!.getAttribute('href')).toBe(`/proposals/${proposalId}/record`);
    const reference = first(qb().selectFrom('proposals').select('reference').where('id', '=', proposalId))!.reference;
    expect(hydrationData(html)).not.toContain('tr data-seq');
    expect(hydrationData(html)).not.toContain('tr data-proposal');
    expect(hydrationData(html)).not.toContain(reference);
    const data = (await (await app.fetch(`/partners/${partnerId}?_data=${encodeURIComponent('routes/partners.$id')}`, { cookie: staff })).json()) as {
      decisionsTable: { html: string | null };
      proposalsTable: { html: string | null };
    };
    expect(data.decisionsTable.html).toContain('register-rows');
    expect(data.proposalsTable.html).toContain(`data-proposal="${proposalId}"`);
  });
});

describe('the proposal list', () => {
  it('sends its cards once: in the page, and in the data of a client navigation', async () => {
    const response = await app.fetch('/proposals', { cookie: staff });
    expect(response.status).toBe(200);
    const html = await response.text();
    const card = parseHtml(html).querySelector('li.proposal-card a.card__title');
    expect(card?.getAttribute('href')).toMatch(/^\/proposals\/\d+$/);
    expect(hydrationData(html)).not.toContain('card__title');
    const data = (await (await app.fetch(`/proposals?_data=${encodeURIComponent('routes/proposals._index')}`, { cookie: staff })).json()) as {
      groups: { cards: { html: string | null } }[];
    };
    expect(data.groups.some((g) => g.cards.html?.includes('card__title'))).toBe(true);
  });
});
