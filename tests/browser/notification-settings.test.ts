import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDueNotifications } from '../../app/jobs/outbox.server';
import { decide } from '../../app/features/vetting/vetting.server';
import { first, qb } from '../../db/connection';
import { userByEmail } from '../../db/users';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp';
import { checkA11y, newPage, screenshot, signIn, startBrowserEnv, submitWith, type BrowserEnv } from './support';

// Issue 17, item 4 in Chromium: a lead chooses their e-mails on the settings page (with and
// without JavaScript), and the choice decides what a real SMTP server receives.

let env: BrowserEnv;
let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
  process.env.SMTP_URL = smtp.url();
  process.env.APP_URL = 'https://cosponsor.example.org';
  env = await startBrowserEnv();
});
afterAll(async () => {
  await env?.close();
  await smtp?.close();
  delete process.env.SMTP_URL;
  delete process.env.APP_URL;
});

function staffDecides(command: Parameters<typeof decide>[0]['command']) {
  const forum = first(qb().selectFrom('proposals').select(['id', 'version']).where('event_title', 'like', 'A Fair Shot%'))!;
  const staff = userByEmail('staff@cosponsor.test')!;
  const result = decide({
    proposalId: forum.id,
    expectedVersion: forum.version,
    actor: { id: staff.id, name: staff.name, roles: staff.roles, chapterId: staff.chapter_id },
    command,
  });
  if (!result.ok) throw new Error(result.error.message);
}

describe('notification settings', () => {
  for (const javaScriptEnabled of [false, true]) {
    it(`a lead turns an e-mail off and on ${javaScriptEnabled ? 'with' : 'without'} JavaScript`, async () => {
      const page = await newPage(env, { javaScriptEnabled });
      await signIn(page, 'lead2@cosponsor.test');
      await page.getByRole('link', { name: 'Notification settings' }).click();
      // With JavaScript the link navigates in the page: wait for it to land.
      await page.waitForURL((url) => url.pathname === '/settings/notifications');
      await page.locator('main[aria-busy="false"]').waitFor({ state: 'attached' });
      const decisions = page.getByRole('checkbox', { name: 'Decisions on my proposals' });
      expect(await decisions.isChecked()).toBe(true);
      await checkA11y(page, `notification settings (${javaScriptEnabled ? 'script' : 'no script'})`);

      await decisions.uncheck();
      await submitWith(page, page.getByRole('button', { name: 'Save notification settings' }));
      await expect.poll(() => page.locator('.flash').textContent(), { timeout: 5000 }).toContain('Saved: you will get 3 of 4');
      expect(await page.getByRole('checkbox', { name: 'Decisions on my proposals' }).isChecked()).toBe(false);
      await checkA11y(page, 'notification settings after saving');
      await screenshot(page, `notification-settings-${javaScriptEnabled ? 'js' : 'nojs'}`);

      // Put back for the next run.
      await page.getByRole('checkbox', { name: 'Decisions on my proposals' }).check();
      await submitWith(page, page.getByRole('button', { name: 'Save notification settings' }));
      await expect.poll(() => page.locator('.flash').textContent(), { timeout: 5000 }).toContain('Saved: you will get 4 of 4');
      await page.context().close();
    });
  }

  it('what the lead chose is what the mail server receives', async () => {
    const page = await newPage(env);
    await signIn(page, 'lead2@cosponsor.test');
    await page.goto('/settings/notifications');
    await page.getByRole('checkbox', { name: 'Change requests on my proposals' }).uncheck();
    await submitWith(page, page.getByRole('button', { name: 'Save notification settings' }));
    await expect.poll(() => page.locator('.flash').textContent(), { timeout: 5000 }).toContain('Saved');
    await page.context().close();

    staffDecides({ type: 'REQUEST_CHANGES', step: 'mou', rationale: 'Please draft a short MOU: the partner will use our logo.' });
    await deliverDueNotifications(new Date(Date.now() + 1000));
    expect(smtp.received.filter((m) => m.to.includes('lead2@cosponsor.test'))).toEqual([]);

    // The lead resubmits (staff who may decide hear of it), staff approve (the lead hears of it).
    const lead2 = userByEmail('lead2@cosponsor.test')!;
    const forum = first(qb().selectFrom('proposals').select(['id', 'version']).where('event_title', 'like', 'A Fair Shot%'))!;
    const again = decide({
      proposalId: forum.id,
      expectedVersion: forum.version,
      actor: { id: lead2.id, name: lead2.name, roles: lead2.roles, chapterId: lead2.chapter_id },
      command: { type: 'MOU_NOT_NEEDED', reason: 'The partner withdrew its request to use our logo; co-listing only.' },
    });
    if (!again.ok) throw new Error(again.error.message);
    staffDecides({ type: 'APPROVE', conditions: [], endDate: null, rationale: 'Approved: a co-listing on vaccine equity.' });
    await deliverDueNotifications(new Date(Date.now() + 1000));
    const got = smtp.received.map((m) => [m.to.join(','), m.parsed.subject?.split(':')[0]]);
    expect(got.sort()).toEqual(
      [
        ['lead2@cosponsor.test', 'Approved'],
        ['staff2@cosponsor.test', 'Ready for your decision'],
        ['staff@cosponsor.test', 'Ready for your decision'],
      ].sort(),
    );
  });
});

describe('the header on a small screen', () => {
  it('keeps the settings link and sign-out within 390 px', async () => {
    const page = await newPage(env);
    // The longest header line of the demo accounts: a chapter lead with their chapter.
    await signIn(page, 'lead2@cosponsor.test');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/settings/notifications');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    for (const control of [page.getByRole('link', { name: 'Notification settings' }), page.getByRole('button', { name: 'Sign out' })]) {
      const box = await control.boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    }
    await page.context().close();
  });
});
