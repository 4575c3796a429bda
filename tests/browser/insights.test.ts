import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { withClock } from '../../db/connection';
import { createChapter, createUser, userByEmail } from '../../db/users';
import { decideAs, newPartner, proposalInReview } from '../integration/review-fixtures';
import { checkA11y, newPage, screenshot, signIn, startBrowserEnv, submitWith, type BrowserEnv } from './support';

// The insights page in Chromium: reached from the navigation, filtered through
// its form (with and without JavaScript), each chart's table opened, and axe
// run on every state. Its data: a chapter of its own, decided in 2031.

const LEAD = 'insights-browser-lead@cosponsor.test';
const CHAPTER = 'Insights Browser Chapter';
const at = <T>(iso: string, fn: () => T): T => withClock(() => Date.parse(iso), fn);

let env: BrowserEnv;
beforeAll(async () => {
  const chapterId = createChapter(CHAPTER, 'Midwest');
  createUser({ email: LEAD, name: 'Browser Lead', passwordHash: userByEmail('staff@cosponsor.test')!.password_hash, chapterId, roles: ['chapter_lead'] });
  const partner = newPartner('Insights Browser Partner', ['supports_bds']);
  const a = at('2031-04-01T00:00:00.000Z', () => proposalInReview({ lead: LEAD, partnerId: partner, perceptionConditions: 3 }));
  const approved = at('2031-04-03T00:00:00.000Z', () =>
    decideAs('staff@cosponsor.test', a, { type: 'APPROVE', conditions: [], endDate: '2031-09-30', rationale: '' }),
  );
  expect(approved.ok).toBe(true);
  at('2031-05-01T00:00:00.000Z', () => proposalInReview({ lead: LEAD, partnerId: partner, values: 'concerns' }));
  env = await startBrowserEnv();
});
afterAll(async () => {
  await env?.close();
});

function pictureOnFailure(page: Page, name: string) {
  onTestFailed(async () => {
    await screenshot(page, `FAILED-insights-${name}`).catch(() => undefined);
  });
}

describe('insights in the browser', () => {
  it('a reviewer opens it from the navigation, filters it and reads a chart’s table', async () => {
    const page = await newPage(env);
    pictureOnFailure(page, 'reviewer');
    await signIn(page, 'reviewer@cosponsor.test');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Insights' }).click();
    await page.waitForURL('/insights');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Insights');
    expect(await page.getByRole('img', { name: /Proposals by outcome, per month/ }).count()).toBe(1);
    await checkA11y(page, 'insights');
    await screenshot(page, 'insights-01-everything');

    await page.getByLabel('Chapter', { exact: true }).selectOption({ label: CHAPTER });
    await page.getByLabel('From (UTC day)').fill('2031-01-01');
    await submitWith(page, page.getByRole('button', { name: 'Show' }));
    await page.waitForURL((url) => url.pathname === '/insights' && url.searchParams.get('from') === '2031-01-01');
    const times = page.getByTestId('insight-decision-times');
    await times.getByText('The data behind this chart').click();
    const first = times.getByRole('table').locator('tbody tr').first();
    expect((await first.locator('th, td').allTextContents()).map((t) => t.trim())).toEqual(['All', 'All decided proposals', '1', '2', '2']);
    // The chart is an image named by its title, its numbers written on it.
    const chart = page.getByRole('img', { name: /Days from submission to decision/ });
    expect(await chart.locator('text').allTextContents()).toContain('2 d median');
    // The perception conditions of the one reviewed proposal: the first three checklist items.
    const conditions = page.getByTestId('insight-perception-conditions');
    await conditions.getByText('The data behind this chart').click();
    expect(await conditions.getByRole('table').locator('tbody tr').count()).toBe(3);
    expect(await page.getByTestId('csv-perception-conditions').getAttribute('href')).toMatch(/^\/insights\.csv\?from=2031-01-01&chapter=\d+&table=perception-conditions$/);
    await checkA11y(page, 'insights-filtered');
    await screenshot(page, 'insights-02-filtered');
  });

  it('works without JavaScript: the filter form is a plain GET', async () => {
    const page = await newPage(env, { javaScriptEnabled: false });
    pictureOnFailure(page, 'no-js');
    await signIn(page, 'staff@cosponsor.test');
    await page.goto('/insights');
    await page.getByLabel('Chapter', { exact: true }).selectOption({ label: CHAPTER });
    await page.getByLabel('To (UTC day, inclusive)').fill('2031-04-30');
    await submitWith(page, page.getByRole('button', { name: 'Show' }));
    expect(new URL(page.url()).searchParams.get('to')).toBe('2031-04-30');
    // Only April: one proposal sent to review, one approved.
    const desc = await page.locator('#outcomes-desc').textContent();
    expect(desc).toContain('Approved: 1 in all, most in 2031-04 (1)');
    expect(desc).toContain('Sent to staff review: 1 in all');
    await checkA11y(page, 'insights-no-js');
  });

  it('a chapter lead has no link to it and is told why it is closed', async () => {
    const page = await newPage(env);
    pictureOnFailure(page, 'lead');
    await signIn(page, LEAD);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Insights' }).count()).toBe(0);
    const response = await page.goto('/insights');
    expect(response?.status()).toBe(403);
    expect(await page.locator('main').textContent()).toContain('Insights are for staff, reviewers and admins');
    await checkA11y(page, 'insights-refused');
  });
});
