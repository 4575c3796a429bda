import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeConfig, configVersion } from '../../db/config';
import { all, qb } from '../../db/connection';
import { latestRecordOfProposal, recordsOfProposal } from '../../db/decision-log';
import { listProposals, proposalRow } from '../../db/proposals';
import type { ConfigKind } from '../../workflows/types';
import { startApp, type TestApp } from '../support/app-server';
import { find, formFields, parseHtml, visibleText } from '../support/html';

// The configuration editors (positions, values criteria, risk matrix, perception
// checklist) over HTTP: the posts a browser makes with JavaScript off.

let app: TestApp;
let admin: string;
let lead: string;
let staff: string;
beforeAll(async () => {
  app = await startApp();
  admin = await app.login('admin@cosponsor.test');
  lead = await app.login('lead@cosponsor.test');
  staff = await app.login('staff@cosponsor.test');
});
afterAll(() => app.close());

async function page(path: string, cookie: string) {
  const response = await app.fetch(path, { cookie });
  return { status: response.status, html: await response.text() };
}

/** What the browser would send for the page's editor form: every named field with its value (checked boxes only). */
const editorFields = (html: string) => formFields(html, 'form[method="post"][aria-labelledby="editor-title"]');

/** The name and value of the submit button a person would press, found by its text. */
function button(html: string, label: string): Record<string, string> {
  const form = parseHtml(html).querySelector('form[aria-labelledby="editor-title"]')!;
  const found = form.querySelectorAll('button').find((b) => visibleText(b).trim() === label);
  if (!found) throw new Error(`No button “${label}”`);
  const name = found.getAttribute('name');
  return name ? { [name]: found.getAttribute('value') ?? '' } : {};
}

/** The error shown beside the field named `name`, read through its aria-describedby. */
function errorBeside(html: string, name: string): string {
  const field = find(html, `[name="${name}"]`);
  if (!field) throw new Error(`No field ${name}`);
  const ids = (field.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  return ids.map((id) => visibleText(find(html, `[id="${id}"]`)?.outerHTML ?? '')).join(' ').trim();
}

const versionOf = (kind: ConfigKind) => activeConfig().versions[kind];
const versionCount = (kind: ConfigKind) => all(qb().selectFrom('config_versions').select('version').where('kind', '=', kind)).length;

describe('who may edit the configuration', () => {
  it('refuses the pages and their posts to everyone but admins, writing nothing', async () => {
    for (const path of ['/admin/config/values', '/admin/config/positions', '/admin/config/risk', '/admin/config/perception']) {
      for (const cookie of [lead, staff]) {
        expect((await page(path, cookie)).status).toBe(403);
        const before = all(qb().selectFrom('config_versions').select('id')).length;
        const posted = await app.post(path, { baseVersion: '1', note: 'Not mine to change.' }, cookie);
        expect(posted.status).toBe(403);
        expect(all(qb().selectFrom('config_versions').select('id')).length).toBe(before);
      }
    }
  });
});

describe('/admin/config/values', () => {
  it('saves a changed criterion as a new version with its note, shows it in the history and the comparison', async () => {
    const { status, html } = await page('/admin/config/values', admin);
    expect(status).toBe(200);
    const v = versionOf('values_criteria');
    expect(visibleText(html)).toContain(`Version ${v}`);
    const fields = editorFields(html);
    const i = activeConfig().docs.values_criteria.criteria.findIndex((c) => c.key === 'transparency');
    fields[`criteria[${i}].description`] += ' Funding above $10,000 must be named.';
    fields.note = 'Name large funders.';
    const saved = await app.post('/admin/config/values', fields, admin);
    expect(saved.status).toBe(302);
    expect(versionOf('values_criteria')).toBe(v + 1);
    expect(activeConfig().docs.values_criteria.criteria[i]!.description).toMatch(/Funding above \$10,000 must be named\.$/);
    // The earlier version is kept as it was.
    expect(configVersion('values_criteria', v)!.criteria[i]!.description).not.toContain('Funding above');

    const after = await page('/admin/config/values', admin);
    const history = visibleText(find(after.html, 'section[aria-labelledby="history-title"]')!);
    expect(history).toContain('Name large funders.');
    expect(history).toContain(`What changed in version ${v + 1}`);
    const compare = await page(`/admin/config/values?from=${v}&to=${v + 1}`, admin);
    const diff = find(compare.html, '[data-testid="config-diff"]')!;
    expect(diff.querySelector('[data-entry="transparency"]')!.getAttribute('data-status')).toBe('changed');
    expect(visibleText(diff.querySelector('ins')!)).toContain('Funding above $10,000 must be named.');
  });

  it('refuses a repeated key and an empty name beside the fields, keeps what was typed, and writes nothing', async () => {
    const { html } = await page('/admin/config/values', admin);
    const v = versionOf('values_criteria');
    const fields = editorFields(html);
    fields['criteria[1].key'] = fields['criteria[0].key']!;
    fields['criteria[2].label'] = '';
    fields['criteria[3].description'] = 'Typed text that must come back.';
    fields.note = 'Broken on purpose.';
    const refused = await app.post('/admin/config/values', fields, admin);
    expect(refused.status).toBe(400);
    const body = await refused.text();
    expect(errorBeside(body, 'criteria[1].key')).toContain('already uses the key');
    expect(errorBeside(body, 'criteria[2].label')).toContain('Enter the criterion’s name.');
    expect(visibleText(body)).toContain('Nothing was saved');
    expect(find(body, 'textarea[name="criteria[3].description"]')!.text).toBe('Typed text that must come back.');
    expect(versionOf('values_criteria')).toBe(v);
  });

  it('adds and removes criteria with plain submit buttons, and refuses to save none', async () => {
    const { html } = await page('/admin/config/values', admin);
    const count = activeConfig().docs.values_criteria.criteria.length;
    const fields = { ...editorFields(html), note: 'Kept while adding.' };
    const added = await app.post('/admin/config/values', { ...fields, ...button(html, 'Add a criterion') }, admin);
    expect(added.status).toBe(200);
    const addedHtml = await added.text();
    expect(find(addedHtml, `[name="criteria[${count}].key"]`)).not.toBeNull();
    expect(find(addedHtml, '[name="note"]')!.getAttribute('value')).toBe('Kept while adding.');

    const removed = await app.post('/admin/config/values', { ...editorFields(addedHtml), ...button(addedHtml, 'Remove criterion 1') }, admin);
    expect(removed.status).toBe(200);
    const removedHtml = await removed.text();
    expect(find(removedHtml, `[name="criteria[${count}].key"]`)).toBeNull();
    expect(find(removedHtml, '[name="criteria[0].key"]')!.getAttribute('value')).toBe(activeConfig().docs.values_criteria.criteria[1]!.key);

    const v = versionOf('values_criteria');
    const none = await app.post('/admin/config/values', { baseVersion: String(v), note: 'Remove every criterion.' }, admin);
    expect(none.status).toBe(400);
    expect(visibleText(await none.text())).toContain('Keep at least one criterion');
    expect(versionOf('values_criteria')).toBe(v);
  });

  it('refuses a save based on an older version, keeps the typed changes, and overwrites nothing', async () => {
    const { html } = await page('/admin/config/values', admin);
    const opened = editorFields(html);
    const v = versionOf('values_criteria');
    // Another admin saves first.
    const first = { ...opened, 'criteria[0].label': 'Independence from parties', note: 'Another admin’s change.' };
    expect((await app.post('/admin/config/values', first, admin)).status).toBe(302);

    const mine = { ...opened, 'criteria[1].label': 'Non-discrimination and respect', note: 'My change.' };
    const stale = await app.post('/admin/config/values', mine, admin);
    expect(stale.status).toBe(409);
    const body = await stale.text();
    expect(visibleText(body)).toContain(`Someone saved version ${v + 1} of the values criteria after you opened it, so nothing was saved.`);
    expect(find(body, '[name="criteria[1].label"]')!.getAttribute('value')).toBe('Non-discrimination and respect');
    expect(versionOf('values_criteria')).toBe(v + 1);
    expect(activeConfig().docs.values_criteria.criteria[0]!.label).toBe('Independence from parties');
    expect(activeConfig().docs.values_criteria.criteria[1]!.label).toBe('Non-discrimination');
    // The page offers the comparison, and saving again is now based on the newer version.
    expect(parseHtml(body).querySelectorAll('a').map((a) => a.getAttribute('href'))).toContain(`/admin/config/values?from=${v}&to=${v + 1}#compare-title`);
    expect(find(body, 'input[name="baseVersion"]')!.getAttribute('value')).toBe(String(v + 1));
  });

  it('new values decisions name the new version; records already made keep naming theirs', async () => {
    // A Chicago draft, sent on to its values step (the record of its creation names the versions then in force).
    const draft = listProposals({ states: ['draft'] }).find((p) => p.chapter_name === 'Chicago Local Group')!;
    const id = draft.id;
    const oldRecord = latestRecordOfProposal(id)!;
    expect((await app.post(`/proposals/${id}?index`, { intent: 'submit', version: String(proposalRow(id)!.version) }, lead)).status).toBe(302);
    expect(proposalRow(id)!.state).toBe('values');
    const oldVersions = JSON.parse(oldRecord.config_versions) as Record<ConfigKind, number>;

    const { html } = await page('/admin/config/values', admin);
    const fields = { ...editorFields(html), note: 'A new criterion on accessibility.' };
    const n = activeConfig().docs.values_criteria.criteria.length;
    Object.assign(fields, {
      [`criteria[${n}].key`]: 'accessibility',
      [`criteria[${n}].label`]: 'Accessibility',
      [`criteria[${n}].description`]: 'The event is accessible to disabled participants.',
    });
    expect((await app.post('/admin/config/values', fields, admin)).status).toBe(302);
    const newVersion = versionOf('values_criteria');
    expect(newVersion).toBeGreaterThan(oldVersions.values_criteria);

    const ratings = Object.fromEntries(
      activeConfig().docs.values_criteria.criteria.flatMap((c) => [
        [`ratings.${c.key}.rating`, 'meets'],
        [`ratings.${c.key}.evidence`, 'Checked on the group’s public pages.'],
      ]),
    );
    const submitted = await app.post(`/proposals/${id}/steps/values`, { ...ratings, intent: 'submit', version: String(proposalRow(id)!.version) }, lead);
    expect(submitted.status).toBe(302);
    const records = recordsOfProposal(id);
    const valuesRecord = records[records.length - 1]!;
    expect(valuesRecord.step).toBe('values');
    expect(JSON.parse(valuesRecord.config_versions).values_criteria).toBe(newVersion);
    expect(JSON.parse(valuesRecord.inputs)).toMatchObject({ command: { input: { ratings: { accessibility: { rating: 'meets' } } } } });
    // The record made before still names the version it used.
    const before = records.find((r) => r.seq === oldRecord.seq)!;
    expect(JSON.parse(before.config_versions).values_criteria).toBe(oldVersions.values_criteria);
  });
});

describe('/admin/config/risk', () => {
  it('refuses bands with a gap or an overlap, and saves contiguous bands and a new category', async () => {
    const { status, html } = await page('/admin/config/risk', admin);
    expect(status).toBe(200);
    const v = versionOf('risk_matrix');
    const fields = { ...editorFields(html), note: 'Wider medium band.' };

    const gap = await app.post('/admin/config/risk', { ...fields, 'bands[1].max': '8' }, admin);
    expect(gap.status).toBe(400);
    const gapHtml = await gap.text();
    expect(errorBeside(gapHtml, 'bands[2].min')).toContain('The high band must start at 9');
    expect(find(gapHtml, '[name="bands[1].max"]')!.getAttribute('value')).toBe('8');

    const overlap = await app.post('/admin/config/risk', { ...fields, 'bands[0].max': '6' }, admin);
    expect(overlap.status).toBe(400);
    expect(errorBeside(await overlap.text(), 'bands[1].min')).toContain('The medium band must start at 7');

    const short = await app.post('/admin/config/risk', { ...fields, 'bands[3].max': '20' }, admin);
    expect(short.status).toBe(400);
    expect(errorBeside(await short.text(), 'bands[3].max')).toContain('must end at 25');
    expect(versionOf('risk_matrix')).toBe(v);

    const withCategory = await app.post('/admin/config/risk', { ...fields, ...button(html, 'Add a category') }, admin);
    expect(withCategory.status).toBe(200);
    const addedHtml = await withCategory.text();
    const n = activeConfig().docs.risk_matrix.categories.length;
    const ok = {
      ...editorFields(addedHtml),
      'bands[1].max': '11',
      'bands[2].min': '12',
      [`categories[${n}]`]: 'accessibility',
    };
    const saved = await app.post('/admin/config/risk', ok, admin);
    expect(saved.status).toBe(302);
    expect(versionOf('risk_matrix')).toBe(v + 1);
    const matrix = activeConfig().docs.risk_matrix;
    expect(matrix.bands.map((b) => [b.min, b.max])).toEqual([
      [1, 4],
      [5, 11],
      [12, 14],
      [15, 25],
    ]);
    expect(matrix.categories).toContain('accessibility');
    const compare = await page(`/admin/config/risk?from=${v}&to=${v + 1}`, admin);
    const diff = find(compare.html, '[data-testid="config-diff"]')!;
    expect(diff.querySelector('[data-entry="band:medium"]')!.getAttribute('data-status')).toBe('changed');
    expect(visibleText(diff.querySelector('[data-entry=":categories"]')!)).toContain('accessibility');
  });
});

describe('/admin/config/perception', () => {
  it('refuses an unknown placeholder and a missing movement, then saves an edited item', async () => {
    const { status, html } = await page('/admin/config/perception', admin);
    expect(status).toBe(200);
    const v = versionOf('perception_checklist');
    const fields = { ...editorFields(html), note: 'Sharper disclaimer wording.' };
    const bad = await app.post('/admin/config/perception', { ...fields, movement: '', 'items[0].condition': 'No call in the name of {{organisation}}.' }, admin);
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(errorBeside(badHtml, 'movement')).toContain('Name the movement');
    expect(versionOf('perception_checklist')).toBe(v);
    const unknown = await app.post('/admin/config/perception', { ...fields, 'items[0].condition': 'No call in the name of {{organisation}}.' }, admin);
    expect(unknown.status).toBe(400);
    expect(errorBeside(await unknown.text(), 'items[0].condition')).toContain('Unknown placeholder {{organisation}}');
    expect(versionOf('perception_checklist')).toBe(v);

    const saved = await app.post('/admin/config/perception', { ...fields, 'items[0].label': 'Do all materials avoid a boycott call in the organization’s name?' }, admin);
    expect(saved.status).toBe(302);
    expect(versionOf('perception_checklist')).toBe(v + 1);
    expect(activeConfig().docs.perception_checklist.items[0]!.label).toBe('Do all materials avoid a boycott call in the organization’s name?');
    const compare = await page(`/admin/config/perception?from=${v}&to=${v + 1}`, admin);
    expect(find(compare.html, `[data-entry="${activeConfig().docs.perception_checklist.items[0]!.key}"]`)!.getAttribute('data-status')).toBe('changed');
  });
});

describe('/admin/config/positions', () => {
  it('refuses a repeated key and an unreadable source line, then saves a new position', async () => {
    const { status, html } = await page('/admin/config/positions', admin);
    expect(status).toBe(200);
    const v = versionOf('positions');
    const count = versionCount('positions');
    const fields: Record<string, string> = { ...editorFields(html), note: 'A position on the right to protest.' };
    const bad = await app.post('/admin/config/positions', { ...fields, 'positions[1].key': fields['positions[0].key']!, 'positions[0].sources': 'no colon here' }, admin);
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(errorBeside(badHtml, 'positions[1].key')).toContain('already uses the key');
    expect(errorBeside(badHtml, 'positions[0].sources')).toContain('Line 1: write the source document, a colon, then the quote');
    expect(find(badHtml, 'textarea[name="positions[0].sources"]')!.text).toBe('no colon here');
    expect(versionCount('positions')).toBe(count);

    const added = await app.post('/admin/config/positions', { ...fields, ...button(html, 'Add a position') }, admin);
    expect(added.status).toBe(200);
    const addedHtml = await added.text();
    const n = activeConfig().docs.positions.positions.length;
    const saved = await app.post(
      '/admin/config/positions',
      {
        ...editorFields(addedHtml),
        [`positions[${n}].key`]: 'right_to_protest',
        [`positions[${n}].statement`]: 'Protect the right to peaceful protest.',
        [`positions[${n}].stance`]: 'calls_for',
        [`positions[${n}].keywords`]: 'protest\nPeaceful Assembly',
        [`positions[${n}].sources`]: '004: Stand with peaceful protesters.',
      },
      admin,
    );
    expect(saved.status).toBe(302);
    expect(versionOf('positions')).toBe(v + 1);
    const position = activeConfig().docs.positions.positions.find((p) => p.key === 'right_to_protest')!;
    expect(position).toMatchObject({ campaignKey: null, stance: 'calls_for', keywords: ['protest', 'peaceful assembly'], sources: [{ seed: '004', quote: 'Stand with peaceful protesters.' }] });
    // Everything else is as it was.
    expect(activeConfig().docs.positions.positions.slice(0, n)).toEqual(configVersion('positions', v)!.positions);
    const compare = await page(`/admin/config/positions?from=${v}&to=${v + 1}`, admin);
    const diff = find(compare.html, '[data-testid="config-diff"]')!;
    expect(diff.querySelectorAll('[data-entry]').map((e) => [e.getAttribute('data-entry'), e.getAttribute('data-status')])).toEqual([['right_to_protest', 'added']]);
  });
});
