import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/app-server';
import { find, visibleText } from '../support/html';

// Every refusal is a 4xx a person can read: found by probing the running app where
// one came back bare (an empty 431), as JSON to a browser, or with nothing on the page.

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

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
