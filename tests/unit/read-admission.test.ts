import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';

// Real HTTP to a server in its own process (tests/support/admission-server.ts) whose pages render
// synchronously: a burst of reads, then a write. Without admission the write is answered after
// every read already taken off the sockets; with it, after at most the few renders under way.

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

async function serve(limit: number | 'none', { holdMs = 2_000, renderMs = 30 } = {}): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/admission-server.ts', String(limit), String(holdMs), String(renderMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const port = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /port (\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}`)));
  });
  return `http://127.0.0.1:${port}`;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function request(url: string, method = 'GET'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now()));
    });
    req.on('error', reject);
    req.end();
  });
}

/** How many of 20 reads sent just before it are answered before the write. */
async function readsAnsweredBeforeTheWrite(url: string): Promise<number> {
  // Sockets opened first, so that the burst arrives at once.
  await Promise.all(Array.from({ length: 20 }, () => request(`${url}/page`)));
  const reads = Array.from({ length: 20 }, () => request(`${url}/page`));
  await new Promise((r) => setTimeout(r, 20));
  const written = await request(`${url}/decide`, 'POST');
  const readTimes = await Promise.all(reads);
  return readTimes.filter((t) => t < written).length;
}

describe('read admission', () => {
  it('answers a write after at most the few reads under way, where without it the write waits for the whole burst', async () => {
    // Renders long enough (20 x 100 ms) that the write surely arrives while the burst is being answered, even on a busy machine.
    const without = await readsAnsweredBeforeTheWrite(await serve('none', { renderMs: 100 }));
    const withAdmission = await readsAnsweredBeforeTheWrite(await serve(2, { renderMs: 100 }));
    expect(without).toBeGreaterThanOrEqual(15);
    // The two under way, and on a busy machine a few started before the write had even arrived.
    expect(withAdmission).toBeLessThanOrEqual(8);
  }, 60_000);

  it('answers every read of a burst larger than the limit', async () => {
    const url = await serve(3, { renderMs: 5 });
    const answered = await Promise.all(Array.from({ length: 30 }, () => request(`${url}/page`)));
    expect(answered).toHaveLength(30);
  }, 60_000);

  it('a read still waiting on something else after holdMs gives up its slot, so the reads behind it go on', async () => {
    const url = await serve(1, { holdMs: 100, renderMs: 1 });
    const slow = request(`${url}/slow-outside`);
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    const quick = await request(`${url}/page`);
    expect(quick - started).toBeLessThan(1_000);
    await slow;
  }, 60_000);
});
