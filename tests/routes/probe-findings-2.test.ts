import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposalRow, stepDraft } from '../../db/proposals';
import { proposalAt } from '../integration/step-fixtures';
import { proposalAtMouStep } from '../integration/mou-fixtures';
import { initialEditorState } from '../../app/features/mou/mou.server';
import { startApp, type TestApp } from '../support/app-server';
import { fieldValue, find, parseHtml, visibleText } from '../support/html';

// Defects found by trying the running app as its users and as attackers would (second round).

process.env.THROTTLE_DELAY_STEP_MS = '0';

let app: TestApp;
let lead: string;
beforeAll(async () => {
  app = await startApp();
  lead = await app.login('lead@cosponsor.test');
});
afterAll(() => app.close());

describe('a list button’s value (__intent__) made by hand', () => {
  // The add and remove buttons of our forms post a JSON value that the form library parses before
  // any schema: a value it cannot read threw (500), and a list name with a huge position made it
  // build an array that large (a name of items[99999999] aborted the server process).
  const hostile = [
    'garbage',
    'null',
    '{}',
    '{"type":"remove"}',
    '{"type":"reset"}',
    '{"type":"update","payload":{"value":null}}',
    '{"type":"update","payload":{"name":"__proto__","value":{"polluted":"yes"}}}',
    '{"type":"insert","payload":{"name":"items[1000000]"}}',
    '{"type":"insert","payload":{"name":"items","index":1000000}}',
    // A field that is not a list.
    '{"type":"insert","payload":{"name":"version"}}',
  ];

  it('is refused with 400 and a message on every form, writing nothing, while the real buttons still work', async () => {
    const id = proposalAt('agenda', `Probe two ${Math.random()}`);
    const before = proposalRow(id)!;
    const agenda = `/proposals/${id}/steps/agenda`;
    for (const intent of hostile) {
      const response = await app.post(agenda, { version: String(before.version), 'items[0].text': 'Kept?', __intent__: intent }, lead);
      expect(response.status, intent).toBe(400);
      expect(visibleText(await response.text()), intent).toContain('not one this form sends');
    }
    // Anyone can reach the sign-in form, and one list name that is not a list (the values step's ratings).
    const signIn = await app.post('/login', { email: 'lead@cosponsor.test', password: 'x', __intent__: 'garbage' });
    expect(signIn.status).toBe(400);
    expect(visibleText(await signIn.text())).toContain('not one this form sends');
    const settings = await app.post('/settings/notifications', { __state__: 'garbage' }, lead);
    expect(settings.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(proposalRow(id)).toMatchObject({ state: before.state, version: before.version });

    // The buttons the page itself sends keep working: add an item, then remove it.
    const page = await (await app.fetch(agenda, { cookie: lead })).text();
    const add = parseHtml(page).querySelector('#add-item')!;
    const added = await app.post(agenda, { version: String(before.version), 'items[0].text': 'First item', __intent__: add.getAttribute('value')! }, lead);
    expect(added.status).toBe(200);
    const addedHtml = await added.text();
    expect(find(addedHtml, 'textarea[name="items[1].text"]')).toBeTruthy();
    const remove = JSON.stringify({ type: 'remove', payload: { name: 'items', index: 1 } });
    const removed = await app.post(agenda, { version: String(before.version), 'items[0].text': 'First item', 'items[1].text': '', __intent__: remove }, lead);
    expect(removed.status).toBe(200);
    expect(find(await removed.text(), 'textarea[name="items[1].text"]')).toBeFalsy();
  });
});

/** The alerts of a page, as the person reads them. */
const alertsOf = (html: string) =>
  parseHtml(html)
    .querySelectorAll('[role="alert"]')
    .map((a) => a.text.replace(/\s+/g, ' ').trim())
    .join(' | ');

describe('the MOU step answered from a second tab, after the first moved the proposal on', () => {
  it('says why the submit was refused (409) although the page no longer has that form', async () => {
    const id = proposalAtMouStep();
    const state = initialEditorState(id, proposalRow(id)!.version);
    const saveForm: Record<string, string> = { intent: 'save', version: String(state.version), baseVersion: '', note: state.note };
    state.sections.forEach((section, i) => {
      saveForm[`sections[${i}].key`] = section.key;
      saveForm[`sections[${i}].body`] = section.body;
      section.clauses.forEach((clause, j) => {
        saveForm[`sections[${i}].clauses[${j}].id`] = clause.id;
        saveForm[`sections[${i}].clauses[${j}].text`] = clause.text;
      });
    });
    expect((await app.post(`/proposals/${id}/steps/mou`, saveForm, lead)).status).toBe(302);
    const submit = { intent: 'submit', version: String(proposalRow(id)!.version), baseVersion: '1' };
    expect((await app.post(`/proposals/${id}/steps/mou`, submit, lead)).status).toBe(302);
    const reviewVersion = proposalRow(id)!.version;

    const again = await app.post(`/proposals/${id}/steps/mou`, submit, lead);
    expect(again.status).toBe(409);
    expect(alertsOf(await again.text())).toMatch(/changed/i);
    // A save from the editor that tab still shows is refused with its reason too.
    const save = await app.post(`/proposals/${id}/steps/mou`, { ...saveForm, baseVersion: '1' }, lead);
    expect(save.status).toBeGreaterThanOrEqual(400);
    expect(save.status).toBeLessThan(500);
    expect(alertsOf(await save.text())).not.toBe('');
    expect(proposalRow(id)).toMatchObject({ state: 'review', version: reviewVersion });
  });

  it('says why “MOU not needed” was refused the second time', async () => {
    const id = proposalAtMouStep('vaccine_equity_forum');
    const lead2 = await app.login('lead2@cosponsor.test');
    const form = { intent: 'not-needed', version: String(proposalRow(id)!.version), reason: 'Only a co-sponsor line on the partner’s event page.' };
    expect((await app.post(`/proposals/${id}/steps/mou`, form, lead2)).status).toBe(302);
    const again = await app.post(`/proposals/${id}/steps/mou`, form, lead2);
    expect(again.status).toBe(409);
    expect(alertsOf(await again.text())).toMatch(/changed/i);
  });
});

describe('an address with a broken percent-escape', () => {
  // Express decodes the path while matching its routes and threw a URIError on %ZZ or a cut-off
  // UTF-8 sequence, which the last error handler answered as a 500 "Something went wrong".
  it('is answered 400 with a page saying so, signed in or not, on pages, files and the partner link', async () => {
    const staff = await app.login('staff@cosponsor.test');
    const cases: [string, string | undefined][] = [
      ['/%ZZ', undefined],
      ['/q/%ZZ', undefined],
      ['/build/%ZZ', undefined],
      ['/proposals/%E0%A4%A', staff],
      ['/partners/%ZZ', staff],
      ['/proposals/1/attachments/%ZZ', lead],
    ];
    for (const [pathname, cookie] of cases) {
      const response = await app.fetch(pathname, { cookie });
      expect(response.status, pathname).toBe(400);
      expect(response.headers.get('content-type'), pathname).toMatch(/^text\/html/);
      expect(find(await response.text(), '[role="alert"]')?.text, pathname).toContain('address');
    }
    // A well-formed escape still reaches its page.
    expect((await app.fetch('/decisions?q=%E2%80%9Cquoted%E2%80%9D', { cookie: staff })).status).toBe(200);
  });
});

/** A GET with the Host header given (fetch does not let a caller set it). */
function getWithHost(pathname: string, host: string): Promise<{ status: number; type: string; body: string }> {
  const { hostname, port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: hostname, port: Number(port), path: pathname, headers: { Host: host } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, type: String(response.headers['content-type'] ?? ''), body }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('a Host header that is not an address', () => {
  // The page's URL is built from the Host header: one no URL can hold threw (a 500) for anyone.
  it('is answered 400 with a page saying so', async () => {
    for (const host of ['[::1', 'a%b', 'exa mple', 'example.com:99999']) {
      const answer = await getWithHost('/login', host);
      expect(answer.status, host).toBe(400);
      expect(answer.type, host).toMatch(/^text\/html/);
      expect(find(answer.body, '[role="alert"]')?.text, host).toContain('Host');
    }
    expect((await getWithHost('/login', new URL(app.url).host)).status).toBe(200);
  });
});

describe('two tabs (or two leads of one chapter) saving one step’s draft', () => {
  // A draft save replaced whatever draft was stored, so the second save silently discarded work
  // saved after its page was opened.
  it('refuses the save made on a page that did not show the newer draft (409), keeping what was typed; a second save replaces it knowingly', async () => {
    const id = proposalAt('agenda', `Probe two ${Math.random()}`);
    const agenda = `/proposals/${id}/steps/agenda`;
    const version = String(proposalRow(id)!.version);
    const pageA = await (await app.fetch(agenda, { cookie: lead })).text();
    const pageB = await (await app.fetch(agenda, { cookie: lead })).text();
    const draft = (page: string, text: string) => ({
      version,
      draftSeen: fieldValue(page, 'draftSeen') ?? '',
      intent: 'save-draft',
      'items[0].text': text,
      'items[0].scope': 'event',
    });

    expect((await app.post(agenda, draft(pageA, 'Saved first, in tab A'), lead)).status).toBe(302);
    const refused = await app.post(agenda, draft(pageB, 'Typed in tab B'), lead);
    expect(refused.status).toBe(409);
    const refusedHtml = await refused.text();
    expect(find(refusedHtml, '#form-alert')?.text).toContain('was saved after you opened this page');
    expect(fieldValue(refusedHtml, 'items[0].text')).toBe('Typed in tab B');
    expect(JSON.stringify(stepDraft(id, 'agenda')!.data)).toContain('Saved first, in tab A');

    // The refusal's page shows the newer draft's time: saving from it replaces that draft on purpose.
    expect((await app.post(agenda, draft(refusedHtml, 'Typed in tab B'), lead)).status).toBe(302);
    expect(JSON.stringify(stepDraft(id, 'agenda')!.data)).toContain('Typed in tab B');
  });
});

describe('a new-proposal form posted to the partner search stage', () => {
  // The page draws its form, and so its messages, only at the event stage (?partnerId= or ?new=1):
  // a post to /proposals/new itself was refused 400 with nothing on the page saying why.
  it('says why nothing was created', async () => {
    const response = await app.post('/proposals/new', { eventTitle: 'An event without its partner' }, lead);
    expect(response.status).toBe(400);
    expect(alertsOf(await response.text())).toContain('Nothing was created');
  });
});

describe('a perception answer sent where the review does not apply (another tab changed the agenda)', () => {
  it('says why nothing was saved (409), beside the page that says the review is not applicable', async () => {
    const id = proposalAt('risk', `No perception review ${Math.random()}`);
    const version = String(proposalRow(id)!.version);
    const response = await app.post(`/proposals/${id}/steps/perception`, { intent: 'submit', version, 'answers.no_boycott_call_in_name.answer': 'met' }, lead);
    expect(response.status).toBe(409);
    const page = visibleText(await response.text());
    expect(page).toContain('Not applicable');
    expect(page).toContain('This step is not open');
    expect(proposalRow(id)!.version).toBe(Number(version));
  });
});
