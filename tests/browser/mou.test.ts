import fs from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestRecordOfProposal } from '../../db/decision-log';
import { mouVersion, proposalRow } from '../../db/proposals';
import { generatedMouFor, saveMouVersion } from '../../app/features/mou/mou.server';
import { actor, approvedCase1, proposalAtMouStep } from '../integration/mou-fixtures';
import { tempDir } from '../support/db';
import { checkA11y, newPage, screenshot, signIn, startBrowserEnv, type BrowserEnv } from './support';

// The MOU step in Chromium, as the Chicago chapter lead: the generated draft,
// removing a required clause (refused without a reason), versions and their
// diff, the .docx download, the print page, and editing an approved MOU.

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(async () => {
  await env?.close();
});

async function visit(page: Page, name: string) {
  await checkA11y(page, name);
  await screenshot(page, name);
}

/** Clicks a button and waits until the resulting request has settled. */
async function press(page: Page, name: string | RegExp) {
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name, exact: typeof name === 'string' }).click()]);
  await page.waitForLoadState('networkidle');
}

/** A proposal of its own at the MOU step with this many saved versions; version 2 adds a renewal sentence. */
function atMouWithVersions(versions: number): number {
  const id = proposalAtMouStep();
  const lead = actor('lead@cosponsor.test');
  let sections = generatedMouFor(id);
  for (let v = 1; v <= versions; v++) {
    if (v === 2) sections = sections.map((s) => (s.title === 'Term and termination' ? { ...s, body: `${s.body} Renewal needs a new review.` } : s));
    saveMouVersion({ proposalId: id, actor: lead, sections, removedConditions: [], note: v === 2 ? 'Renewal sentence' : 'Generated.', baseVersion: v === 1 ? null : v - 1 });
  }
  return id;
}

// Each test sets up its own proposal, so the tests pass alone and in any order.
describe('the MOU step', () => {
  it('shows the draft with each required clause’s origin, and refuses a removal without a reason', async () => {
    const id = proposalAtMouStep();
    const page = await newPage(env);
    await signIn(page, 'lead@cosponsor.test');
    await page.goto(`/proposals/${id}/steps/mou`);
    expect(await page.getByRole('heading', { name: 'Step 5: Memorandum of understanding' }).count()).toBe(1);
    const perceptionLinks = page.locator(`a[href^="/proposals/${id}/steps/perception#item-"]`);
    const riskLinks = page.locator(`a[href^="/proposals/${id}/steps/risk#item-"]`);
    expect(await perceptionLinks.count()).toBeGreaterThanOrEqual(3);
    expect(await riskLinks.count()).toBeGreaterThanOrEqual(2);
    await visit(page, 'mou-01-draft');

    const clause = page.getByLabel('Clause 11.1 (required)');
    const clauseText = await clause.inputValue();
    await press(page, 'Remove clause 11.1');
    const reason = page.getByLabel('Why is clause 11.1 removed? (staff will read this)');
    await reason.waitFor();
    expect(await page.getByText(clauseText).count()).toBeGreaterThan(0);
    await press(page, 'Save the first version');
    await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('say why it is removed').count()).toBeGreaterThan(0);
    await visit(page, 'mou-02-reason-needed');

    await reason.fill('The partner prints no flyer of its own for this event.');
    await press(page, 'Save the first version');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Version 1 of the MOU saved.');
    expect(mouVersion(id)!.removed_conditions).toHaveLength(1);
    await page.context().close();
  });

  it('saves a second version and shows the word-level diff', async () => {
    const id = atMouWithVersions(1);
    const page = await newPage(env);
    await signIn(page, 'lead@cosponsor.test');
    await page.goto(`/proposals/${id}/steps/mou`);
    const term = page.getByLabel('Text of “Term and termination”');
    await term.fill(`${await term.inputValue()} Renewal needs a new review.`);
    await page.getByLabel('Note on this version (optional)').fill('Renewal sentence');
    await press(page, 'Save as a new version');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Version 2 of the MOU saved.');

    await page.getByRole('link', { name: /Versions and changes/ }).click();
    await page.waitForURL(/mou\/versions/);
    await page.getByLabel('Compare version').selectOption('1');
    await page.getByLabel('with version').selectOption('2');
    await press(page, 'Compare');
    await page.waitForURL(/from=1&to=2/);
    const inserted = page.locator('ins.diff').filter({ hasText: 'Renewal needs a new review.' });
    expect(await inserted.count()).toBe(1);
    await visit(page, 'mou-03-versions-diff');
    await page.context().close();
  });

  it('downloads the .docx, carrying the reference and the latest record hash, and prints', async () => {
    const id = atMouWithVersions(2);
    const page = await newPage(env);
    await signIn(page, 'lead@cosponsor.test');
    await page.goto(`/proposals/${id}/steps/mou`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download .docx' }).click()]);
    const reference = proposalRow(id)!.reference;
    expect(download.suggestedFilename()).toBe(`${reference}-MOU-v2.docx`);
    const file = path.join(tempDir('mou-docx-'), download.suggestedFilename());
    await download.saveAs(file);
    const xml = strFromU8(unzipSync(new Uint8Array(fs.readFileSync(file)))['word/document.xml']!);
    expect(xml).toContain(reference);
    expect(xml).toContain(latestRecordOfProposal(id)!.hash);
    expect(xml).toContain('Renewal needs a new review.');

    await page.goto(`/proposals/${id}/mou/print`);
    expect(await page.getByTestId('record-hash').textContent()).toBe(latestRecordOfProposal(id)!.hash);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
    await visit(page, 'mou-04-print');
    await page.context().close();
  });

  it('works without JavaScript: removing and keeping a clause', async () => {
    const id = atMouWithVersions(2);
    const page = await newPage(env, { javaScriptEnabled: false });
    await signIn(page, 'lead@cosponsor.test');
    await page.goto(`/proposals/${id}/steps/mou`);
    await page.getByRole('button', { name: 'Remove clause 12.1' }).click();
    await page.getByLabel('Why is clause 12.1 removed? (staff will read this)').waitFor();
    expect(await page.getByLabel('Clause 12.1 (required)').count()).toBe(0);
    await page.getByRole('button', { name: 'Keep clause 12.1' }).click();
    await page.getByLabel('Clause 12.1 (required)').waitFor();
    expect(await page.getByLabel('Why is clause 12.1 removed? (staff will read this)').count()).toBe(0);
    await page.context().close();
  });
});

describe('an approved MOU', () => {
  it('warns that saving voids the approval, needs the box ticked, then returns the proposal to review', async () => {
    const id = approvedCase1();
    const page = await newPage(env);
    await signIn(page, 'lead@cosponsor.test');
    await page.goto(`/proposals/${id}/steps/mou`);
    expect(await page.getByTestId('void-warning').isVisible()).toBe(true);
    await visit(page, 'mou-05-approved-warning');
    await page.getByLabel('I understand that saving voids the approval and returns the proposal to staff for review.').check();
    await press(page, 'Save and return to review');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('The approval is void');
    expect(proposalRow(id)!.state).toBe('review');
    await page.context().close();
  });
});

describe('the MOU template (admin)', () => {
  it('is accessible and shows the version history', async () => {
    const page = await newPage(env);
    await signIn(page, 'admin@cosponsor.test');
    await page.goto('/admin/config/mou');
    expect(await page.getByRole('heading', { name: 'Version history' }).count()).toBe(1);
    await visit(page, 'mou-06-admin-template');
    await page.context().close();
  });
});
