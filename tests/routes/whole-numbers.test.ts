import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeConfig } from '../../db/config';
import { all, qb, run } from '../../db/connection';
import { userByEmail } from '../../db/users';
import { proposalRow } from '../../db/proposals';
import { recordsOfProposal } from '../../db/decision-log';
import { newPartner, proposalInReview } from '../integration/review-fixtures';
import { proposalAt } from '../integration/step-fixtures';
import { startApp, type TestApp } from '../support/app-server';
import { fieldValue, find, formFields, visibleText } from '../support/html';

// Whole-number fields over HTTP: Number() reads "0x3", "3e0", " 3" and "+3" as 3 and "1e3" as 1000,
// so each form must refuse every spelling but plain decimal digits, beside the field, keeping
// what was typed, with a 4xx, and change nothing.

process.env.THROTTLE_DELAY_STEP_MS = '0';

let app: TestApp;
let admin: string;
let lead: string;
let staff: string;
beforeAll(async () => {
  app = await startApp();
  [admin, lead, staff] = await Promise.all([app.login('admin@cosponsor.test'), app.login('lead@cosponsor.test'), app.login('staff@cosponsor.test')]);
});
afterAll(() => app.close());

const HUGE = '9'.repeat(30);
/** Other spellings of `n` that Number() reads as n (or as another number), and what is no number at all. */
const spellingsOf = (n: number) => [`0x${n.toString(16)}`, `${n}e0`, '1e3', ` ${n}`, `+${n}`, `${n}.0`, `${n}.`, `0b${n.toString(2)}`, HUGE];


/** The error shown beside the field named `name`, read through its aria-describedby. */
function errorBeside(html: string, name: string): string {
  const field = find(html, `[name="${name}"]`);
  if (!field) throw new Error(`No field ${name}`);
  const ids = (field.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  return ids.map((id) => visibleText(find(html, `[id="${id}"]`)?.outerHTML ?? '')).join(' ').trim();
}

describe('the risk matrix editor’s band scores', () => {
  it('refuses every spelling of a score but plain digits beside the field, keeping it, and saves nothing', async () => {
    const html = await (await app.fetch('/admin/config/risk', { cookie: admin })).text();
    const fields: Record<string, string> = { ...formFields(html, 'form[method="post"][aria-labelledby="editor-title"]'), note: 'Spelling check.' };
    const version = activeConfig().versions.risk_matrix;
    const max = Number(fields['bands[0].max']);
    for (const typed of [...spellingsOf(max), '']) {
      const response = await app.post('/admin/config/risk', { ...fields, 'bands[0].max': typed }, admin);
      const body = await response.text();
      expect(response.status, typed).toBe(400);
      expect(errorBeside(body, 'bands[0].max'), typed).toContain('a whole number from 1 to 25');
      expect(fieldValue(body, 'bands[0].max'), typed).toBe(typed);
    }
    for (const typed of ['0x3', '1e1', ' 3', '+3', '3.', HUGE]) {
      const response = await app.post('/admin/config/risk', { ...fields, closeMarginPercent: typed }, admin);
      const body = await response.text();
      expect(response.status, typed).toBe(400);
      expect(errorBeside(body, 'closeMarginPercent'), typed).toContain('percentage from 0 to 100');
      expect(fieldValue(body, 'closeMarginPercent'), typed).toBe(typed);
    }
    // The page's own version in another spelling is not the version the page was read at.
    const stale = await app.post('/admin/config/risk', { ...fields, baseVersion: `0x${version.toString(16)}` }, admin);
    expect(stale.status).toBe(400);
    expect(activeConfig().versions.risk_matrix).toBe(version);
    // Plain digits still save.
    expect((await app.post('/admin/config/risk', { ...fields, closeMarginPercent: '12.5' }, admin)).status).toBe(302);
    expect(activeConfig().versions.risk_matrix).toBe(version + 1);
  });
});

describe('the partner link’s number of days', () => {
  it('refuses every spelling but plain digits beside the field, keeping it, and makes no link', async () => {
    const proposal = proposalInReview({ partnerId: newPartner('Spelled Numbers Collective'), title: 'Evening on spelled numbers' });
    const links = () => all(qb().selectFrom('partner_links').select('id').where('proposal_id', '=', proposal)).length;
    for (const typed of spellingsOf(20)) {
      const response = await app.post(`/proposals/${proposal}/partner`, { intent: 'create', contactName: 'Amal Haddad', days: typed }, lead);
      const html = await response.text();
      expect(response.status, typed).toBe(400);
      expect(visibleText(find(html, '#link-days-error')?.outerHTML ?? ''), typed).toMatch(/number of days|at most/);
      expect(fieldValue(html, 'days'), typed).toBe(typed);
    }
    expect(links()).toBe(0);
    expect((await app.post(`/proposals/${proposal}/partner`, { intent: 'create', contactName: 'Amal Haddad', days: '20' }, lead)).status).toBe(200);
    expect(links()).toBe(1);
  });
});

describe('the inbox', () => {
  const leadId = () => userByEmail('lead@cosponsor.test')!.id;
  const unreadOf = (id: number) => all(qb().selectFrom('inbox').select('read_at').where('id', '=', id))[0]!.read_at === null;

  it('marks a message read only for its id in plain digits; any other spelling is refused and changes nothing', async () => {
    const template = all(qb().selectFrom('inbox').selectAll().where('user_id', '=', leadId()).limit(1))[0]!;
    const { id: _drop, ...copy } = template;
    run(qb().insertInto('inbox').values({ ...copy, read_at: null, message: 'Spelling check message.' }));
    const id = all(qb().selectFrom('inbox').select('id').where('message', '=', 'Spelling check message.'))[0]!.id;
    for (const typed of [...spellingsOf(id), '']) {
      const response = await app.post('/inbox', { intent: 'read', id: typed }, lead);
      expect(response.status, typed).toBe(400);
      expect(visibleText(await response.text()), typed).toContain('Choose a message.');
      expect(unreadOf(id), typed).toBe(true);
    }
    expect((await app.post('/inbox', { intent: 'read', id: String(id) }, lead)).status).toBe(302);
    expect(unreadOf(id)).toBe(false);
  });

  it('reads a page number only in plain digits, as it treats any other bad page: the first page', async () => {
    const template = all(qb().selectFrom('inbox').selectAll().where('user_id', '=', leadId()).limit(1))[0]!;
    const { id: _drop, ...copy } = template;
    for (let i = 0; i < 60; i++) run(qb().insertInto('inbox').values({ ...copy, message: `Filler message ${i}.` }));
    const pageOf = async (query: string) =>
      ((await (await app.fetch(`/inbox?${query}&_data=routes%2Finbox`, { cookie: lead })).json()) as { page: number; pages: number }).page;
    expect(await pageOf('page=2')).toBe(2);
    for (const typed of ['0x2', '2e0', ' 2', '+2', '2.0', '2.', '0b10', '', HUGE, '-2', '0', 'two']) {
      expect(await pageOf(`page=${encodeURIComponent(typed)}`), typed).toBe(1);
    }
  });
});

describe('the review queue’s take button (a hidden proposal id)', () => {
  it('takes a proposal only by its id in digits; another spelling is refused and takes nothing', async () => {
    const proposal = proposalInReview({ partnerId: newPartner('Spelled Claims Collective'), title: 'Evening on spelled claims' });
    const claims = () => all(qb().selectFrom('review_claims').select('proposal_id').where('proposal_id', '=', proposal)).length;
    for (const typed of [...spellingsOf(proposal), '']) {
      const response = await app.post('/review', { intent: 'claim', proposal: typed }, staff);
      expect(response.status, typed).toBe(400);
      expect(claims(), typed).toBe(0);
    }
    expect((await app.post('/review', { intent: 'claim', proposal: String(proposal) }, staff)).status).toBe(302);
    expect(claims()).toBe(1);
  });
});

describe('the register’s filters in the address', () => {
  it('leaves out a record number in any spelling but digits, saying so, as it does for any bad value', async () => {
    for (const typed of ['0x3', '3e0', '1e3', ' 3', '+3', '3.0', HUGE]) {
      const response = await app.fetch(`/decisions?partner=${encodeURIComponent(typed)}`, { cookie: staff });
      expect(response.status, typed).toBe(200);
      const page = visibleText(await response.text());
      expect(page, typed).toContain('Part of this search was left out');
      expect(page, typed).toContain('not a record number');
    }
  });
});

describe('a step form’s version of the proposal (a hidden field)', () => {
  // A version no page writes ("abc", "-1", "0x3", missing) is a form that could not be read, not
  // someone else's change: a 400 asking for a reload, with what was typed kept; an older version
  // in digits is the 409 "changed meanwhile".
  it('submits only against the version in digits; another spelling is a form that could not be read, and writes nothing', async () => {
    const id = proposalAt('risk', 'Evening on spelled versions');
    const fields: Record<string, string> = {
      intent: 'submit',
      'items[0].kind': 'risk',
      'items[0].category': 'reputation',
      'items[0].description': 'Press may misread the event.',
      'items[0].likelihood': '3',
      'items[0].impact': '4',
      'items[0].mitigation': 'A joint statement on the day.',
      'items[0].residualLikelihood': '2',
      'items[0].residualImpact': '2',
      'items[1].kind': 'benefit',
      'items[1].category': 'mission_impact',
      'items[1].description': 'Reaches new students.',
      'items[1].likelihood': '4',
      'items[1].impact': '4',
    };
    const version = proposalRow(id)!.version;
    const records = recordsOfProposal(id).length;
    const sent: Array<Record<string, string>> = [...spellingsOf(version), '', 'abc', '-1', '0', `-${version}`].map((typed) => ({ ...fields, version: typed }));
    sent.push({ ...fields }); // no version at all
    for (const body of sent) {
      const typed = JSON.stringify(body.version ?? 'missing');
      const response = await app.post(`/proposals/${id}/steps/risk`, body, lead);
      expect(response.status, typed).toBe(400);
      const html = await response.text();
      const alert = visibleText(find(html, '#form-alert')?.outerHTML ?? '');
      expect(alert, typed).toContain('This form could not be read');
      expect(alert, typed).toContain('reload the page');
      expect(alert, typed).not.toContain('changed');
      expect(fieldValue(html, 'items[0].description'), typed).toBe('Press may misread the event.');
      expect(fieldValue(html, 'items[1].description'), typed).toBe('Reaches new students.');
      expect(recordsOfProposal(id).length, typed).toBe(records);
    }
    // An older version in digits is a real change meanwhile.
    expect((await app.post(`/proposals/${id}/steps/risk`, { ...fields, version: String(version - 1) }, lead)).status).toBe(409);
    expect((await app.post(`/proposals/${id}/steps/risk`, { ...fields, version: String(version) }, lead)).status).toBe(302);
    expect(recordsOfProposal(id).length).toBeGreaterThan(records);
  });
});
