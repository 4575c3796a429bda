import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all, qb } from '../../db/connection';
import { chapterByName, userByEmail } from '../../db/users';
import { startApp, type TestApp } from '../support/app-server';
import { find, parseHtml, visibleText } from '../support/html';

// Every refusal is a 4xx a person can read: found by probing the running app where
// one came back bare (an empty 431), as JSON to a browser, or with nothing on the page.

let app: TestApp;
let admin: string;
let staff: string;
beforeAll(async () => {
  app = await startApp();
  admin = await app.login('admin@cosponsor.test');
  staff = await app.login('staff@cosponsor.test');
});
afterAll(() => app.close());

/** What a browser sends when following a link. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

/** Writes raw bytes to the app and reads the whole answer (the server closes the connection after a client error). */
function rawExchange(bytes: string): Promise<{ status: number; headers: string; body: string }> {
  const { hostname, port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n', 2);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), headers: head.toLowerCase(), body });
    });
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.write(bytes);
  });
}

const alerts = (html: string) =>
  parseHtml(html)
    .querySelectorAll('[role="alert"]')
    .map((alert) => visibleText(alert).trim());

describe('an address or headers over Node’s 16 KB limit', () => {
  it('answers a 20 KB path with 431 and a short page saying so, with a link home, and closes the connection', async () => {
    const { status, headers, body } = await rawExchange(`GET /${'a'.repeat(20 * 1024)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    expect(status).toBe(431);
    expect(headers).toContain('content-type: text/html');
    expect(headers).toContain('connection: close');
    expect(find(body, '[role="alert"]')?.text).toContain('This address is too long');
    expect(find(body, 'a[href="/"]')).not.toBeNull();
  });

  it('answers headers over the limit (a huge cookie) the same way', async () => {
    const { status, body } = await rawExchange(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: x=${'b'.repeat(20 * 1024)}\r\n\r\n`);
    expect(status).toBe(431);
    expect(visibleText(body)).toContain('too long');
  });

  it('answers malformed HTTP with 400 and a message, not an empty body', async () => {
    const { status, headers, body } = await rawExchange('NOT HTTP AT ALL\r\n\r\n');
    expect(status).toBe(400);
    expect(headers).toContain('connection: close');
    expect(find(body, '[role="alert"]')?.text.length).toBeGreaterThan(10);
  });

  it('still serves a normal request afterwards', async () => {
    expect((await app.fetch('/login')).status).toBe(200);
  });
});

describe('a download link followed by a browser', () => {
  it('shows a refused download as a page with the reason and the same status; other clients keep JSON', async () => {
    const missing = '/proposals/999999/record.json';
    const page = await app.fetch(missing, { cookie: staff, headers: { Accept: BROWSER_ACCEPT } });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(find(await page.text(), '[role="alert"]')?.text).toContain('This proposal was not found.');

    const client = await app.fetch(missing, { cookie: staff });
    expect(client.status).toBe(404);
    expect(client.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await client.json()).toEqual({ message: 'This proposal was not found.' });
  });

  it('shows a download asked for wrongly (no table named) as a 400 page', async () => {
    const response = await app.fetch('/insights.csv', { cookie: staff, headers: { Accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(find(await response.text(), '[role="alert"]')?.text).toContain('Name a table');
  });

  it('shows a missing MOU version as a 404 page', async () => {
    const response = await app.fetch('/proposals/999999/mou.docx', { cookie: staff, headers: { Accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(visibleText(await response.text())).toContain('This proposal was not found.');
  });
});

describe('hand-made posts to the admin pages', () => {
  const adminLogSize = () => all(qb().selectFrom('admin_log').select('id')).length;

  it('chapters: an unknown intent is refused with a message on the page', async () => {
    const before = adminLogSize();
    const chicago = chapterByName('Chicago Local Group')!;
    const forms: Record<string, string>[] = [{ intent: 'explode' }, { intent: 'explode', chapterId: String(chicago.id) }];
    for (const form of forms) {
      const response = await app.post('/admin/chapters', form, admin);
      expect(response.status, JSON.stringify(form)).toBe(400);
      expect(alerts(await response.text()), JSON.stringify(form)).toContain('Choose an action on this page.');
    }
    expect(adminLogSize()).toBe(before);
  });

  it('chapters: a chapter not on the page is refused with a message on the page', async () => {
    const before = adminLogSize();
    for (const intent of ['deactivate', 'reactivate']) {
      const response = await app.post('/admin/chapters', { intent, chapterId: '999999' }, admin);
      expect(response.status, intent).toBe(404);
      expect(alerts(await response.text()), intent).toContain('There is no such chapter.');
    }
    const rename = await app.post('/admin/chapters', { intent: 'rename', chapterId: '999999', name: 'Nowhere Group', region: '' }, admin);
    expect(rename.status).toBe(404);
    expect(alerts(await rename.text())).toContain('There is no such chapter.');
    const notANumber = await app.post('/admin/chapters', { intent: 'deactivate', chapterId: 'abc' }, admin);
    expect(notANumber.status).toBe(400);
    expect(alerts(await notANumber.text())).toContain('Choose a chapter on this page.');
    expect(adminLogSize()).toBe(before);
  });

  it('users: an unknown role or intent when creating an account is refused with a message on the page', async () => {
    const before = adminLogSize();
    const account = { name: 'Hand Made', email: 'hand-made@cosponsor.test', password: 'a-long-enough-secret', chapterId: '' };
    const role = await app.post('/admin/users', { intent: 'create', ...account, roles: ['wizard'] }, admin);
    expect(role.status).toBe(400);
    expect(alerts(await role.text())).toContain('Choose one of the listed roles.');
    const intent = await app.post('/admin/users', { intent: 'explode', ...account, roles: ['staff'] }, admin);
    expect(intent.status).toBe(400);
    expect(alerts(await intent.text())).toContain('Choose an action on this page.');
    expect(userByEmail('hand-made@cosponsor.test')).toBeUndefined();
    expect(adminLogSize()).toBe(before);
  });

  it('an account’s page: an unknown role or intent is refused with a message on the page', async () => {
    const before = adminLogSize();
    const reviewer = userByEmail('reviewer@cosponsor.test')!;
    const role = await app.post(`/admin/users/${reviewer.id}`, { intent: 'update', roles: ['reviewer', 'wizard'], chapterId: '' }, admin);
    expect(role.status).toBe(400);
    expect(alerts(await role.text())).toContain('Choose one of the listed roles.');
    const intent = await app.post(`/admin/users/${reviewer.id}`, { intent: 'explode' }, admin);
    expect(intent.status).toBe(400);
    expect(alerts(await intent.text())).toContain('Choose an action on this page.');
    expect(userByEmail('reviewer@cosponsor.test')!.roles).toEqual(reviewer.roles);
    expect(adminLogSize()).toBe(before);
  });
});
