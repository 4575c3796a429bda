import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposalRow } from '../../db/proposals';
import { CRITERIA } from '../integration/review-fixtures';
import { proposalAt } from '../integration/step-fixtures';
import { tempDir } from '../support/db';
import { sampleHtml, samplePdf } from '../support/sample-files';
import { checkA11y, newPage, screenshot, signIn, startBrowserEnv, submitWith, type BrowserEnv } from './support';

// Evidence files in Chromium: the lead attaches a file to a values criterion (with and
// without JavaScript), submits, and staff see it in the dossier and download it.

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(async () => {
  await env?.close();
});

async function attach(page: Page, criterion: string, file: { name: string; buffer: Buffer }, date: string) {
  await page.getByLabel(`Attach a file for ${criterion}`).setInputFiles({ name: file.name, mimeType: 'application/pdf', buffer: file.buffer });
  await page.getByLabel(`Effective date of the document for ${criterion}`).fill(date);
  await submitWith(page, page.getByRole('button', { name: `Attach the file for ${criterion}` }));
}

describe('evidence files on the values step', () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`attaches a file ${javaScriptEnabled ? 'with' : 'without'} JavaScript; a bad file is refused beside its field`, async () => {
      const id = proposalAt('values', `Browser attach ${javaScriptEnabled ? 'js' : 'plain'}`);
      const page = await newPage(env, { javaScriptEnabled });
      await signIn(page, 'lead@cosponsor.test');
      await page.goto(`/proposals/${id}/steps/values`);
      await page.getByLabel('Evidence for Transparency').fill('Typed before the bad file');
      await attach(page, 'Transparency', { name: 'accounts.pdf', buffer: sampleHtml() }, '2026-01-31');
      const error = page.locator('#f-ratings-transparency-upload-error');
      expect(await error.textContent()).toMatch(/“accounts\.pdf” was not attached/);
      expect(await page.getByLabel('Evidence for Transparency').inputValue()).toBe('Typed before the bad file');
      await checkA11y(page, `attachments-refused-${javaScriptEnabled ? 'js' : 'plain'}`);

      await attach(page, 'Transparency', { name: 'accounts.pdf', buffer: samplePdf('Accounts') }, '2026-01-31');
      const link = page.getByRole('link', { name: 'accounts.pdf' });
      expect(await link.getAttribute('href')).toMatch(new RegExp(`^/proposals/${id}/attachments/[0-9a-f]{64}$`));
      expect(await page.getByLabel('Effective date of accounts.pdf').inputValue()).toBe('2026-01-31');
      expect(await page.getByLabel('Evidence for Transparency').inputValue()).toBe('Typed before the bad file');
      await checkA11y(page, `attachments-attached-${javaScriptEnabled ? 'js' : 'plain'}`);
      await screenshot(page, `attachments-values-${javaScriptEnabled ? 'js' : 'plain'}`);
      await page.context().close();
    });
  }

  it('submits the file, shows it in the dossier and downloads it as it was sent', async () => {
    const id = proposalAt('values', 'Browser dossier');
    const pdf = samplePdf('Independence evidence');
    const lead = await newPage(env);
    await signIn(lead, 'lead@cosponsor.test');
    await lead.goto(`/proposals/${id}/steps/values`);
    await attach(lead, 'Independence', { name: 'party-links.pdf', buffer: pdf }, '2025-10-01');
    // A required criterion not met: the proposal goes straight to staff with the evidence.
    for (const key of CRITERIA) await lead.check(`input[name="ratings.${key}.rating"][value="${key === 'independence' ? 'not_met' : 'meets'}"]`);
    await lead.getByLabel('Evidence for Independence').fill('The group is run by a party office.');
    await submitWith(lead, lead.getByRole('button', { name: 'Submit the values check' }));
    expect(proposalRow(id)!.state).toBe('review');

    const staff = await newPage(env);
    await signIn(staff, 'staff@cosponsor.test');
    await staff.goto(`/review/${id}`);
    const link = staff.locator('#step-values').getByRole('link', { name: 'party-links.pdf' });
    expect(await staff.locator('#step-values .attachment-list').textContent()).toContain('effective 2025-10-01');
    await checkA11y(staff, 'attachments-dossier');
    await screenshot(staff, 'attachments-dossier');
    const [download] = await Promise.all([staff.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('party-links.pdf');
    const file = path.join(tempDir('attachment-download-'), download.suggestedFilename());
    await download.saveAs(file);
    expect(fs.readFileSync(file).equals(pdf)).toBe(true);
  });
});

// The risk step's file fields are rendered by the server (its loader and each answer of its
// action) and placed in the form as HTML: the same controls must attach, refuse and remove
// files with JavaScript (client-side answers) and without it.
describe('evidence files on the risk step', () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`attaches and removes a file on a risk item ${javaScriptEnabled ? 'with' : 'without'} JavaScript`, async () => {
      const id = proposalAt('risk', `Browser risk files ${javaScriptEnabled ? 'js' : 'plain'}`);
      const page = await newPage(env, { javaScriptEnabled });
      await signIn(page, 'lead@cosponsor.test');
      await page.goto(`/proposals/${id}/steps/risk`);
      await page.getByLabel('Description of item 1').fill('Typed before the bad file');
      await attach(page, 'item 1', { name: 'press.pdf', buffer: sampleHtml() }, '2026-02-02');
      expect(await page.locator('#f-items-0-upload-error').textContent()).toMatch(/“press\.pdf” was not attached/);
      expect(await page.getByLabel('Description of item 1').inputValue()).toBe('Typed before the bad file');

      await attach(page, 'item 1', { name: 'press.pdf', buffer: samplePdf('Press') }, '2026-02-02');
      const link = page.getByRole('link', { name: 'press.pdf' });
      expect(await link.getAttribute('href')).toMatch(new RegExp(`^/proposals/${id}/attachments/[0-9a-f]{64}$`));
      expect(await page.getByLabel('Effective date of press.pdf').inputValue()).toBe('2026-02-02');
      expect(await page.getByLabel('Description of item 1').inputValue()).toBe('Typed before the bad file');
      await checkA11y(page, `attachments-risk-${javaScriptEnabled ? 'js' : 'plain'}`);

      await submitWith(page, page.getByRole('button', { name: 'Remove press.pdf' }));
      expect(await page.getByRole('status').filter({ hasText: 'The file was removed from the list' }).count()).toBe(1);
      expect(await page.getByRole('link', { name: 'press.pdf' }).count()).toBe(0);
      await page.context().close();
    });
  }
});
