import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all, database, first, qb, run, useDatabase } from '../../db/connection';
import { recordLoginAttempt } from '../../db/login-attempts';
import { chapterByName, listChapters, listUsers, userByEmail } from '../../db/users';
import { verifyPassword } from '../../app/features/auth/password.server';
import { startApp, type TestApp } from '../support/app-server';
import { parseHtml, visibleText } from '../support/html';
import { databaseEnv, newEmptyDatabase } from '../support/db';

// Accounts, chapters and sign-in throttling, through the real pages over HTTP.

// No slow-down between failures here: the test is about blocking, not waiting.
process.env.THROTTLE_DELAY_STEP_MS = '0';
process.env.THROTTLE_WINDOW_MS = String(15 * 60_000);

let app: TestApp;
let admin: string;
beforeAll(async () => {
  app = await startApp();
  admin = await app.login('admin@cosponsor.test');
});
afterAll(() => app.close());

const adminId = () => userByEmail('admin@cosponsor.test')!.id;
const logCount = () => all(qb().selectFrom('admin_log').select('id')).length;
/** Text of the alerts and field errors on a page, entities decoded. */
const alerts = (html: string) =>
  parseHtml(html)
    .querySelectorAll('[role="alert"]')
    .map((alert) => visibleText(alert).trim());

describe('admin: creating accounts', () => {
  it('refuses an initial password under 12 characters, says why beside the field, and keeps what was typed', async () => {
    const before = logCount();
    const response = await app.post(
      '/admin/users',
      { intent: 'create', name: 'Lena Park', email: 'lena@cosponsor.test', password: 'short-pass', roles: ['staff'], chapterId: '' },
      admin,
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(alerts(html)).toContain('The password is too short: use at least 12 characters (this one has 10).');
    // The error is tied to the password field, and the other values are still there.
    expect(html).toMatch(/id="create-user-password"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="create-user-password"/);
    expect(html).toContain('value="Lena Park"');
    expect(html).toContain('value="lena@cosponsor.test"');
    expect(html).not.toContain('short-pass');
    expect(userByEmail('lena@cosponsor.test')).toBeUndefined();
    expect(logCount()).toBe(before);
  });

  it('shows every error at once: a chapter lead without a chapter and a short password', async () => {
    const response = await app.post(
      '/admin/users',
      { intent: 'create', name: 'Lena Park', email: 'lena@cosponsor.test', password: 'abc', roles: ['chapter_lead'], chapterId: '' },
      admin,
    );
    expect(response.status).toBe(400);
    const messages = alerts(await response.text());
    expect(messages).toContain('A chapter lead needs a chapter: choose one.');
    expect(messages.some((m) => m.startsWith('The password is too short'))).toBe(true);
    expect(userByEmail('lena@cosponsor.test')).toBeUndefined();
  });

  it('creates an account that can sign in, and records who created it', async () => {
    const chicago = chapterByName('Chicago Local Group')!;
    const response = await app.post(
      '/admin/users',
      {
        intent: 'create',
        name: 'Lena Park',
        email: 'Lena@Cosponsor.test',
        password: 'a-long-enough-secret',
        roles: ['chapter_lead', 'reviewer'],
        chapterId: String(chicago.id),
      },
      admin,
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/admin/users');
    const created = userByEmail('lena@cosponsor.test')!;
    expect(created).toMatchObject({ name: 'Lena Park', chapter_id: chicago.id, active: 1, roles: ['chapter_lead', 'reviewer'] });
    expect(created.password_hash).toMatch(/^scrypt\$131072\$8\$1\$/);

    const entry = first(qb().selectFrom('admin_log').selectAll().orderBy('id', 'desc').limit(1))!;
    expect(entry).toMatchObject({ actor_id: adminId(), action: 'user.create', target_user_id: created.id, target_chapter_id: chicago.id });

    await expect(app.login('lena@cosponsor.test', 'a-long-enough-secret')).resolves.toMatch(/^cosponsor_session=/);
    const page = await (await app.fetch('/admin/users', { cookie: admin })).text();
    expect(page).toContain('created the account of Lena Park (lena@cosponsor.test) as Chapter lead, Reviewer, Chicago Local Group');
  });

  it('refuses a second account with the same e-mail, whatever its case', async () => {
    const response = await app.post(
      '/admin/users',
      { intent: 'create', name: 'Someone Else', email: 'LENA@cosponsor.test', password: 'another-long-secret', roles: ['staff'] },
      admin,
    );
    expect(response.status).toBe(400);
    expect(alerts(await response.text())).toContain('An account with this e-mail address already exists.');
    expect(listUsers().filter((u) => u.email === 'lena@cosponsor.test')).toHaveLength(1);
  });
});

describe('admin: changing and deactivating accounts', () => {
  it('changes roles and chapter, each change on the record and on the page', async () => {
    const lena = userByEmail('lena@cosponsor.test')!;
    const bay = chapterByName('Bay Area Chapter')!;
    const response = await app.post(`/admin/users/${lena.id}`, { intent: 'update', roles: ['chapter_lead', 'staff'], chapterId: String(bay.id) }, admin);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`/admin/users/${lena.id}`);
    expect(userByEmail('lena@cosponsor.test')).toMatchObject({ chapter_id: bay.id, roles: ['chapter_lead', 'staff'] });
    const page = await (await app.fetch(`/admin/users/${lena.id}`, { cookie: admin })).text();
    expect(page).toContain('changed Lena Park’s roles from Chapter lead, Reviewer to Chapter lead, Staff');
    expect(page).toContain('moved Lena Park from Chicago Local Group to Bay Area Chapter');
  });

  it('ends every open session of a deactivated user at once, and lets them back in on reactivation', async () => {
    const lena = userByEmail('lena@cosponsor.test')!;
    const [phone, laptop] = [await app.login('lena@cosponsor.test', 'a-long-enough-secret'), await app.login('lena@cosponsor.test', 'a-long-enough-secret')];
    expect((await app.fetch('/inbox', { cookie: phone })).status).toBe(200);
    const openBefore = all(qb().selectFrom('sessions').select('id').where('user_id', '=', lena.id).where('revoked_at', 'is', null)).length;
    expect(openBefore).toBeGreaterThanOrEqual(2);

    const response = await app.post(`/admin/users/${lena.id}`, { intent: 'deactivate' }, admin);
    expect(response.status).toBe(302);
    for (const cookie of [phone, laptop]) {
      const next = await app.fetch('/', { cookie });
      expect(next.status).toBe(302);
      expect(next.headers.get('location')).toBe('/login');
    }
    const open = all(qb().selectFrom('sessions').select('id').where('user_id', '=', lena.id).where('revoked_at', 'is', null));
    expect(open).toHaveLength(0);
    await expect(app.login('lena@cosponsor.test', 'a-long-enough-secret')).rejects.toThrow(/failed with 400/);
    const page = await (await app.fetch(`/admin/users/${lena.id}`, { cookie: admin })).text();
    expect(page).toContain(`deactivated Lena Park’s account (${openBefore} open sessions ended)`);

    expect((await app.post(`/admin/users/${lena.id}`, { intent: 'reactivate' }, admin)).status).toBe(302);
    await expect(app.login('lena@cosponsor.test', 'a-long-enough-secret')).resolves.toMatch(/^cosponsor_session=/);
  }, 60_000);

  it('does not let an admin deactivate themselves or drop their own admin role', async () => {
    const before = logCount();
    const deactivate = await app.post(`/admin/users/${adminId()}`, { intent: 'deactivate' }, admin);
    expect(deactivate.status).toBe(403);
    expect(alerts(await deactivate.text()).join(' ')).toContain('You cannot deactivate your own account');

    const demote = await app.post(`/admin/users/${adminId()}`, { intent: 'update', roles: ['staff'], chapterId: '' }, admin);
    expect(demote.status).toBe(400);
    expect(alerts(await demote.text()).join(' ')).toContain('You cannot remove your own admin role');

    expect(userByEmail('admin@cosponsor.test')).toMatchObject({ active: 1, roles: ['admin'] });
    expect(logCount()).toBe(before);
    expect((await app.fetch('/admin/users', { cookie: admin })).status).toBe(200);
  });

  it('keeps the admin log append-only', () => {
    expect(() => run(qb().updateTable('admin_log').set({ action: 'user.reactivate' }))).toThrow(/append-only/);
    expect(() => run(qb().deleteFrom('admin_log'))).toThrow(/append-only/);
  });
});

describe('admin: chapters', () => {
  it('creates a chapter, refuses a duplicate name in any case, renames it', async () => {
    const created = await app.post('/admin/chapters', { intent: 'create', name: 'Denver Group', region: 'Mountain' }, admin);
    expect(created.status).toBe(302);
    const denver = chapterByName('Denver Group')!;
    expect(denver).toMatchObject({ region: 'Mountain', active: 1 });

    const duplicate = await app.post('/admin/chapters', { intent: 'create', name: 'denver group', region: '' }, admin);
    expect(duplicate.status).toBe(400);
    const html = await duplicate.text();
    expect(alerts(html)).toContain('A chapter with this name already exists.');
    expect(html).toContain('value="denver group"');

    const renamed = await app.post('/admin/chapters', { intent: 'rename', chapterId: String(denver.id), name: 'Denver Metro Group', region: 'Mountain' }, admin);
    expect(renamed.status).toBe(302);
    expect(listChapters().find((c) => c.id === denver.id)!.name).toBe('Denver Metro Group');
    const page = await (await app.fetch('/admin/chapters', { cookie: admin })).text();
    expect(page).toContain('renamed the chapter Denver Group (Mountain) to Denver Metro Group (Mountain)');
  });

  it('deactivates a chapter: nobody new is placed in it until it is reactivated', async () => {
    const denver = chapterByName('Denver Metro Group')!;
    expect((await app.post('/admin/chapters', { intent: 'deactivate', chapterId: String(denver.id) }, admin)).status).toBe(302);
    expect(chapterByName('Denver Metro Group')!.active).toBe(0);

    const refused = await app.post(
      '/admin/users',
      { intent: 'create', name: 'Ari Denver', email: 'ari@cosponsor.test', password: 'a-long-enough-secret', roles: ['chapter_lead'], chapterId: String(denver.id) },
      admin,
    );
    expect(refused.status).toBe(400);
    expect(alerts(await refused.text())).toContain('Denver Metro Group is deactivated: reactivate it first, or choose another chapter.');

    expect((await app.post('/admin/chapters', { intent: 'reactivate', chapterId: String(denver.id) }, admin)).status).toBe(302);
    const accepted = await app.post(
      '/admin/users',
      { intent: 'create', name: 'Ari Denver', email: 'ari@cosponsor.test', password: 'a-long-enough-secret', roles: ['chapter_lead'], chapterId: String(denver.id) },
      admin,
    );
    expect(accepted.status).toBe(302);
    const page = await (await app.fetch('/admin/chapters', { cookie: admin })).text();
    expect(page).toContain('deactivated the chapter Denver Metro Group');
    expect(page).toContain('reactivated the chapter Denver Metro Group');
  });
});

describe('signing in', () => {
  it('returns people to the page they asked for, and never to another site', async () => {
    const cases: Array<[string, string]> = [
      ['/admin/chapters?x=1', '/admin/chapters?x=1'],
      ['https://evil.example/', '/'],
      ['//evil.example/', '/'],
      ['/\\evil.example/', '/'],
      ['/\t/evil.example/', '/'], // browsers drop the tab and read "//evil.example/"
      ['/\n/evil.example/', '/'],
    ];
    for (const [redirectTo, location] of cases) {
      const response = await app.post('/login', { email: 'reviewer@cosponsor.test', password: 'cosponsor-demo', redirectTo });
      expect(response.status, JSON.stringify(redirectTo)).toBe(302);
      expect(response.headers.get('location'), JSON.stringify(redirectTo)).toBe(location);
    }
  }, 60_000);
});

describe('signing in again', () => {
  it('ends the session the browser held: a copy of the old cookie no longer signs anyone in', async () => {
    const before = await app.login('reviewer@cosponsor.test');
    expect((await app.fetch('/decisions', { cookie: before })).status).toBe(200);
    const again = await app.post('/login', { email: 'reviewer@cosponsor.test', password: 'cosponsor-demo' }, before);
    expect(again.status).toBe(302);
    const after = `cosponsor_session=${/cosponsor_session=([^;]+)/.exec(again.headers.get('set-cookie') ?? '')![1]}`;
    expect(after).not.toBe(before);
    const old = await app.fetch('/decisions', { cookie: before });
    expect(old.status).toBe(302);
    expect(old.headers.get('location')).toMatch(/^\/login/);
    expect((await app.fetch('/decisions', { cookie: after })).status).toBe(200);
  }, 60_000);
});

describe('sign-in throttling', () => {
  const fail = (email: string) => app.post('/login', { email, password: 'not-the-password' });

  it('blocks an account at an address after repeated failures from it, even with the right password, and says so', async () => {
    for (let i = 0; i < 8; i += 1) expect((await fail('lead@cosponsor.test')).status).toBe(400);
    const blocked = await app.post('/login', { email: 'lead@cosponsor.test', password: 'cosponsor-demo' });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('set-cookie') ?? '').not.toContain('cosponsor_session=');
    expect(alerts(await blocked.text())).toContain(
      'Too many failed sign-ins for this account or from your network. Sign-in is paused; try again in 15 minutes.',
    );
    // Another account from the same address is not yet affected.
    await expect(app.login('lead2@cosponsor.test')).resolves.toMatch(/^cosponsor_session=/);
  }, 60_000);

  it('gives an unknown e-mail exactly the same answers', async () => {
    const known = alerts(await (await fail('staff2@cosponsor.test')).text());
    const unknown = alerts(await (await fail('nobody-here@cosponsor.test')).text());
    expect(unknown).toEqual(known);
    // Seven more failures written as the sign-in page writes them (each real one costs a scrypt run).
    for (let i = 0; i < 7; i += 1) recordLoginAttempt('nobody-here@cosponsor.test', '127.0.0.1', false, new Date().toISOString());
    const blockedUnknown = await fail('nobody-here@cosponsor.test');
    const blockedKnown = await app.post('/login', { email: 'lead@cosponsor.test', password: 'cosponsor-demo' });
    expect(blockedUnknown.status).toBe(429);
    expect(blockedKnown.status).toBe(429);
    expect(alerts(await blockedUnknown.text())).toEqual(alerts(await blockedKnown.text()));
  });

  it('lifts the block once the window has passed', async () => {
    // Move every failure back past the 15-minute window instead of waiting for it.
    const past = new Date(Date.now() - 16 * 60_000).toISOString();
    run(qb().updateTable('login_attempts').set({ at: past }).where('email', '=', 'lead@cosponsor.test'));
    await expect(app.login('lead@cosponsor.test')).resolves.toMatch(/^cosponsor_session=/);
  });
});

describe('the production seed', () => {
  function seedProduction(file: string, env: Record<string, string>) {
    return spawnSync('npm', ['run', '--silent', 'db:seed', '--', '--production'], {
      env: { ...process.env, ...databaseEnv(file), ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
  }

  /** Reads another database file, then points this process back at its own. */
  function inspect<T>(file: string, read: () => T): T {
    const own = database().path;
    useDatabase(file);
    try {
      return read();
    } finally {
      useDatabase(own);
    }
  }

  it('creates the configuration and one admin, and no demo accounts or data', async () => {
    const file = newEmptyDatabase();
    const result = seedProduction(file, { ADMIN_EMAIL: 'it@example.org', ADMIN_PASSWORD: 'a-production-secret' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Seeded the configuration and the admin it@example.org.');
    expect(result.stdout).not.toContain('a-production-secret');

    const seen = inspect(file, () => ({
      users: listUsers(),
      hash: userByEmail('it@example.org')?.password_hash ?? '',
      chapters: listChapters().length,
      proposals: all(qb().selectFrom('proposals').select('id')).length,
      partners: all(qb().selectFrom('partners').select('id')).length,
      configKinds: new Set(all(qb().selectFrom('config_versions').select('kind')).map((r) => r.kind)).size,
    }));
    expect(seen.users.map((u) => ({ email: u.email, roles: u.roles }))).toEqual([{ email: 'it@example.org', roles: ['admin'] }]);
    expect(seen.users.some((u) => u.email.endsWith('@cosponsor.test'))).toBe(false);
    expect(seen).toMatchObject({ chapters: 0, proposals: 0, partners: 0, configKinds: 5 });
    expect(await verifyPassword('a-production-secret', seen.hash)).toBe(true);

    // A second run refuses rather than adding another admin.
    const again = seedProduction(file, { ADMIN_EMAIL: 'other@example.org', ADMIN_PASSWORD: 'a-production-secret' });
    expect(again.status).not.toBe(0);
    expect(inspect(file, () => listUsers().length)).toBe(1);
  }, 60_000);

  it('prints a generated password once when none is given, and it works', async () => {
    const file = newEmptyDatabase();
    const env = { ...process.env };
    delete env.ADMIN_PASSWORD;
    const result = spawnSync('npm', ['run', '--silent', 'db:seed', '--', '--production'], {
      env: { ...env, ...databaseEnv(file), ADMIN_EMAIL: 'it@example.org' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(0);
    const password = /Admin password \(shown once, store it now\): (\S+)/.exec(result.stdout)?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(12);
    const hash = inspect(file, () => userByEmail('it@example.org')?.password_hash ?? '');
    expect(await verifyPassword(password, hash)).toBe(true);
  }, 60_000);
});
