import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userByEmail } from '../../db/users';
import { checkA11y, newPage, screenshot, signIn, startBrowserEnv, submitWith, type BrowserEnv } from './support';

// An administrator's password reset in Chromium (docs/decisions/0380-password-change-and-reset.md):
// the admin reads the temporary password off the page once; the person signs in with it and
// must choose their own password before any other page opens. With and without JavaScript
// on the person's side, axe-checked.

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(async () => {
  await env?.close();
});

const CHOSEN = 'harbour lantern violet seventy';

/** The admin resets this person's password on their admin page; returns the temporary password shown. */
async function adminResets(email: string): Promise<string> {
  const page = await newPage(env);
  await signIn(page, 'admin@cosponsor.test');
  await page.goto(`/admin/users/${userByEmail(email)!.id}`);
  await page.getByRole('radio', { name: 'Generate one (shown to you once, on this page)' }).check();
  await submitWith(page, page.getByRole('button', { name: 'Reset the password' }));
  const temporary = (await page.getByTestId('temporary-password').textContent())!.trim();
  expect(temporary).toMatch(/^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){3}$/);
  await checkA11y(page, 'admin page with the temporary password');
  await screenshot(page, 'password-reset-admin');
  await page.context().close();
  return temporary;
}

describe('after an administrator’s reset', () => {
  for (const [email, javaScriptEnabled, home] of [
    ['lead@cosponsor.test', true, '/proposals'],
    ['reviewer@cosponsor.test', false, '/decisions'],
  ] as const) {
    it(`the person must choose a new password before anything else (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const temporary = await adminResets(email);
      const page = await newPage(env, { javaScriptEnabled });
      await signIn(page, email, temporary);
      await page.waitForURL((url) => url.pathname === '/account');
      // With JavaScript the address changes before the page does: wait for its heading.
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Choose a new password');
      await expect.poll(() => page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
      await checkA11y(page, `forced password change (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`);

      // Any other page leads back here.
      await page.goto(home);
      await page.waitForURL((url) => url.pathname === '/account');

      // Two different passwords: the error beside the second field, both fields emptied.
      await page.getByLabel('New password', { exact: true }).fill(CHOSEN);
      await page.getByLabel('New password, again').fill(`${CHOSEN}!`);
      await submitWith(page, page.getByRole('button', { name: 'Set my new password' }));
      const again = page.getByLabel('New password, again');
      await expect.poll(() => again.getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByRole('alert').filter({ hasText: 'The two new passwords are not the same' }).count()).toBe(1);
      expect(await again.inputValue()).toBe('');
      await checkA11y(page, 'forced password change with an error');

      await page.getByLabel('New password', { exact: true }).fill(CHOSEN);
      await page.getByLabel('New password, again').fill(CHOSEN);
      await submitWith(page, page.getByRole('button', { name: 'Set my new password' }));
      await page.waitForURL((url) => url.pathname === home);
      await expect.poll(() => page.locator('.flash').textContent(), { timeout: 5000 }).toContain('Your new password is set.');
      await expect.poll(() => page.getByRole('navigation', { name: 'Main' }).count()).toBe(1);
      await checkA11y(page, `${home} after choosing a new password`);
      await screenshot(page, `password-reset-done-${javaScriptEnabled ? 'js' : 'nojs'}`);
      await page.context().close();

      // The chosen password signs in; the temporary one was spent.
      const later = await newPage(env, { javaScriptEnabled });
      await signIn(later, email, CHOSEN);
      await later.waitForURL((url) => url.pathname === home);
      await later.context().close();
    });
  }
});
