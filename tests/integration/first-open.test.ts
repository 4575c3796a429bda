import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `npm start` on a fresh checkout forks two web workers that open the same new database file at
// the same moment. Switching a new file to WAL takes an exclusive lock, and SQLite answers
// SQLITE_BUSY at once, without waiting out the busy timeout, to a process switching it while
// another holds that lock: one worker died at start and took the server down with it.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'first-open-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const connection = path.resolve('db/connection.ts');

/** One process: waits for the common start time, opens the file as the server does, and writes for a while. */
function opener(file: string, startAt: number): Promise<string> {
  const code = `
    const { openDatabase } = await import(${JSON.stringify(connection)});
    while (Date.now() < ${startAt}) {}
    try {
      const db = openDatabase(${JSON.stringify(file)});
      db.sqlite.exec('BEGIN IMMEDIATE');
      db.sqlite.exec('CREATE TABLE IF NOT EXISTS t (x)');
      db.sqlite.prepare('INSERT INTO t VALUES (?)').run(process.pid);
      const until = Date.now() + 100;
      while (Date.now() < until) {}
      db.sqlite.exec('COMMIT');
      console.log(db.sqlite.pragma('journal_mode', { simple: true }));
    } catch (error) {
      console.log('FAILED ' + error.code + ' ' + error.message);
    }`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', () => resolve(out.trim()));
  });
}

describe('opening a new database file from several processes at once', () => {
  it('every process opens it in WAL mode; none fails with SQLITE_BUSY', async () => {
    const outcomes: string[] = [];
    // The race is a matter of timing: several rounds of four processes, each on a new file.
    for (let round = 0; round < 4; round++) {
      const file = path.join(dir, `round-${round}.db`);
      // Far enough ahead for every process to have loaded its modules.
      const startAt = Date.now() + 2500;
      outcomes.push(...(await Promise.all([0, 1, 2, 3].map(() => opener(file, startAt)))));
    }
    expect(outcomes.filter((o) => o !== 'wal')).toEqual([]);
    expect(outcomes).toHaveLength(16);
  }, 60_000);
});
