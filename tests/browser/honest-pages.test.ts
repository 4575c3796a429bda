import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposalRow } from '../../db/proposals';
import { demoDesignationAnswer } from '../../db/seed-data/screening-fixtures';
import { recordScreeningAnswer } from '../../app/features/outside/screening.server';
import { newPartner, proposalInReview } from '../integration/review-fixtures';
import { proposalAt } from '../integration/step-fixtures';
import { checkA11y, newPage, screenshot, signIn, startBrowserEnv, type BrowserEnv } from './support';

// Honest pages in Chromium, driven by what the pages show: no verdict on an untouched
// step form, conditions read with real names, the risk sentence agreeing with its badge,
// required fields and limits marked. Every page visited is checked with axe-core.

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(async () => {
  await env?.close();
});

async function visit(page: Page, name: string) {
  await checkA11y(page, name);
  await screenshot(page, `honest-${name}`);
}

const outcome = (page: Page) => page.locator('#outcome').textContent();

describe('honest previews and wording', () => {
  it('gives no verdict on untouched step forms, then one once the inputs exist', async () => {
    const page = await newPage(env);
    await signIn(page, 'lead@cosponsor.test');

    const values = proposalAt('values', 'Browser untouched values');
    await page.goto(`/proposals/${values}/steps/values`);
    expect(await outcome(page)).toContain('Not determined yet');
    expect(await outcome(page)).not.toContain('Compatible');
    await visit(page, 'values-untouched');
    for (const criterion of ['Independence', 'Non-discrimination', 'Human-rights standards', 'Mutual respect', 'Transparency']) {
      await page.getByRole('radiogroup', { name: `Rating for ${criterion}` }).getByLabel('Meets', { exact: true }).check();
    }
    await expect.poll(() => outcome(page)).toContain('Compatible: the partner meets all 5 criteria');

    const risk = proposalAt('risk', 'Browser untouched risk');
    await page.goto(`/proposals/${risk}/steps/risk`);
    expect(await outcome(page)).toContain('Not determined yet');
    expect(await outcome(page)).not.toContain('Needs staff acceptance');
    await visit(page, 'risk-untouched');

    const perception = proposalAt('perception', 'Browser untouched perception');
    await page.goto(`/proposals/${perception}/steps/perception`);
    expect(await outcome(page)).toContain('Not determined yet');
    const body = (await page.locator('main').textContent()) ?? '';
    expect(body).not.toContain('{{');
    expect(body).toContain('Browser untouched perception Group');
    await visit(page, 'perception-untouched');
    await page.context().close();
  });

  it('shows staff a risk sentence that agrees with its badge, benefit words, and required marks with limits', async () => {
    const id = proposalInReview({ partnerId: newPartner('Browser Wording Group'), residual: [5, 5], title: 'Browser wording evening' });
    recordScreeningAnswer({ partnerId: proposalRow(id)!.partner_id, proposalId: id, stage: 'creation', answer: demoDesignationAnswer, source: 'demo fixture' });
    const page = await newPage(env);
    await signIn(page, 'staff@cosponsor.test');
    await page.goto(`/review/${id}`);
    const risk = page.locator('#step-risk');
    const sentence = (await risk.locator('p').first().textContent()) ?? '';
    expect(sentence).toContain('Needs staff acceptance');
    expect(sentence).not.toContain('outweigh');
    const benefitRow = risk.getByRole('row', { name: /Benefit 1/ });
    expect(await benefitRow.textContent()).toContain('large benefit');
    expect(await benefitRow.textContent()).not.toMatch(/critical/i);

    const reject = page.getByTestId('reject-form');
    const ack = reject.getByLabel('How you weighed the screening hits (required)');
    expect(await ack.getAttribute('maxlength')).toBe('5000');
    await ack.fill('Checked the listing: it names a different group.');
    await expect.poll(() => page.locator('#reject-ack-limit').textContent()).toContain('48 used');
    await visit(page, 'dossier-required');
    await page.context().close();
  });
});
