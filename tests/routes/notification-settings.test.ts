import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deliverDueNotifications } from '../../app/jobs/outbox.server';
import { decide } from '../../app/features/vetting/vetting.server';
import { all, first, qb } from '../../db/connection';
import { userByEmail } from '../../db/users';
import { startApp, type TestApp } from '../support/app-server';
import { find, parseHtml, visibleText } from '../support/html';
import { startSmtpServer } from '../support/smtp';

// The notification settings page over HTTP against the built app: a plain form (no
// JavaScript needed), labelled checkboxes, a flash after saving, stored per person.

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());
afterEach(() => {
  delete process.env.SMTP_URL;
});

const preferencesOf = (email: string) =>
  Object.fromEntries(
    all(qb().selectFrom('notification_preferences').select(['kind', 'email']).where('user_id', '=', userByEmail(email)!.id)).map((r) => [r.kind, r.email]),
  );

/** Every checkbox of the form, as name -> { checked, label text }. */
function checkboxes(html: string): Record<string, { checked: boolean; label: string | null }> {
  const root = parseHtml(html);
  return Object.fromEntries(
    root.querySelectorAll('form input[type=checkbox]').map((input) => {
      const label = root.querySelector(`label[for="${input.getAttribute('id')}"]`);
      return [input.getAttribute('name') ?? '', { checked: input.hasAttribute('checked'), label: label ? visibleText(label.toString()) : null }];
    }),
  );
}

describe('notification settings', () => {
  it('asks anyone signed out to sign in', async () => {
    const response = await app.fetch('/settings/notifications');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/login?redirectTo=%2Fsettings%2Fnotifications');
  });

  it('offers a lead the e-mails about their proposals, all on at first, and says when the server sends no e-mail', async () => {
    const cookie = await app.login('lead@cosponsor.test');
    const html = await (await app.fetch('/settings/notifications', { cookie })).text();
    const boxes = checkboxes(html);
    expect(Object.keys(boxes).sort()).toEqual(['approval_ending', 'changes_requested', 'decided', 'event_upcoming']);
    expect(Object.values(boxes).every((b) => b.checked && b.label)).toBe(true);
    expect(find(html, '[data-testid=email-off]')).not.toBeNull();
    // The way there from every page.
    expect(find(html, 'header a[href="/settings/notifications"]')).not.toBeNull();
  });

  it('offers staff the submissions they may decide, and a reviewer nothing', async () => {
    process.env.SMTP_URL = 'smtp://127.0.0.1:2525';
    const staff = await app.login('staff@cosponsor.test');
    const html = await (await app.fetch('/settings/notifications', { cookie: staff })).text();
    expect(Object.keys(checkboxes(html))).toEqual(['submitted']);
    expect(find(html, '[data-testid=email-off]')).toBeNull();

    const reviewer = await app.login('reviewer@cosponsor.test');
    const page = await (await app.fetch('/settings/notifications', { cookie: reviewer })).text();
    expect(find(page, '[data-testid=no-kinds]')).not.toBeNull();
    expect(checkboxes(page)).toEqual({});
  });

  it('saves the ticked boxes (the others off), with a flash, and shows them again', async () => {
    const cookie = await app.login('lead2@cosponsor.test');
    const response = await app.post('/settings/notifications', { decided: 'on', approval_ending: 'on' }, cookie);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/settings/notifications');
    expect(preferencesOf('lead2@cosponsor.test')).toEqual({ decided: 1, approval_ending: 1, changes_requested: 0, event_upcoming: 0 });

    const flash = /cosponsor_flash=[^;]+/.exec(response.headers.get('set-cookie') ?? '')![0];
    const html = await (await app.fetch('/settings/notifications', { cookie: `${cookie}; ${flash}` })).text();
    expect(visibleText(find(html, '[role=status]')!.toString()).trim()).toBe('Saved: you will get 2 of 4 kinds of e-mail.');
    const boxes = checkboxes(html);
    expect([boxes.decided!.checked, boxes.approval_ending!.checked, boxes.changes_requested!.checked, boxes.event_upcoming!.checked]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('a lead cannot switch on what their roles do not receive', async () => {
    const cookie = await app.login('lead@cosponsor.test');
    const response = await app.post('/settings/notifications', { submitted: 'on' }, cookie);
    expect(response.status).toBe(302);
    expect(preferencesOf('lead@cosponsor.test').submitted).toBeUndefined();
  });

  it('refuses a value that is not a checkbox with a 400 and a message, saving nothing', async () => {
    const cookie = await app.login('staff2@cosponsor.test');
    const response = await app.post('/settings/notifications', { submitted: 'perhaps' }, cookie);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Tick the box or leave it empty.');
    expect(preferencesOf('staff2@cosponsor.test')).toEqual({});
  });
});

describe('e-mail in the admins’ delivery log', () => {
  it('shows an e-mail beside the webhooks: channel, event, recipient, the server’s reply code; never SMTP_URL’s password', async () => {
    const smtp = await startSmtpServer();
    try {
      process.env.SMTP_URL = smtp.url(true);
      const forum = first(qb().selectFrom('proposals').select(['id', 'version']).where('event_title', 'like', 'A Fair Shot%'))!;
      const staff = userByEmail('staff@cosponsor.test')!;
      const result = decide({
        proposalId: forum.id,
        expectedVersion: forum.version,
        actor: { id: staff.id, name: staff.name, roles: staff.roles, chapterId: staff.chapter_id },
        command: { type: 'REJECT', rationale: 'Rejected for the delivery log test: the partner would not sign.' },
      });
      expect(result.ok).toBe(true);
      await deliverDueNotifications(new Date(Date.now() + 1000));
      expect(smtp.received).toHaveLength(1);

      const admin = await app.login('admin@cosponsor.test');
      const html = await (await app.fetch('/admin/deliveries', { cookie: admin })).text();
      const t = visibleText(html);
      expect(t).toMatch(/E-mail proposal\.rejected \S+ · record #\d+ to lead2@cosponsor\.test cosponsor-\d+-email-\d+/);
      expect(t).toMatch(/OK SMTP 250 \d+ ms/);
      expect(t).toContain(`E-mail (SMTP) On smtp://127.0.0.1:${smtp.port}`);
      expect(html).not.toContain('s3cret-pa55');
      expect(html).not.toContain('cosponsor-mailer');
    } finally {
      await smtp.close();
    }
  });
});
