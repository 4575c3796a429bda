import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposalRow, stepDraft } from '../../db/proposals';
import { decide, createProposal } from '../../app/features/vetting/vetting.server';
import { actor, ALIGNED_ITEM, campaignId, CRITERIA, daysFromToday, newPartner } from '../integration/review-fixtures';
import { formatDateTime } from '../../app/utils/labels';
import { checkA11y, newPage, signIn, startBrowserEnv, submitWith, type BrowserEnv } from './support';

// Work on a step form is never lost silently: checking the outcome saves it, leaving
// with unsaved changes asks first, and the draft line tells when it was really saved.

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(async () => {
  await env?.close();
});

function proposalAtRisk(): number {
  const who = actor('lead@cosponsor.test');
  const { id } = createProposal(who, {
    partnerId: newPartner(`Unsaved work ${Math.random()}`),
    campaignId: campaignId('israel_opt'),
    eventTitle: 'Unsaved work teach-in',
    eventDate: daysFromToday(40),
    eventPlace: 'Community hall',
    eventDescription: 'An evening teach-in with the partner group.',
    kind: 'co_listing',
  });
  const send = (command: unknown) => {
    const r = decide({ proposalId: id, expectedVersion: proposalRow(id)!.version, actor: who, command });
    if (!r.ok) throw new Error(r.error.message);
  };
  send({ type: 'SUBMIT_PROPOSAL' });
  const ratings: Record<string, { rating: string; evidence: string; links: string[] }> = {};
  for (const key of CRITERIA) ratings[key] = { rating: 'meets', evidence: 'Checked the public record.', links: [] };
  send({ type: 'SUBMIT_VALUES', input: { ratings } });
  send({ type: 'SUBMIT_AGENDA', input: { items: [ALIGNED_ITEM] } });
  return id;
}


async function openRisk(page: Page, id: number) {
  await page.goto(`/proposals/${id}/steps/risk`);
  await page.locator('main[aria-busy="false"]').waitFor({ state: 'attached' });
}

describe('unsaved work on a step form', () => {
  it('asks before following a link away from unsaved changes, and keeps them on “Stay”', async () => {
    const id = proposalAtRisk();
    const page = await newPage(env);
    await signIn(page, 'lead@cosponsor.test');
    await openRisk(page, id);
    const link = page.locator(`a[href="/proposals/${id}"]`).first();

    // Nothing typed yet: a link just leaves.
    await link.click();
    await page.waitForURL(new RegExp(`/proposals/${id}$`));
    await openRisk(page, id);

    await page.getByLabel('Description of item 1').fill('Press may misread the event.');
    await page.locator(`a[href="/proposals/${id}"]`).first().click();
    const dialog = page.getByRole('alertdialog', { name: 'Leave this step without saving?' });
    await dialog.waitFor();
    expect(await checkA11y(page, 'unsaved-leave-dialog')).toEqual([]);
    await dialog.getByRole('button', { name: 'Stay on this page' }).click();
    expect(new URL(page.url()).pathname).toBe(`/proposals/${id}/steps/risk`);
    expect(await page.getByLabel('Description of item 1').inputValue()).toBe('Press may misread the event.');

    await page.locator(`a[href="/proposals/${id}"]`).first().click();
    await page.getByRole('button', { name: 'Leave without saving' }).click();
    await page.waitForURL(new RegExp(`/proposals/${id}$`));
    await page.close();
  });

  it('“Update the outcome” saves the draft, and the draft line shows the real save time', async () => {
    const id = proposalAtRisk();
    const page = await newPage(env);
    await signIn(page, 'lead@cosponsor.test');
    await openRisk(page, id);
    await page.getByLabel('Description of item 1').fill('A first description.');
    await submitWith(page, page.getByRole('button', { name: 'Save draft', exact: true }).last());
    const first = stepDraft(id, 'risk')!;
    expect(await page.locator('.source-note').textContent()).toContain(formatDateTime(first.saved_at));

    // The lead changes it and checks the outcome.
    await page.getByLabel('Description of item 1').fill('A second description.');
    await submitWith(page, page.getByRole('button', { name: 'Update the outcome' }));
    const second = stepDraft(id, 'risk')!;
    expect(JSON.stringify(second.data)).toContain('A second description.');
    expect(second.saved_at > first.saved_at).toBe(true);
    expect(await page.locator('.source-note').textContent()).toContain(formatDateTime(second.saved_at));

    // Nothing to warn about: it is saved.
    await page.locator(`a[href="/proposals/${id}"]`).first().click();
    await page.waitForURL(new RegExp(`/proposals/${id}$`));
    await openRisk(page, id);
    expect(await page.getByLabel('Description of item 1').inputValue()).toBe('A second description.');
    await page.close();
  });
});
