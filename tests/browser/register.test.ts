import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { all, first, qb } from '../../db/connection';
import { checkA11y, newPage, screenshot, signIn, startBrowserEnv, type BrowserEnv } from './support';

// The decision register in Chromium, as a reviewer: search and filter, open a
// partner and a proposal's printable record, and verify the log. Every page
// is checked with axe-core; the record is also looked at as printed.

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(async () => {
  await env?.close();
});

function pictureOnFailure(page: Page, name: string) {
  onTestFailed(async () => {
    await screenshot(page, `FAILED-register-${name}`).catch(() => undefined);
  });
}

async function visit(page: Page, name: string) {
  await checkA11y(page, name);
  await screenshot(page, `register-${name}`);
}

const lakeshore = () =>
  first(qb().selectFrom('partners').select(['id', 'name']).where('name', 'like', 'Lakeshore University%'))!;

describe('the decision register in the browser', () => {
  it('a reviewer searches, opens a partner and a record, and verifies the log', async () => {
    const page = await newPage(env);
    pictureOnFailure(page, 'reviewer');
    await signIn(page, 'reviewer@cosponsor.test');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Decisions' }).click();
    await page.waitForURL('/decisions');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Decision register');
    expect(await page.locator('[data-testid="register-rows"] tbody tr').count()).toBe(25);
    await visit(page, '01-list');

    // A full-text search with a filter: the URL carries both, the hit is marked.
    await page.getByLabel('Search rationale, evidence, agenda items and partner names').fill('demolitions');
    await page.getByLabel('Step', { exact: true }).selectOption({ label: 'Staff decision' });
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL((url) => url.search === '?q=demolitions&step=decision');
    await page.locator('[data-testid="register-rows"] mark').first().waitFor();
    const rows = page.locator('[data-testid="register-rows"] tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    expect((await page.locator('[data-testid="register-rows"] mark').allTextContents()).map((t) => t.toLowerCase())).toContain('demolitions');
    for (const step of await rows.locator('td:nth-child(4) .small').allTextContents()) expect(step).toBe('Staff decision');
    expect(await page.getByTestId('csv-link').getAttribute('href')).toBe('/decisions.csv?q=demolitions&step=decision');
    await visit(page, '02-search');

    // The partner of the first hit.
    const partner = lakeshore();
    await rows.first().getByRole('link', { name: partner.name }).click();
    await page.waitForURL(`/partners/${partner.id}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(partner.name);
    expect(await page.getByRole('heading', { name: 'Profile' }).count()).toBe(1);
    const proposals = page.getByTestId('partner-proposals').locator('tbody tr');
    expect(await proposals.count()).toBeGreaterThan(0);
    await visit(page, '03-partner');

    // The printable record of the partner's first listed proposal.
    const link = proposals.first().getByRole('link').first();
    const reference = (await link.textContent())!;
    await link.click();
    await page.waitForURL(/\/proposals\/\d+\/record$/);
    const proposalId = Number(/\/proposals\/(\d+)\/record/.exec(page.url())![1]);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(`Decision record ${reference}`);
    const seqs = all(qb().selectFrom('decision_records').select(['seq', 'hash']).where('proposal_id', '=', proposalId).orderBy('seq'));
    expect(await page.locator('article.record-entry').count()).toBe(seqs.length);
    expect(await page.getByTestId('record-check').textContent()).toContain('Verified');
    expect(await page.getByTestId('record-hash').last().textContent()).toBe(seqs.at(-1)!.hash);
    await page.locator('details.record-details').first().locator('summary').click();
    expect(await page.locator('pre.record-json').first().isVisible()).toBe(true);
    expect(await page.getByTestId('bundle-link').getAttribute('href')).toBe(`/proposals/${proposalId}/record.json`);
    await visit(page, '04-record');

    // As printed: no header, navigation or buttons; each record kept whole where it fits.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.site-header').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
    expect(await page.getByTestId('bundle-link').isVisible()).toBe(false);
    expect(await page.locator('article.record-entry').first().evaluate((el) => getComputedStyle(el).breakInside)).toBe('avoid');
    await screenshot(page, 'register-05-record-print');
    await page.emulateMedia({ media: 'screen' });

    // Verify the log from the register.
    await page.goto('/decisions');
    await page.getByRole('link', { name: 'Verify the log' }).click();
    await page.waitForURL('/audit');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Verify the decision log');
    await visit(page, '06-audit-before');
    await page.getByRole('button', { name: 'Verify the log now' }).click();
    const count = first(qb().selectFrom('decision_records').select((eb) => eb.fn.countAll<number>().as('n')))!.n;
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain(`The log verifies: OK ${count} records`);
    expect(await page.getByTestId('audit-last').textContent()).toContain(`OK ${count} records verified`);
    expect(await page.getByTestId('audit-runs').locator('tbody tr').count()).toBe(1);
    await visit(page, '07-audit-ok');
    await page.context().close();
  });

  it('pages through the register and filters without JavaScript', async () => {
    const page = await newPage(env, { javaScriptEnabled: false });
    pictureOnFailure(page, 'nojs');
    await signIn(page, 'reviewer@cosponsor.test');
    await page.goto('/decisions');
    const firstSeq = await page.locator('[data-testid="register-rows"] tbody tr').first().getAttribute('data-seq');
    await page.getByRole('link', { name: 'Older →' }).click();
    await page.waitForURL(/after=\d+/);
    const olderFirst = await page.locator('[data-testid="register-rows"] tbody tr').first().getAttribute('data-seq');
    expect(Number(olderFirst)).toBeLessThan(Number(firstSeq));
    await page.getByRole('link', { name: '← Newer' }).click();
    await page.waitForURL(/before=\d+/);
    expect(await page.locator('[data-testid="register-rows"] tbody tr').first().getAttribute('data-seq')).toBe(firstSeq);

    await page.getByLabel('Search rationale, evidence, agenda items and partner names').fill('Masafer Yatta');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL((url) => url.search === '?q=Masafer+Yatta');
    expect(await page.locator('[data-testid="register-rows"] mark').count()).toBeGreaterThan(0);
    await visit(page, '08-nojs-search');
    await page.context().close();
  });

  for (const javaScriptEnabled of [true, false]) {
    it(`filters by words of a partner’s name typed in its field (${javaScriptEnabled ? 'with' : 'without'} JavaScript)`, async () => {
      const page = await newPage(env, { javaScriptEnabled });
      pictureOnFailure(page, `partner-name-${javaScriptEnabled ? 'js' : 'nojs'}`);
      await signIn(page, 'reviewer@cosponsor.test');
      await page.goto('/decisions');
      await page.getByLabel('Partner name', { exact: true }).fill('lakeshore');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForURL((url) => url.search === '?partner_name=lakeshore');
      const partners = await page.locator('[data-testid="register-rows"] tbody tr td:nth-child(2) a[href^="/partners/"]').allTextContents();
      expect(partners.length).toBeGreaterThan(0);
      for (const name of partners) expect(name).toMatch(/Lakeshore/);
      expect(await page.getByLabel('Partner name', { exact: true }).inputValue()).toBe('lakeshore');
      if (javaScriptEnabled) await visit(page, '11-partner-name');
      await page.context().close();
    });
  }

  it('shows a chapter lead their chapter only, and a clear empty state', async () => {
    const page = await newPage(env);
    pictureOnFailure(page, 'lead');
    await signIn(page, 'lead2@cosponsor.test');
    await page.goto('/decisions');
    expect(await page.getByTestId('register-scope').textContent()).toContain('Bay Area Chapter');
    expect(await page.getByRole('link', { name: 'Verify the log' }).count()).toBe(0);
    const chapters = new Set(await page.locator('[data-testid="register-rows"] tbody td:nth-child(3)').evaluateAll((tds) => tds.map((td) => td.firstChild?.textContent)));
    expect([...chapters]).toEqual(['Bay Area Chapter']);
    await visit(page, '09-lead');
    await page.goto('/decisions?q=nothingmatchesthis&partner=abc');
    expect(await page.getByTestId('register-empty').textContent()).toContain('No decision matches this search');
    expect(await page.getByTestId('register-dropped').textContent()).toContain('The partner “abc” was not used');
    await visit(page, '10-empty');
    await page.context().close();
  });
});
