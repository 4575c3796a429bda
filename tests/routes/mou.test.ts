import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeConfig } from '../../db/config';
import { latestRecordOfProposal, recordsOfProposal } from '../../db/decision-log';
import { mouViewOf } from '../../db/mou-views';
import { mouVersion, mouVersionList, proposalRow } from '../../db/proposals';
import { initialEditorState, type EditorState } from '../../app/features/mou/mou.server';
import { decide } from '../../app/features/vetting/vetting.server';
import { startApp, type TestApp } from '../support/app-server';
import { mouEditorForm as editorForm } from '../support/mou-editor-form';
import { actor, approvedCase1, proposalAtMouStep, seededCase1 } from '../integration/mou-fixtures';
import { fieldValue, visibleText } from '../support/html';

let app: TestApp;
let lead: string;
beforeAll(async () => {
  app = await startApp();
  lead = await app.login('lead@cosponsor.test');
});
afterAll(() => app.close());

async function page(path: string, cookie: string) {
  const response = await app.fetch(path, { cookie });
  return { status: response.status, html: await response.text(), location: response.headers.get('location'), headers: response.headers };
}

/** The visible text of a page, read through an HTML parser. */
const text = (html: string) => visibleText(html);


function locate(state: EditorState, kind: 'perception' | 'risk') {
  for (const [i, s] of state.sections.entries()) {
    const j = s.clauses.findIndex((c) => c.id.startsWith(`${kind}:`));
    if (j >= 0) return { i, j, clause: s.clauses[j]! };
  }
  throw new Error(`No ${kind} clause`);
}

describe('the MOU step page', () => {
  it('shows the generated draft, each required clause beside what required it, with a link there', async () => {
    const id = proposalAtMouStep();
    const { status, html } = await page(`/proposals/${id}/steps/mou`, lead);
    expect(status).toBe(200);
    const state = initialEditorState(id, proposalRow(id)!.version);
    for (const c of state.sections.flatMap((s) => s.clauses)) expect(text(html)).toContain(c.text);
    expect(html).toContain(`/proposals/${id}/steps/perception#item-not_on_bds_materials`);
    expect(html).toMatch(new RegExp(`/proposals/${id}/steps/risk#item-\\d+`));
    expect(text(html)).toContain('Required by perception checklist');
    expect(text(html)).toContain('Required by risk mitigation');
    expect(html).toContain('name="baseVersion"');
    expect(html).toContain('name="version"');
  });

  it('refuses to remove a required clause without a reason, beside the clause, keeping the text; saves it with one', async () => {
    const id = proposalAtMouStep();
    const state = initialEditorState(id, proposalRow(id)!.version);
    const { i, j, clause } = locate(state, 'perception');

    // "Remove" (no JavaScript): the clause stays on the page, marked removed, asking why.
    const removed = await app.post(`/proposals/${id}/steps/mou`, editorForm(state, `remove:${i}:${j}`), lead);
    expect(removed.status).toBe(200);
    const removedHtml = await removed.text();
    expect(text(removedHtml)).toContain(`Why is clause ${i + 1}.${j + 1} removed?`);
    expect(removedHtml).toContain(`name="sections[${i}].clauses[${j}].removed" value="on"`);

    const typed = 'Our own words, still here after the refusal.';
    const edited: EditorState = structuredClone(state);
    edited.sections[0]!.body = typed;
    edited.sections[i]!.clauses[j] = { ...clause, removed: true, reason: '' };
    const refused = await app.post(`/proposals/${id}/steps/mou`, editorForm(edited, 'save'), lead);
    expect(refused.status).toBe(400);
    const refusedHtml = await refused.text();
    const errorId = `mou-editor-sections[${i}].clauses[${j}].reason-error`;
    expect(refusedHtml).toContain(`id="${errorId}"`);
    expect(text(refusedHtml)).toContain('say why it is removed');
    expect(refusedHtml).toContain(typed);
    expect(text(refusedHtml)).toContain(clause.text);
    expect(mouVersionList(id)).toHaveLength(0);

    // Crafted without the clause at all (no "removed" marker): refused by the service, the clause comes back marked.
    const crafted: EditorState = structuredClone(state);
    crafted.sections[i]!.clauses.splice(j, 1);
    const craftedReply = await app.post(`/proposals/${id}/steps/mou`, editorForm(crafted, 'save'), lead);
    expect(craftedReply.status).toBe(400);
    expect(text(await craftedReply.text())).toContain('say why it is removed');
    expect(mouVersionList(id)).toHaveLength(0);

    const reason = 'The partner prints no flyer of its own for this event.';
    edited.sections[i]!.clauses[j]!.reason = reason;
    const saved = await app.post(`/proposals/${id}/steps/mou`, editorForm(edited, 'save', { note: 'First version' }), lead);
    expect(saved.status).toBe(302);
    expect(saved.headers.get('location')).toBe(`/proposals/${id}/steps/mou`);
    const version = mouVersion(id)!;
    expect(version.version).toBe(1);
    expect(version.note).toBe('First version');
    expect(version.sections[0]!.body).toBe(typed);
    expect(version.removed_conditions).toEqual([{ clauseId: clause.id, text: clause.text, reason }]);

    // Staff read the removal and its reason on the versions page.
    const staff = await app.login('staff@cosponsor.test');
    const versions = await page(`/proposals/${id}/mou/versions`, staff);
    expect(versions.status).toBe(200);
    expect(text(versions.html)).toMatch(/Required clauses removed \(\s*1\s*\)/);
    expect(text(versions.html)).toContain(reason);

    // Reading the page writes nothing; staff mark the version read with a POST.
    const staffId = actor('staff@cosponsor.test').id;
    expect(mouViewOf(staffId, id)).toBeUndefined();
    expect(versions.html).toContain('Mark version 1 as read');
    const marked = await app.post(`/proposals/${id}/mou/versions`, { version: '1' }, staff);
    expect(marked.status).toBe(302);
    expect(mouViewOf(staffId, id)?.mou_version).toBe(1);
    const leadMarks = await app.post(`/proposals/${id}/mou/versions`, { version: '1' }, lead);
    expect(leadMarks.status).toBe(403);
    expect(mouViewOf(actor('lead@cosponsor.test').id, id)).toBeUndefined();
  });

  it('adds a clause, and refuses a save based on an older version while keeping the text', async () => {
    const id = proposalAtMouStep();
    const state = initialEditorState(id, proposalRow(id)!.version);
    const conditions = state.sections.findIndex((s) => s.key === 'conditions');
    const added = await app.post(`/proposals/${id}/steps/mou`, editorForm(state, `add:${conditions}`), lead);
    const addedHtml = await added.text();
    const n = state.sections[conditions]!.clauses.length;
    const addedId = fieldValue(addedHtml, `sections[${conditions}].clauses[${n}].id`);
    expect(addedId).toMatch(/^custom:[a-f0-9]+$/);

    const mine: EditorState = structuredClone(state);
    mine.sections[conditions]!.clauses.push({ id: addedId!, text: 'The partner names its contact by e-mail.', removed: false, reason: '' });
    // Someone else saves first.
    const first = await app.post(`/proposals/${id}/steps/mou`, editorForm(state, 'save'), lead);
    expect(first.status).toBe(302);
    const late = await app.post(`/proposals/${id}/steps/mou`, editorForm(mine, 'save'), lead);
    expect(late.status).toBe(409);
    const lateHtml = await late.text();
    expect(text(lateHtml)).toContain('Someone saved version 1 of this MOU after you opened it');
    expect(lateHtml).toContain('The partner names its contact by e-mail.');
    expect(mouVersionList(id)).toHaveLength(1);
    // Told, the lead may now save on top of version 1.
    expect(lateHtml).toMatch(/name="baseVersion" value="1"/);
    const again = await app.post(`/proposals/${id}/steps/mou`, editorForm({ ...mine, baseVersion: 1 }, 'save'), lead);
    expect(again.status).toBe(302);
    const saved = mouVersion(id)!;
    expect(saved.version).toBe(2);
    expect(saved.sections[conditions]!.clauses.at(-1)).toMatchObject({ text: 'The partner names its contact by e-mail.', origin: null });

    // The diff between the two versions names the new words.
    const diff = await page(`/proposals/${id}/mou/versions?from=1&to=2`, lead);
    expect(diff.status).toBe(200);
    expect(diff.html).toMatch(/<ins class="diff">.*The partner names its contact by e-mail\./);
  });

  it('submits the saved version to staff, and refuses another chapter’s lead or staff', async () => {
    const id = proposalAtMouStep();
    const state = initialEditorState(id, proposalRow(id)!.version);
    expect((await app.post(`/proposals/${id}/steps/mou`, editorForm(state, 'save'), lead)).status).toBe(302);
    const staff = await app.login('staff@cosponsor.test');
    expect((await app.post(`/proposals/${id}/steps/mou`, editorForm(state, 'save'), staff)).status).toBe(403);
    const lead2 = await app.login('lead2@cosponsor.test');
    expect((await page(`/proposals/${id}/steps/mou`, lead2)).status).toBe(403);

    const p = proposalRow(id)!;
    const submitted = await app.post(`/proposals/${id}/steps/mou`, { intent: 'submit', version: String(p.version), baseVersion: '1' }, lead);
    expect(submitted.status).toBe(302);
    expect(proposalRow(id)!.state).toBe('review');
    const record = latestRecordOfProposal(id)!;
    expect(record).toMatchObject({ step: 'mou', outcome: 'submitted' });
    expect(JSON.parse(record.inputs).judged.mouVersion).toBe(1);
  });

  it('shows staff’s request at the top when the proposal is sent back to the MOU step', async () => {
    const id = proposalAtMouStep();
    const state = initialEditorState(id, proposalRow(id)!.version);
    await app.post(`/proposals/${id}/steps/mou`, editorForm(state, 'save'), lead);
    await app.post(`/proposals/${id}/steps/mou`, { intent: 'submit', version: String(proposalRow(id)!.version), baseVersion: '1' }, lead);
    const rationale = 'Name the partner’s contact person in the communication section before we decide.';
    const sent = decide({
      proposalId: id,
      expectedVersion: proposalRow(id)!.version,
      actor: actor('staff2@cosponsor.test'),
      command: { type: 'REQUEST_CHANGES', step: 'mou', rationale },
    });
    expect(sent.ok).toBe(true);
    const { html } = await page(`/proposals/${id}/steps/mou`, lead);
    const visible = text(html);
    expect(visible).toContain(rationale);
    expect(visible.indexOf(rationale)).toBeLessThan(visible.indexOf('Step 5: Memorandum of understanding'));
  });
});

describe('MOU not needed', () => {
  it('is offered prominently for a co-listing and needs a reason of at least 10 characters', async () => {
    const id = proposalAtMouStep('vaccine_equity_forum');
    const lead2 = await app.login('lead2@cosponsor.test');
    const { html } = await page(`/proposals/${id}/steps/mou`, lead2);
    expect(text(html)).toContain('A small one-off co-listing may not need an MOU');
    const version = String(proposalRow(id)!.version);
    const short = await app.post(`/proposals/${id}/steps/mou`, { intent: 'not-needed', version, reason: 'tiny' }, lead2);
    expect(short.status).toBe(400);
    expect(text(await short.text())).toContain('at least 10 characters');
    expect(proposalRow(id)!.state).toBe('mou');
    const reason = 'Only a co-sponsor line on the partner’s event page, nothing else shared.';
    const ok = await app.post(`/proposals/${id}/steps/mou`, { intent: 'not-needed', version, reason }, lead2);
    expect(ok.status).toBe(302);
    expect(proposalRow(id)!.state).toBe('review');
    expect(latestRecordOfProposal(id)).toMatchObject({ step: 'mou', outcome: 'mou_not_needed', rationale: reason });
  });
});

describe('editing the MOU of an approved proposal', () => {
  it('warns, needs the confirmation box, then voids the approval with a record', async () => {
    const id = approvedCase1();
    const { html } = await page(`/proposals/${id}/steps/mou`, lead);
    expect(text(html)).toContain('Editing this MOU voids the approval');
    expect(html).toMatch(/<input type="checkbox" name="confirmVoid"[^>]*required/);
    const state = initialEditorState(id, proposalRow(id)!.version);
    const records = recordsOfProposal(id).length;

    const unconfirmed = await app.post(`/proposals/${id}/steps/mou`, editorForm(state, 'save'), lead);
    expect(unconfirmed.status).toBe(400);
    expect(text(await unconfirmed.text())).toContain('Tick the box to confirm');
    expect(proposalRow(id)!.state).toBe('approved');

    const confirmed = await app.post(`/proposals/${id}/steps/mou`, editorForm(state, 'save', { confirmVoid: 'on' }), lead);
    expect(confirmed.status).toBe(302);
    expect(proposalRow(id)!.state).toBe('review');
    expect(recordsOfProposal(id).slice(records).map((r) => r.outcome)).toEqual(['reopened']);
  });
});

describe('exports', () => {
  it('downloads the .docx with its file name, and it carries the clauses, the reference and the record hash', async () => {
    const id = seededCase1();
    const p = proposalRow(id)!;
    const v = mouVersion(id)!;
    const response = await app.fetch(`/proposals/${id}/mou.docx`, { cookie: lead });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${p.reference}-MOU-v${v.version}.docx"`);
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    const xml = strFromU8(files['word/document.xml']!);
    expect(xml).toContain(p.reference);
    expect(xml).toContain(latestRecordOfProposal(id)!.hash);
    expect(xml).toContain('BDS');
    expect((await app.fetch(`/proposals/${id}/mou.docx?version=99`, { cookie: lead })).status).toBe(404);
    expect((await app.fetch(`/proposals/${id}/mou.docx`, { cookie: await app.login('lead2@cosponsor.test') })).status).toBe(403);
  });

  it('prints the MOU with the reference, the record hash and the signature table', async () => {
    const id = seededCase1();
    const { status, html } = await page(`/proposals/${id}/mou/print`, lead);
    expect(status).toBe(200);
    expect(html).toContain(proposalRow(id)!.reference);
    expect(html).toContain(latestRecordOfProposal(id)!.hash);
    expect(text(html)).toContain('Signature');
  });
});

describe('the MOU template (admin)', () => {
  it('saves a new configuration version, refuses unknown placeholders, and shows the history', async () => {
    const admin = await app.login('admin@cosponsor.test');
    expect((await page('/admin/config/mou', lead)).status).toBe(403);
    const { status, html } = await page('/admin/config/mou', admin);
    expect(status).toBe(200);
    const { docs, versions } = activeConfig();
    const form = (sections: { key: string; title: string; body: string }[], note: string) => {
      const f: Record<string, string> = { intent: 'save', baseVersion: String(versions.mou_template), note };
      sections.forEach((s, i) => {
        f[`sections[${i}].key`] = s.key;
        f[`sections[${i}].title`] = s.title;
        f[`sections[${i}].body`] = s.body;
      });
      return f;
    };
    expect(text(html)).toContain(docs.mou_template.sections[0]!.title);
    const bad = docs.mou_template.sections.map((s) => (s.key === 'term' ? { ...s, body: `${s.body} Until {{end_datum}}.` } : s));
    const refused = await app.post('/admin/config/mou', form(bad, 'Typo in a placeholder.'), admin);
    expect(refused.status).toBe(400);
    expect(text(await refused.text())).toContain('Unknown placeholder {{end_datum}}');

    const good = docs.mou_template.sections.map((s) => (s.key === 'term' ? { ...s, body: `${s.body} Renewal needs a new review.` } : s));
    const saved = await app.post('/admin/config/mou', form(good, 'Renewal sentence.'), admin);
    expect(saved.status).toBe(302);
    expect(activeConfig().versions.mou_template).toBe(versions.mou_template + 1);
    const history = await page('/admin/config/mou', admin);
    expect(text(history.html)).toContain('Renewal sentence.');
    const compare = await page(`/admin/config/mou?compare=${versions.mou_template}`, admin);
    expect(compare.html).toMatch(/<ins class="diff">.*Renewal needs a new review\./);
  });
});
