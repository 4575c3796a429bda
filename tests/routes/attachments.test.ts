import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepDraft, proposalRow } from '../../db/proposals';
import { recordsOfProposal } from '../../db/decision-log';
import { storeUpload } from '../../app/features/attachments/attachments.server';
import { bytesOf } from '../../db/attachment-store';
import { CRITERIA } from '../integration/review-fixtures';
import { proposalAt } from '../integration/step-fixtures';
import { startApp, type TestApp } from '../support/app-server';
import { find, parseHtml } from '../support/html';
import { sampleDocx, sampleHtml, samplePdf } from '../support/sample-files';

// Evidence files over HTTP: attached from a step form without JavaScript (multipart),
// refused beside the field with the rest kept, and downloaded only by those who may see
// the proposal, always as a download of the detected type.

process.env.THROTTLE_DELAY_STEP_MS = '0';

let app: TestApp;
let lead: string;
let otherLead: string;
let staff: string;
beforeAll(async () => {
  app = await startApp();
  [lead, otherLead, staff] = await Promise.all([app.login('lead@cosponsor.test'), app.login('lead2@cosponsor.test'), app.login('staff@cosponsor.test')]);
});
afterAll(() => app.close());

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function valuesForm(id: number, fields: Record<string, string>, files: Record<string, { bytes: Buffer; name: string; type?: string }> = {}): FormData {
  const form = new FormData();
  form.append('version', String(proposalRow(id)!.version));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const [k, f] of Object.entries(files)) form.append(k, new Blob([new Uint8Array(f.bytes)], { type: f.type ?? 'application/octet-stream' }), f.name);
  return form;
}

const postForm = (id: number, form: FormData, cookie = lead) => app.fetch(`/proposals/${id}/steps/values`, { method: 'POST', body: form, cookie });

describe('attaching a file on a step form', () => {
  it('stores it by content, lists it with its effective date, and saves the draft', async () => {
    const id = proposalAt('values', 'Route attach');
    const pdf = samplePdf('Board list');
    const response = await postForm(
      id,
      valuesForm(
        id,
        { intent: 'attach', 'ratings.independence.evidence': 'Typed before attaching', 'ratings.independence.uploadDate': '2025-11-30' },
        // The browser's claimed type is not believed either way.
        { 'ratings.independence.upload': { bytes: pdf, name: 'board list.pdf', type: 'text/html' } },
      ),
    );
    expect(response.status).toBe(200);
    const html = await response.text();
    const link = find(html, `a[href="/proposals/${id}/attachments/${sha(pdf)}"]`);
    expect(link?.text).toBe('board list.pdf');
    expect(find(html, 'input[name="ratings.independence.attachments[0].effectiveDate"]')?.getAttribute('value')).toBe('2025-11-30');
    expect(find(html, 'textarea[name="ratings.independence.evidence"]')?.text).toBe('Typed before attaching');
    expect(find(html, 'form#step-form')?.getAttribute('enctype')).toBe('multipart/form-data');
    const draft = stepDraft(id, 'values')!.data as { ratings: Record<string, { attachments: { sha256: string; type: string; size: string }[] }> };
    expect(draft.ratings.independence!.attachments).toEqual([
      expect.objectContaining({ sha256: sha(pdf), type: 'application/pdf', size: String(pdf.length), name: 'board list.pdf' }),
    ]);
  });

  it('refuses an HTML page named .pdf with a 415 beside the file field, keeping what was typed', async () => {
    const id = proposalAt('values', 'Route html');
    const response = await postForm(
      id,
      valuesForm(id, { intent: 'save-draft', 'ratings.transparency.evidence': 'Kept text' }, { 'ratings.transparency.upload': { bytes: sampleHtml(), name: 'funding.pdf', type: 'application/pdf' } }),
    );
    expect(response.status).toBe(415);
    const html = await response.text();
    expect(find(html, '#f-ratings-transparency-upload-error')?.text).toMatch(/“funding\.pdf” was not attached: .*not one of the accepted types/);
    expect(find(html, '#f-ratings-transparency-upload')?.getAttribute('aria-describedby')).toContain('f-ratings-transparency-upload-error');
    expect(find(html, 'textarea[name="ratings.transparency.evidence"]')?.text).toBe('Kept text');
    expect(stepDraft(id, 'values')).toBeUndefined();
  });

  it('refuses a file over UPLOAD_MAX_BYTES with a 413 beside the field, keeping what was typed', async () => {
    const id = proposalAt('values', 'Route big');
    process.env.UPLOAD_MAX_BYTES = '4096';
    try {
      const big = Buffer.concat([samplePdf(), Buffer.alloc(6000, 0x20)]);
      const response = await postForm(
        id,
        valuesForm(id, { intent: 'attach', 'ratings.independence.evidence': 'Still here' }, { 'ratings.independence.upload': { bytes: big, name: 'scan.pdf' } }),
      );
      expect(response.status).toBe(413);
      const html = await response.text();
      expect(find(html, '#f-ratings-independence-upload-error')?.text).toMatch(/“scan\.pdf” was not attached: The file is larger than 4 KB\. A file may be at most 4 KB/);
      expect(find(html, 'textarea[name="ratings.independence.evidence"]')?.text).toBe('Still here');
      // Far beyond the limit: refused by the HTTP layer before it is read, still a 4xx with a sentence.
      const huge = await postForm(id, valuesForm(id, { intent: 'attach' }, { 'ratings.independence.upload': { bytes: Buffer.alloc(3 * 1024 * 1024), name: 'huge.pdf' } }));
      expect(huge.status).toBe(413);
      expect(await huge.text()).toContain('A file may be at most 4 KB');
    } finally {
      delete process.env.UPLOAD_MAX_BYTES;
    }
  });

  it('records the file on submit, and a listed file that is not in the store is refused', async () => {
    const id = proposalAt('values', 'Route submit');
    const docx = sampleDocx();
    const fields: Record<string, string> = { intent: 'submit' };
    for (const k of CRITERIA) fields[`ratings.${k}.rating`] = 'meets';
    // A hand-made row naming a file never uploaded is refused beside it.
    const forged = { ...fields, 'ratings.independence.attachments[0].sha256': 'f'.repeat(64), 'ratings.independence.attachments[0].size': '10', 'ratings.independence.attachments[0].type': 'application/pdf', 'ratings.independence.attachments[0].name': 'x.pdf', 'ratings.independence.attachments[0].effectiveDate': '2026-01-01', 'ratings.independence.attachments[0].uploadedAt': '2026-01-01T00:00:00Z' };
    const refused = await postForm(id, valuesForm(id, forged));
    expect(refused.status).toBe(400);
    expect(find(await refused.text(), '#f-ratings-independence-attachments-0-error')?.text).toMatch(/not in the file store as listed/);

    const response = await postForm(
      id,
      valuesForm(id, { ...fields, 'ratings.transparency.uploadDate': '2026-02-01' }, { 'ratings.transparency.upload': { bytes: docx, name: 'funders.docx' } }),
    );
    expect(response.status).toBe(302);
    const inputs = JSON.parse(recordsOfProposal(id).at(-1)!.inputs) as { command: { input: { ratings: Record<string, { attachments?: unknown[] }> } } };
    expect(inputs.command.input.ratings.transparency!.attachments).toEqual([
      expect.objectContaining({ sha256: sha(docx), size: docx.length, name: 'funders.docx', effectiveDate: '2026-02-01' }),
    ]);
  });
});

describe('the risk and perception steps', () => {
  it('attach files to a risk item and a perception item; a file is removed from a draft without JavaScript', async () => {
    const risk = proposalAt('risk', 'Route risk files');
    const pdf = samplePdf('Risk evidence');
    const form = new FormData();
    form.append('version', String(proposalRow(risk)!.version));
    form.append('intent', 'attach');
    form.append('items[0].kind', 'risk');
    form.append('items[0].description', 'Press may misread the event.');
    form.append('items[0].uploadDate', '2026-02-02');
    form.append('items[0].upload', new Blob([new Uint8Array(pdf)]), 'press.pdf');
    form.append('items[1].kind', 'benefit');
    const attached = await app.fetch(`/proposals/${risk}/steps/risk`, { method: 'POST', body: form, cookie: lead });
    expect(attached.status).toBe(200);
    const html = await attached.text();
    expect(find(html, `a[href="/proposals/${risk}/attachments/${sha(pdf)}"]`)?.text).toBe('press.pdf');
    const draft = () => stepDraft(risk, 'risk')!.data as { items: { attachments: { sha256: string }[] }[] };
    expect(draft().items[0]!.attachments.map((a) => a.sha256)).toEqual([sha(pdf)]);

    // The row's "Remove" button: conform's remove intent on the item's list of files.
    const removal = find(html, 'button[name="__intent__"][value*="items[0].attachments"]')!.getAttribute('value')!;
    const again = new FormData();
    again.append('version', String(proposalRow(risk)!.version));
    for (const input of parseHtml(html).querySelectorAll('form#step-form input[type="hidden"], form#step-form input[type="date"]')) {
      const name = input.getAttribute('name');
      if (name && name !== 'version') again.append(name, input.getAttribute('value') ?? '');
    }
    again.append('__intent__', removal);
    const removed = await app.fetch(`/proposals/${risk}/steps/risk`, { method: 'POST', body: again, cookie: lead });
    expect(removed.status).toBe(200);
    expect(await removed.text()).toContain('The file was removed from the list');
    expect(draft().items[0]!.attachments).toEqual([]);

    const perception = proposalAt('perception', 'Route perception files');
    const key = 'no_bds_signup';
    const p = new FormData();
    p.append('version', String(proposalRow(perception)!.version));
    p.append('intent', 'attach');
    p.append(`answers.${key}.uploadDate`, '2026-02-03');
    p.append(`answers.${key}.upload`, new Blob([new Uint8Array(sampleDocx())]), 'flyer.docx');
    const answered = await app.fetch(`/proposals/${perception}/steps/perception`, { method: 'POST', body: p, cookie: lead });
    expect(answered.status).toBe(200);
    expect(find(await answered.text(), `a[href="/proposals/${perception}/attachments/${sha(sampleDocx())}"]`)?.text).toBe('flyer.docx');
  });

  it('keeps the form limit for posts that take no files, multipart or not', async () => {
    const id = proposalAt('agenda', 'Route agenda big');
    const form = new FormData();
    form.append('version', String(proposalRow(id)!.version));
    form.append('intent', 'save-draft');
    form.append('items[0].upload', new Blob([new Uint8Array(3 * 1024 * 1024)]), 'big.pdf');
    const response = await app.fetch(`/proposals/${id}/steps/agenda`, { method: 'POST', body: form, cookie: lead });
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('The form is too large to accept');
  });
});

describe('a file sent where a step form takes text', () => {
  it('is refused beside that field (400), with the row and everything else kept, and nothing saved', async () => {
    const id = proposalAt('agenda', 'Route file in a text field');
    const draftBefore = stepDraft(id, 'agenda');
    const form = new FormData();
    form.append('version', String(proposalRow(id)!.version));
    form.append('intent', 'save-draft');
    // A hand-made post: the first item's text arrives as a file part.
    form.append('items[0].text', new Blob(['Divest from arms makers'], { type: 'text/plain' }), 'item.txt');
    form.append('items[0].scope', 'general');
    form.append('items[0].classification', 'unknown');
    form.append('items[1].text', 'Free the detained journalists');
    form.append('items[1].scope', 'event');
    form.append('items[1].classification', 'unknown');
    const response = await app.fetch(`/proposals/${id}/steps/agenda`, { method: 'POST', body: form, cookie: lead });
    expect(response.status).toBe(400);
    const html = await response.text();
    // The row is still there, with its message beside the field the file was sent in.
    expect(find(html, '#f-items-0-text-error')?.text).toContain('A file (“item.txt”) was sent here, where text was expected');
    expect(find(html, '#f-items-0-text')?.getAttribute('aria-describedby')).toContain('f-items-0-text-error');
    expect(find(html, 'input[name="items[0].scope"][value="general"]')?.hasAttribute('checked')).toBe(true);
    expect(find(html, 'textarea[name="items[1].text"]')?.text).toBe('Free the detained journalists');
    expect(find(html, '#form-alert')?.text).toMatch(/nothing was saved/i);
    expect(stepDraft(id, 'agenda')).toEqual(draftBefore);
  });
});

describe('downloading a file', () => {
  let id: number;
  const pdf = samplePdf('In review');
  beforeAll(async () => {
    // A required criterion not met sends the proposal straight to staff: the dossier shows the values step.
    id = proposalAt('values', 'Route download');
    const fields: Record<string, string> = { intent: 'submit', 'ratings.independence.uploadDate': '2026-01-15' };
    for (const k of CRITERIA) fields[`ratings.${k}.rating`] = k === 'independence' ? 'not_met' : 'meets';
    fields['ratings.independence.evidence'] = 'Funded by a party.';
    const response = await postForm(id, valuesForm(id, fields, { 'ratings.independence.upload': { bytes: pdf, name: 'party-funding.pdf' } }));
    expect(response.status).toBe(302);
  });

  it('serves it to the lead and to staff as a download of the detected type, never sniffed, sandboxed', async () => {
    for (const cookie of [lead, staff]) {
      const response = await app.fetch(`/proposals/${id}/attachments/${sha(pdf)}`, { cookie });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(response.headers.get('content-disposition')).toBe(`attachment; filename="party-funding.pdf"; filename*=UTF-8''party-funding.pdf`);
      // (The app sends nosniff on every answer too: each value says it.)
      expect(response.headers.get('x-content-type-options')!.split(/,\s*/).every((v) => v === 'nosniff')).toBe(true);
      expect(response.headers.get('content-security-policy')).toContain('sandbox');
      expect(Buffer.from(await response.arrayBuffer()).equals(pdf)).toBe(true);
    }
  });

  it('refuses someone who may not view the proposal, and a file the proposal does not cite', async () => {
    const other = await app.fetch(`/proposals/${id}/attachments/${sha(pdf)}`, { cookie: otherLead });
    expect(other.status).toBe(403);
    expect(await other.text()).toContain('Chapter leads see only their own chapter');
    const anonymous = await app.fetch(`/proposals/${id}/attachments/${sha(pdf)}`);
    expect([302, 401]).toContain(anonymous.status);
    // Stored, but cited by another proposal only: not served through this one.
    const lone = await storeUpload(bytesOf(samplePdf('Elsewhere')), 'elsewhere.pdf');
    expect(lone.ok).toBe(true);
    const notCited = await app.fetch(`/proposals/${id}/attachments/${lone.ok ? lone.ref.sha256 : ''}`, { cookie: staff });
    expect(notCited.status).toBe(404);
    expect((await app.fetch(`/proposals/${id}/attachments/not-a-hash`, { cookie: staff })).status).toBe(404);
  });

  it('serves a file cited only in a draft to those who may edit the draft, and to nobody else (404, as if not cited)', async () => {
    const drafted = proposalAt('values', 'Route draft-only file');
    const unsubmitted = samplePdf('Not yet submitted');
    const attached = await postForm(
      drafted,
      valuesForm(drafted, { intent: 'attach', 'ratings.independence.uploadDate': '2026-02-01' }, { 'ratings.independence.upload': { bytes: unsubmitted, name: 'draft-only.pdf' } }),
    );
    expect(attached.status).toBe(200);
    const href = `/proposals/${drafted}/attachments/${sha(unsubmitted)}`;
    const byLead = await app.fetch(href, { cookie: lead });
    expect(byLead.status).toBe(200);
    expect(Buffer.from(await byLead.arrayBuffer()).equals(unsubmitted)).toBe(true);
    // Staff, reviewers and admins see the proposal, but not what its lead has not submitted.
    const [reviewer, admin] = await Promise.all([app.login('reviewer@cosponsor.test'), app.login('admin@cosponsor.test')]);
    for (const cookie of [staff, reviewer, admin]) {
      const refused = await app.fetch(href, { cookie });
      expect(refused.status).toBe(404);
      expect(await refused.text()).toContain('This file');
    }
    expect((await app.fetch(href, { cookie: otherLead })).status).toBe(403);
  });

  it('lists it in the dossier and on the record page', async () => {
    const href = `/proposals/${id}/attachments/${sha(pdf)}`;
    const dossier = await (await app.fetch(`/review/${id}`, { cookie: staff })).text();
    expect(find(dossier, `#step-values a[href="${href}"]`)?.text).toBe('party-funding.pdf');
    expect(parseHtml(dossier).querySelector('#step-values .attachment-list')?.text).toContain('effective 2026-01-15');
    const record = await (await app.fetch(`/proposals/${id}/record`, { cookie: lead })).text();
    expect(find(record, `[data-testid="record-files"] a[href="${href}"]`)?.text).toBe('party-funding.pdf');
    expect(find(record, '[data-testid="record-files"]')?.text).toContain(sha(pdf));
  });
});
