import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeConfig } from '../../db/config';
import { partnerById } from '../../db/partners';
import { proposalRow } from '../../db/proposals';
import { initialEditorState } from '../../app/features/mou/mou.server';
import { startApp, type TestApp } from '../support/app-server';
import { proposalAtMouStep } from '../integration/mou-fixtures';
import { newPartner, proposalInReview } from '../integration/review-fixtures';
import { find, visibleText } from '../support/html';

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
function docxText(bytes: ArrayBuffer): string {
  const xml = strFromU8(unzipSync(new Uint8Array(bytes))['word/document.xml']!);
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
