import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A slow or rude outside service must never take the process down: the call
// returns a typed failure and the process carries on (issue: the fetch polyfill
// crashed the process when a POST was aborted on its deadline).

let silent: http.Server;
let closing: net.Server;
const sockets = new Set<net.Socket>();
beforeAll(async () => {
  // Reads the request, never answers.
  silent = http.createServer((req) => req.resume());
  silent.on('connection', (s) => sockets.add(s));
  // Answers, then closes the connection without saying "Connection: close".
  closing = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok'));
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => closing.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => silent.close(r));
  await new Promise((r) => closing.close(r));
});

function runChild(mode: 'once' | 'twice', url: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/outside-call-child.ts', mode, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('outside calls in the server’s own runtime', () => {
  it('a receiver that never answers: the POST returns a timeout result and the process is alive a second later', async () => {
    const { port } = silent.address() as AddressInfo;
    const { code, stdout, stderr } = await runChild('once', `http://127.0.0.1:${port}/match`);
    expect(stderr).not.toMatch(/TypeError|Cannot cancel/);
    const lines = stdout.trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ ok: false, kind: 'timeout' });
    expect(lines[1]).toBe('alive');
    expect(code).toBe(0);
  });

  it('a receiver that closes connections without saying so: consecutive POSTs both succeed', async () => {
    const { port } = closing.address() as AddressInfo;
    const { code, stdout } = await runChild('twice', `http://127.0.0.1:${port}/hook`);
    const lines = stdout.trim().split('\n');
    expect(JSON.parse(lines[0]!)).toEqual({ ok: true, status: 200 });
    expect(JSON.parse(lines[1]!)).toEqual({ ok: true, status: 200 });
    expect(code).toBe(0);
  });
});
