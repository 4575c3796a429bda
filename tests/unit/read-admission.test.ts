import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { Request, Response } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { readAdmission } from '../../app/http/read-admission';

// The order is checked on the middleware itself (a race over real sockets depended on when the
// server's event loop accepted the write's connection, and failed on a busy machine); bursts and
// slow reads go over real HTTP to a server in its own process (tests/support/admission-server.ts).

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

type FakeResponse = EventEmitter & { writableEnded: boolean; destroyed: boolean; finish: () => void };

function fakeResponse(): FakeResponse {
  const res = Object.assign(new EventEmitter(), { writableEnded: false, destroyed: false }) as FakeResponse;
  res.finish = () => {
    res.writableEnded = true;
    res.emit('finish');
    res.emit('close');
  };
  return res;
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('read admission', () => {
  // The order the middleware lets requests through, without sockets or timing: which requests
  // have been passed on (next called) after each step.
  it('passes a write on at once, and starts no further read until the write is answered', async () => {
    const admit = readAdmission({ limit: 2 });
    const started: string[] = [];
    const send = (name: string, method: string) => {
      const res = fakeResponse();
      admit({ method } as Request, res as unknown as Response, () => started.push(name));
      return res;
    };
    const reads = Array.from({ length: 6 }, (_, i) => send(`read${i}`, 'GET'));
    await turn();
    expect(started).toEqual(['read0', 'read1']);

    const write = send('write', 'POST');
    expect(started).toEqual(['read0', 'read1', 'write']);

    reads[0]!.finish();
    reads[1]!.finish();
    await turn();
    // Reads under way finished, but the write is still being answered: nothing else starts.
    expect(started).toEqual(['read0', 'read1', 'write']);

    write.finish();
    await turn();
    expect(started).toEqual(['read0', 'read1', 'write', 'read2', 'read3']);
  });

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
