import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeConfig } from '../../db/config';
import { partnerById } from '../../db/partners';
import { listChapters, listUsers, userByEmail } from '../../db/users';
import { mouVersionList, proposalRow } from '../../db/proposals';
import { initialEditorState, type EditorState } from '../../app/features/mou/mou.server';
import { startApp, type TestApp } from '../support/app-server';
import { mouEditorForm } from '../support/mou-editor-form';
import { proposalAtMouStep } from '../integration/mou-fixtures';
import { newPartner, proposalInReview } from '../integration/review-fixtures';
import { find, formFields, visibleText } from '../support/html';

// Defects found by trying the running app as its users and as attackers would (fourth round:
// the MOU template and its exports, the admin pages).

process.env.THROTTLE_DELAY_STEP_MS = '0';

let app: TestApp;
let lead: string;
let admin: string;
beforeAll(async () => {
  app = await startApp();
  lead = await app.login('lead@cosponsor.test');
  admin = await app.login('admin@cosponsor.test');
});
afterAll(() => app.close());

/** The MOU template editor's post: the active template with `change` applied to its sections. */
function templateForm(change: (s: { key: string; title: string; body: string }) => { key: string; title: string; body: string }, note: string) {
  const { docs, versions } = activeConfig();
  const form: Record<string, string> = { intent: 'save', baseVersion: String(versions.mou_template), note };
  docs.mou_template.sections.map(change).forEach((s, i) => {
    form[`sections[${i}].key`] = s.key;
    form[`sections[${i}].title`] = s.title;
    form[`sections[${i}].body`] = s.body;
  });
  return form;
}

/** The text of every paragraph of a .docx's body, read back as Word would read its XML. */
function docxText(file: ArrayBuffer | Record<string, Uint8Array>): string {
  const parts = file instanceof ArrayBuffer ? unzipSync(new Uint8Array(file)) : file;
  const xml = strFromU8(parts['word/document.xml']!);
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(' ');
}

describe('a placeholder in an MOU template section’s title', () => {
  // The template editor checks placeholders in titles as in bodies (an unknown one is refused
  // beside the title), and the page says they are "filled from each proposal when its MOU is
  // drafted"; only the bodies were filled, so a title "Term of the agreement with {{partner}}"
  // went into every MOU, its print and its Word file with the braces in it.
  it('is filled from the proposal, in the editor, the print page, the Word file and the partner’s questionnaire', async () => {
    const titled = (s: { key: string; title: string; body: string }) =>
      s.key === 'term'
        ? { ...s, title: 'Term of the agreement with {{partner}}' }
        : s.key === 'names_logos'
          ? { ...s, title: 'Use of the names of {{organization}} and {{partner}}' }
          : s;
    const saved = await app.post('/admin/config/mou', templateForm(titled, 'Name the partner in the titles.'), admin);
    expect(saved.status).toBe(302);

    const id = proposalAtMouStep();
    const partnerName = partnerById(proposalRow(id)!.partner_id)!.name;
    const expected = `Term of the agreement with ${partnerName}`;
    expect(initialEditorState(id, proposalRow(id)!.version).sections.find((s) => s.key === 'term')!.title).toBe(expected);

    const step = await app.fetch(`/proposals/${id}/steps/mou`, { cookie: lead });
    expect(step.status).toBe(200);
    const stepText = visibleText(await step.text());
    expect(stepText).toContain(expected);
    expect(stepText).not.toContain('{{partner}}');

    const print = await app.fetch(`/proposals/${id}/mou/print`, { cookie: lead });
    expect(print.status).toBe(200);
    const printed = visibleText(await print.text());
    expect(printed).toContain(expected);
    expect(printed).not.toContain('{{partner}}');

    const docx = await app.fetch(`/proposals/${id}/mou.docx`, { cookie: lead });
    expect(docx.status).toBe(200);
    const words = docxText(await docx.arrayBuffer());
    expect(words).toContain(expected.replace(/&/g, '&amp;'));
    expect(words).not.toContain('{{partner}}');

    // The questionnaire a partner answers asks about the use of names under that section's title.
    const asked = proposalInReview({ partnerId: newPartner('Probe Titles Collective'), title: 'Probe titled questionnaire' });
    const link = await app.post(`/proposals/${asked}/partner`, { intent: 'create', contactName: 'Amal Haddad' }, lead);
    const linkPage = await link.text();
    expect(link.status, visibleText(linkPage).slice(0, 300)).toBe(200);
    const url = find(linkPage, '#created-link')!.getAttribute('value')!;
    const questionnaire = await app.fetch(`/q/${url.split('/q/')[1]!}`);
    expect(questionnaire.status).toBe(200);
    const questions = visibleText(await questionnaire.text());
    expect(questions).toMatch(/Use of the names of .+ and Probe Titles Collective/);
    expect(questions).not.toContain('{{');
  });
});


describe('an MOU whose text holds a character XML does not allow', () => {
  // U+FFFE and U+FFFF are not characters in XML 1.0. The Word library drops control characters
  // but not these, so one pasted into a clause (or a title or a partner's name) gave a
  // document.xml that is not well-formed: Word refused the file as corrupt.
  // eslint-disable-next-line no-control-regex -- the characters XML allows are exactly what this names
  const NOT_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

  it('downloads as a Word file whose every part is well-formed, the rest of the text kept', async () => {
    const id = proposalAtMouStep();
    const state = initialEditorState(id, proposalRow(id)!.version);
    const term = state.sections.findIndex((s) => s.key === 'term');
    state.sections[term]!.body = 'Pasted from a spreadsheet\uFFFE: the term ends\uFFFF with the event.';
    state.note = 'Pasted term.';
    const saved = await app.post(`/proposals/${id}/steps/mou`, mouEditorForm(state, 'save'), lead);
    expect(saved.status).toBe(302);

    const docx = await app.fetch(`/proposals/${id}/mou.docx`, { cookie: lead });
    expect(docx.status).toBe(200);
    const parts = unzipSync(new Uint8Array(await docx.arrayBuffer()));
    for (const [name, bytes] of Object.entries(parts)) {
      if (!name.endsWith('.xml') && !name.endsWith('.rels')) continue;
      expect(NOT_XML.exec(strFromU8(bytes)), name).toBeNull();
    }
    expect(docxText(parts)).toContain('Pasted from a spreadsheet: the term ends with the event.');
  });
});

describe('a chapter name that differs from another only in the case of an accented letter, its accents’ encoding or its spaces', () => {
  // Names are compared in lower case, which SQLite's lower() does for A-Z only: "San José" was
  // a new name beside "SAN JOSÉ", as were "San Jose\u0301" (the accent as a combining mark, as
  // some keyboards and pasted text send it) and "San  José": chapters the lists show alike,
  // so an admin could put a lead into the wrong one.
  it('is refused as the same name beside the field, with what was typed kept, and adds no chapter', async () => {
    expect((await app.post('/admin/chapters', { intent: 'create', name: 'SAN JOSÉ LOCAL GROUP', region: 'West' }, admin)).status).toBe(302);
    const count = listChapters().length;
    for (const name of ['San José Local Group', 'SAN JOSE\u0301 LOCAL GROUP', 'SAN  JOSÉ  LOCAL GROUP']) {
      const refused = await app.post('/admin/chapters', { intent: 'create', name, region: '' }, admin);
      expect(refused.status, name).toBe(400);
      const html = await refused.text();
      expect(visibleText(html)).toContain('A chapter with this name already exists.');
      const field = find(html, 'section[aria-labelledby="create-chapter-title"] input[name="name"]')!;
      expect(field.getAttribute('value')).toBe(name);
      // Beside the field: the message is what the field's description points at.
      const described = (field.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
      expect(described.map((d) => visibleText(find(html, `[id="${d}"]`)!)).join(' ')).toContain('A chapter with this name already exists.');
    }
    expect(listChapters().length).toBe(count);

    // Renaming another chapter to such a name is refused the same way.
    expect((await app.post('/admin/chapters', { intent: 'create', name: 'Probe Other Group', region: '' }, admin)).status).toBe(302);
    const other = listChapters().find((c) => c.name === 'Probe Other Group')!;
    const renamed = await app.post('/admin/chapters', { intent: 'rename', chapterId: String(other.id), name: 'san josé local group', region: '' }, admin);
    expect(renamed.status).toBe(400);
    expect(visibleText(await renamed.text())).toContain('Another chapter already has this name.');
    expect(listChapters().find((c) => c.id === other.id)!.name).toBe('Probe Other Group');
  });
});

describe('an MOU editor post that names a section twice', () => {
  // Clause ids were checked for repeats, section keys were not: a post carrying the "term"
  // section twice was saved as an MOU with two "Term" sections (printed, exported and compared
  // as such), where the editor never offers to repeat a section.
  it('is refused with a message, and saves nothing', async () => {
    const id = proposalAtMouStep();
    const state = initialEditorState(id, proposalRow(id)!.version);
    const term = state.sections.find((s) => s.key === 'term')!;
    const twice: EditorState = { ...state, note: 'Twice.', sections: [...state.sections, { ...term, body: `${term.body} Again.`, clauses: [] }] };
    const refused = await app.post(`/proposals/${id}/steps/mou`, mouEditorForm(twice, 'save'), lead);
    expect(refused.status).toBe(400);
    // As any post the editor could not have sent: the page says so and shows the last saved text.
    const shown = await refused.text();
    expect(visibleText(shown)).toContain('The form could not be read');
    expect(shown).not.toContain(`${term.body} Again.`);
    expect(mouVersionList(id)).toHaveLength(0);
  });
});

describe('an account created with an e-mail address longer than mail allows', () => {
  // Addresses have at most 254 characters (RFC 5321). The form took any length, and the e-mail
  // notifications leave out an address they cannot send to: the person's settings page said
  // their e-mails went to that address, and none ever did.
  it('is refused beside the address, with what was typed kept, and no account made', async () => {
    const long = `${'a'.repeat(64)}@${'very-long-subdomain-name-of-the-chapter.'.repeat(5)}example.org`;
    expect(long.length).toBeGreaterThan(254);
    const count = listUsers().length;
    const refused = await app.post(
      '/admin/users',
      { intent: 'create', name: 'Long Address', email: long, password: 'a-long-enough-password', roles: ['staff'], chapterId: '' },
      admin,
    );
    expect(refused.status).toBe(400);
    const html = await refused.text();
    const field = find(html, 'section[aria-labelledby="create-user-title"] input[name="email"]')!;
    expect(field.getAttribute('value')).toBe(long);
    const described = (field.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
    expect(described.map((d) => visibleText(find(html, `[id="${d}"]`)!)).join(' ')).toContain('at most 254 characters');
    expect(listUsers().length).toBe(count);
  });
});

describe('a position’s perception-sensitive movement that no partner can be recorded as supporting', () => {
  // The agenda rule reads a partner as supporting a movement through the tag "supports_<movement>",
  // and partners are recorded only as "supports_bds". Typed as "BDS movement" (or "Boycott,
  // Divestment and Sanctions"), the movement made the tag "supports_bds_movement", which no
  // partner carries: the perception review stopped being asked for partners that support BDS,
  // and nothing said so.
  it('is refused beside the field, with what was typed kept, and saves no version', async () => {
    const html = await (await app.fetch('/admin/config/positions', { cookie: admin })).text();
    const fields = formFields(html, 'form[method="post"][aria-labelledby="editor-title"]');
    const i = activeConfig().docs.positions.positions.findIndex((p) => p.perceptionSensitive);
    expect(i).toBeGreaterThanOrEqual(0);
    const version = activeConfig().versions.positions;
    const refused = await app.post(
      '/admin/config/positions',
      { ...fields, [`positions[${i}].perceptionSensitive`]: 'BDS movement', note: 'Spell the movement out.' },
      admin,
    );
    expect(refused.status).toBe(400);
    const page = await refused.text();
    const field = find(page, `[name="positions[${i}].perceptionSensitive"]`)!;
    expect(field.getAttribute('value')).toBe('BDS movement');
    const described = (field.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
    expect(described.map((d) => visibleText(find(page, `[id="${d}"]`)!)).join(' ')).toContain('BDS');
    expect(activeConfig().versions.positions).toBe(version);

    // The movement partners can be recorded as supporting, in any case, is taken.
    const saved = await app.post('/admin/config/positions', { ...fields, [`positions[${i}].perceptionSensitive`]: 'bds', note: 'Lower case.' }, admin);
    expect(saved.status).toBe(302);
    expect(activeConfig().versions.positions).toBe(version + 1);
  });
});

describe('a proposal taken for review by a staff member who then leaves staff', () => {
  // "I'm reviewing this" holds a proposal for one staff member until they let go. Deactivated
  // (or no longer staff), they never can: the queue showed them reviewing it for good, and every
  // other staff member was refused "… is already reviewing" with no way to take it over.
  it('shows no one reviewing it, and another staff member can take it', async () => {
    const staff = await app.login('staff@cosponsor.test');
    const leaver = userByEmail('staff2@cosponsor.test')!;
    const byDeactivation = proposalInReview({ partnerId: newPartner('Probe Claim Left Group'), title: 'Probe taken then left' });
    const byRoleChange = proposalInReview({ partnerId: newPartner('Probe Claim Moved Group'), title: 'Probe taken then moved' });
    const leaverCookie = await app.login('staff2@cosponsor.test');
    for (const id of [byDeactivation, byRoleChange]) {
      expect((await app.post('/review?index', { intent: 'claim', proposal: String(id) }, leaverCookie)).status).toBe(302);
    }

    // No longer staff: a reviewer now.
    const moved = await app.post(`/admin/users/${leaver.id}`, { intent: 'update', roles: ['reviewer'], chapterId: '' }, admin);
    expect(moved.status).toBe(302);
    const dossier = visibleText(await (await app.fetch(`/review/${byRoleChange}`, { cookie: staff })).text());
    expect(dossier).not.toContain(`Being reviewed by ${leaver.name}`);
    expect((await app.post('/review?index', { intent: 'claim', proposal: String(byRoleChange) }, staff)).status).toBe(302);

    // Gone: the account deactivated.
    expect((await app.post(`/admin/users/${leaver.id}`, { intent: 'deactivate' }, admin)).status).toBe(302);
    const queue = visibleText(await (await app.fetch('/review', { cookie: staff })).text());
    expect(queue).not.toContain(`Being reviewed by ${leaver.name}`);
    const taken = await app.post('/review?index', { intent: 'claim', proposal: String(byDeactivation) }, staff);
    expect(taken.status).toBe(302);
    expect(visibleText(await (await app.fetch(`/review/${byDeactivation}`, { cookie: staff })).text())).toContain('You are reviewing this');
  });
});
