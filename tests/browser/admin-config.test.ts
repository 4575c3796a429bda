import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeConfig, addConfigVersion } from '../../db/config';
import { checkA11y, newPage, screenshot, signIn, startBrowserEnv, submitWith, type BrowserEnv } from './support';

// The configuration editors in Chromium, as an admin: each page is accessible,
// and a criterion is added, refused without a note, saved as a new version and
// found in the comparison; without JavaScript a risk category is added the same way.

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

describe('the configuration editors', () => {
  it('are reached from the admin navigation and pass the accessibility check', async () => {
    const page = await newPage(env);
    await signIn(page, 'admin@cosponsor.test');
    await page.goto('/admin/users');
    const nav = page.getByRole('navigation', { name: 'Administration' });
    for (const [link, heading, shot] of [
      ['Positions', 'Positions catalog', 'config-positions'],
      ['Values criteria', 'Values criteria', 'config-values'],
      ['Risk matrix', 'Risk matrix', 'config-risk'],
      ['Perception checklist', 'Perception checklist', 'config-perception'],
    ] as const) {
      await Promise.all([page.waitForURL(/\/admin\/config\//), nav.getByRole('link', { name: link, exact: true }).click()]);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      expect(await page.getByRole('heading', { name: 'Version history' }).count()).toBe(1);
      await visit(page, shot);
    }
  });

  it('adds a criterion, asks for a note, saves a new version and shows what changed', async () => {
    const version = activeConfig().versions.values_criteria;
    const count = activeConfig().docs.values_criteria.criteria.length;
    const n = count + 1;
    const page = await newPage(env);
    await signIn(page, 'admin@cosponsor.test');
    await page.goto('/admin/config/values');
    await page.getByRole('button', { name: 'Add a criterion' }).click();
    await page.getByLabel(`Key of criterion ${n}`).fill('accessibility');
    await page.getByLabel(`Name of criterion ${n}`).fill('Accessibility');
    await page.getByLabel(`Description of criterion ${n}`).fill('The event is accessible to disabled participants.');
    await submitWith(page, page.getByRole('button', { name: `Save as version ${version + 1}` }));
    // No note: refused beside the field, with the new criterion kept.
    await page.getByText('Say what changed (at least 5 characters).').waitFor();
    expect(await page.getByLabel(`Name of criterion ${n}`).inputValue()).toBe('Accessibility');
    expect(activeConfig().versions.values_criteria).toBe(version);
    await visit(page, 'config-values-refused');

    await page.getByLabel('What changed (for the version history)').fill('Accessibility as a criterion.');
    await submitWith(page, page.getByRole('button', { name: `Save as version ${version + 1}` }));
    await page.getByText(`Values criteria version ${version + 1} saved.`).waitFor();
    expect(activeConfig().versions.values_criteria).toBe(version + 1);
    expect(activeConfig().docs.values_criteria.criteria.map((c) => c.key)).toContain('accessibility');
    // The editor now starts from the saved version, with no message left over.
    expect(await page.getByLabel('What changed (for the version history)').inputValue()).toBe('');
    expect(await page.getByText('Say what changed (at least 5 characters).').count()).toBe(0);
    expect(await page.getByLabel(`Name of criterion ${n}`).inputValue()).toBe('Accessibility');

    await page.getByRole('link', { name: `What changed in version ${version + 1}` }).click();
    await page.getByRole('heading', { name: `Changes from version ${version} to version ${version + 1}` }).waitFor();
    const added = page.locator('[data-testid="config-diff"] [data-entry="accessibility"]');
    expect(await added.getAttribute('data-status')).toBe('added');
    await visit(page, 'config-values-compare');
  });

  it('adds a risk category without JavaScript', async () => {
    const version = activeConfig().versions.risk_matrix;
    const n = activeConfig().docs.risk_matrix.categories.length + 1;
    const page = await newPage(env, { javaScriptEnabled: false });
    await signIn(page, 'admin@cosponsor.test');
    await page.goto('/admin/config/risk');
    await submitWith(page, page.getByRole('button', { name: 'Add a category' }));
    await page.getByLabel(`Category ${n}`, { exact: true }).fill('accessibility');
    await page.getByLabel('What changed (for the version history)').fill('Accessibility risks.');
    await submitWith(page, page.getByRole('button', { name: `Save as version ${version + 1}` }));
    await page.getByText(`Risk matrix version ${version + 1} saved.`).waitFor();
    expect(activeConfig().docs.risk_matrix.categories).toContain('accessibility');
    await visit(page, 'config-risk-saved');
  });

  it('refuses a save over a version saved meanwhile, keeps the typed change, and saves it once seen', async () => {
    const version = activeConfig().versions.perception_checklist;
    const page = await newPage(env);
    await signIn(page, 'admin@cosponsor.test');
    await page.goto('/admin/config/perception');
    await page.getByLabel('Question of item 1').fill('Is the event free of any boycott call in the organization’s name?');
    await page.getByLabel('What changed (for the version history)').fill('Plainer first question.');
    // Another admin saves a version while this page is open.
    const doc = activeConfig().docs.perception_checklist;
    addConfigVersion('perception_checklist', { ...doc, movement: 'BDS movement' }, 'Another admin’s change.', null);

    await submitWith(page, page.getByRole('button', { name: `Save as version ${version + 1}` }));
    await page.getByText(`Someone saved version ${version + 1} of the perception checklist after you opened it, so nothing was saved.`).waitFor();
    expect(await page.getByLabel('Question of item 1').inputValue()).toBe('Is the event free of any boycott call in the organization’s name?');
    expect(activeConfig().versions.perception_checklist).toBe(version + 1);
    expect(activeConfig().docs.perception_checklist.items[0]!.label).toBe(doc.items[0]!.label);
    const alert = page.locator('.alert[role="alert"]');
    expect(await alert.getByRole('link', { name: `See what changed in version ${version + 1}` }).count()).toBe(1);
    await visit(page, 'config-perception-stale');

    await submitWith(page, page.getByRole('button', { name: `Save as version ${version + 2}` }));
    await page.getByText(`Perception checklist version ${version + 2} saved.`).waitFor();
    expect(activeConfig().docs.perception_checklist.items[0]!.label).toBe('Is the event free of any boycott call in the organization’s name?');
  });
});
