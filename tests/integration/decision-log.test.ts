// The decision log's defences: the triggers, the verifier naming what was
// tampered with, the command-line audit, and the offline bundle.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { exportBundle, verifyBundle, type Bundle } from '../../db/bundle';
import { getDb } from '../../db/connection';
import { countRecords, formatVerifyResult, recordsOfProposal, verifyLog } from '../../db/decision-log';
import type { DecisionRecord } from '../../db/schema';
import { copyOfCurrentDatabase, currentDatabasePath, databaseEnv, freshDatabase, onDatabase, tempDir } from '../support/db';
import { disableAppendOnlyGuards, sqlAll, sqlGet, sqlRun } from '../support/sql';
import { onPostgres } from '../support/test-database';

const REPO = path.resolve(__dirname, '../..');
const TSX = path.join(REPO, 'node_modules/.bin/tsx');

const record = (seq: number) => sqlGet<DecisionRecord>('SELECT * FROM decision_records WHERE seq = ?', seq)!;
const allRecords = () => sqlAll<DecisionRecord>('SELECT * FROM decision_records ORDER BY seq');

/** What someone with raw access to the database would do first: lift the guards (and the foreign keys). */
function liftGuards() {
  disableAppendOnlyGuards();
  // PostgreSQL's foreign keys are triggers too: a superuser's session switches them off.
  if (onPostgres) sqlRun('SET session_replication_role = replica');
  else getDb().sqlite.pragma('foreign_keys = OFF');
}

/** A record in the middle of the log, of a proposal with several records. */
function middleRecord(): DecisionRecord {
  const records = allRecords();
  const candidates = records.filter((r, i) => i > 5 && i < records.length - 5 && r.proposal_prev_hash !== null);
  return candidates[Math.floor(candidates.length / 2)]!;
}

const NON_SEQ_COLUMNS = [
  'proposal_id', 'partner_id', 'chapter_id', 'campaign_id', 'step', 'outcome', 'actor_id', 'actor_name', 'actor_role',
  'at', 'rationale', 'inputs', 'config_versions', 'from_state', 'to_state', 'prev_hash', 'proposal_prev_hash', 'hash',
] as const;

beforeEach(() => {
  // Each test tampers with its own copy of the demo database.
  freshDatabase('demo');
  expect(verifyLog().ok).toBe(true);
});

describe('the append-only triggers', () => {
  it('refuse UPDATE and DELETE of a record while they are present', () => {
    const target = middleRecord();
    const before = allRecords();
    expect(() => sqlRun("UPDATE decision_records SET outcome = 'approved' WHERE seq = ?", target.seq)).toThrow(/decision_records is append-only/);
    expect(() => sqlRun('UPDATE decision_records SET rationale = rationale')).toThrow(/append-only/);
    expect(() => sqlRun('DELETE FROM decision_records WHERE seq = ?', target.seq)).toThrow(/decision_records is append-only/);
    expect(() => sqlRun('DELETE FROM decision_records')).toThrow(/append-only/);
    expect(allRecords()).toEqual(before);
  });
});

describe('verifyLog', () => {
  it('passes the untouched log and counts every record', () => {
    const result = verifyLog();
    expect(result).toMatchObject({ ok: true, count: countRecords() });
    expect(formatVerifyResult(result)).toBe(`OK ${countRecords()} records`);
  });

  it('names the record whose outcome was changed, and its proposal', () => {
    const target = middleRecord();
    liftGuards();
    sqlRun("UPDATE decision_records SET outcome = 'approved' WHERE seq = ?", target.seq);
    const result = verifyLog();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem).toEqual({
      seq: target.seq,
      proposalId: target.proposal_id,
      problem: 'its content does not match its hash (the record was altered)',
    });
    expect(formatVerifyResult(result)).toBe(
      `BROKEN at record ${target.seq} (proposal ${target.proposal_id}): its content does not match its hash (the record was altered)`,
    );
  });

  it('finds a change to any hashed column, even one byte of the inputs', () => {
    const target = middleRecord();
    liftGuards();
    const flipped = target.inputs.replace(/[a-z]/, (c) => (c === 'a' ? 'b' : 'a'));
    expect(flipped).not.toBe(target.inputs);
    sqlRun('UPDATE decision_records SET inputs = ? WHERE seq = ?', flipped, target.seq);
    const result = verifyLog();
    expect(result.ok ? null : result.problem.seq).toBe(target.seq);
  });

  it('finds a record rewritten together with a recomputed hash of its own', async () => {
    const { recordHash } = await import('../../db/record-hash');
    const target = middleRecord();
    liftGuards();
    const forged = { ...target, rationale: 'Approved after a call with the partner.' };
    sqlRun('UPDATE decision_records SET rationale = ?, hash = ? WHERE seq = ?', forged.rationale, recordHash(forged), target.seq);
    // The record now matches its hash, but the next record still links to the old one.
    const result = verifyLog();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.seq).toBe(target.seq + 1);
    expect(result.problem.problem).toMatch(/does not link to the record before it/);
  });

  it('names the gap left by a deleted record', () => {
    const target = middleRecord();
    liftGuards();
    sqlRun('DELETE FROM decision_records WHERE seq = ?', target.seq);
    const result = verifyLog();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.seq).toBe(target.seq + 1);
    expect(result.problem.problem).toBe(`sequence number ${target.seq} is missing (a record was removed or reordered)`);
  });

  it('finds the deletion of the newest record through its proposal’s state', () => {
    const last = allRecords().at(-1)!;
    expect(last.from_state).not.toBe(last.to_state);
    liftGuards();
    sqlRun('DELETE FROM decision_records WHERE seq = ?', last.seq);
    const result = verifyLog();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.proposalId).toBe(last.proposal_id);
    expect(result.problem.problem).toBe(
      `the proposal is in state "${last.to_state}" but its last record moved it to "${last.from_state}"`,
    );
  });

  it('names the first of two records whose contents were swapped', () => {
    const records = allRecords();
    const a = records[10]!;
    const b = records[20]!;
    liftGuards();
    const set = NON_SEQ_COLUMNS.map((c) => `${c} = ?`).join(', ');
    const update = (contents: DecisionRecord, seq: number) =>
      sqlRun(`UPDATE decision_records SET ${set} WHERE seq = ?`, ...NON_SEQ_COLUMNS.map((c) => contents[c]), seq);
    // hash is UNIQUE: park one row's hash while the other takes it.
    sqlRun("UPDATE decision_records SET hash = 'parked' WHERE seq = ?", a.seq);
    update(a, b.seq);
    update(b, a.seq);
    expect(record(a.seq).rationale).toBe(b.rationale);
    expect(record(b.seq).rationale).toBe(a.rationale);

    const result = verifyLog();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.seq).toBe(a.seq);
    expect(result.problem.proposalId).toBe(b.proposal_id);
  });

  it('names a proposal whose state no longer matches its last record', () => {
    const proposal = sqlGet<{ id: number; state: string }>("SELECT id, state FROM proposals WHERE state = 'rejected' LIMIT 1")!;
    const last = recordsOfProposal(proposal.id).at(-1)!;
    sqlRun("UPDATE proposals SET state = 'approved' WHERE id = ?", proposal.id);
    const result = verifyLog();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem).toEqual({
      seq: last.seq,
      proposalId: proposal.id,
      problem: 'the proposal is in state "approved" but its last record moved it to "rejected"',
    });
  });
});

describe('verifyLog while another process keeps deciding', () => {
  it('reads the records and the proposals from one snapshot: no false alarm', async () => {
    const { spawn } = await import('node:child_process');
    const { createInterface } = await import('node:readline');
    const dir = tempDir('cosponsor-busy-');
    const script = path.join(dir, 'busy-chapter.ts');
    // Walks fresh proposals through the service as fast as it can until told to stop.
    fs.writeFileSync(
      script,
      `import { first, qb, useDatabase } from ${JSON.stringify(path.join(REPO, 'db/connection.ts'))};
import { userByEmail } from ${JSON.stringify(path.join(REPO, 'db/users.ts'))};
import { createProposal, decide } from ${JSON.stringify(path.join(REPO, 'app/features/vetting/vetting.server.ts'))};
useDatabase(process.argv[2]!);
const u = userByEmail('lead@cosponsor.test')!;
const lead = { id: u.id, name: u.name, roles: u.roles, chapterId: u.chapter_id };
const partnerId = first(qb().selectFrom('partners').select('id').limit(1))!.id;
const campaignId = first(qb().selectFrom('campaigns').select('id').limit(1))!.id;
const ratings = Object.fromEntries(['independence', 'non_discrimination', 'human_rights_standards', 'mutual_respect', 'transparency']
  .map((k) => [k, { rating: 'meets', evidence: '', links: [] }]));
let stop = false;
process.stdin.on('data', () => (stop = true));
let decisions = 0;
console.log('ready');
// This process only keeps the log growing: on a loaded machine a PostgreSQL statement may miss
// its deadline (the transaction is then rolled back whole), which is not what the test checks.
const missedDeadline = (error: unknown) => (error as { code?: string }).code === 'PG_DEADLINE';
const loop = () => {
  const until = Date.now() + 50;
  while (Date.now() < until) {
    try {
      const { id } = createProposal(lead, { partnerId, campaignId, eventTitle: 'Vigil', eventDate: '2099-01-01', eventPlace: 'Square', eventDescription: 'A vigil.', kind: 'co_listing' });
      let version = 1;
      for (const command of [{ type: 'SUBMIT_PROPOSAL' }, { type: 'SUBMIT_VALUES', input: { ratings } }]) {
        const r = decide({ proposalId: id, expectedVersion: version, actor: lead, command });
        if (!r.ok) throw new Error(r.error.message);
        version = r.proposal.version;
        decisions++;
      }
    } catch (error) {
      if (!missedDeadline(error)) throw error;
    }
  }
  if (stop) { console.log(String(decisions)); process.exit(0); }
  setImmediate(loop);
};
loop();
`,
    );
    const child = spawn(TSX, [script, currentDatabasePath()], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    expect((await lines.next()).value, stderr).toBe('ready');

    const before = countRecords();
    const problems: string[] = [];
    let runs = 0;
    const until = Date.now() + 2000;
    while (Date.now() < until) {
      const result = verifyLog();
      runs++;
      if (!result.ok) problems.push(formatVerifyResult(result));
    }
    child.stdin.write('stop\n');
    const decisions = Number((await lines.next()).value);
    await new Promise((resolve) => child.once('exit', resolve));
    fs.rmSync(dir, { recursive: true, force: true });

    // The other process really was deciding while the log was being verified.
    expect(decisions, stderr).toBeGreaterThan(20);
    expect(countRecords()).toBeGreaterThan(before + 20);
    expect(runs).toBeGreaterThan(5);
    expect(problems).toEqual([]);
    expect(verifyLog().ok).toBe(true);
  });
});

describe('npm run audit:verify', () => {
  /** audit:verify on `target` (a file path or a postgres:// URL); the copies are removed with the test file's temporary directories (or cluster). */
  function audit(target: string) {
    return spawnSync(TSX, ['scripts/audit-verify.ts'], {
      cwd: REPO,
      env: { ...process.env, ...databaseEnv(target) },
      encoding: 'utf8',
      timeout: 30_000,
    });
  }

  it('prints OK with the record count and exits 0', () => {
    const out = audit(copyOfCurrentDatabase());
    expect(out.stdout.trim()).toBe(`OK ${countRecords()} records`);
    expect(out.status).toBe(0);
  });

  it('prints the tampered record and exits non-zero', () => {
    const copy = copyOfCurrentDatabase();
    const target = middleRecord();
    // The insider edits the copy through a connection of its own.
    onDatabase(copy, () => {
      liftGuards();
      sqlRun("UPDATE decision_records SET rationale = rationale || '.' WHERE seq = ?", target.seq);
    });
    const out = audit(copy);
    expect(out.stdout.trim()).toBe(
      `BROKEN at record ${target.seq} (proposal ${target.proposal_id}): its content does not match its hash (the record was altered)`,
    );
    expect(out.status).not.toBe(0);
    expect(out.status).not.toBeNull();
    // The original is untouched.
    expect(verifyLog().ok).toBe(true);
  });
});

describe('a proposal bundle', () => {
  /** The demo proposal with the most records. */
  function richestBundle(): Bundle {
    const row = sqlGet<{ proposal_id: number }>('SELECT proposal_id FROM decision_records GROUP BY proposal_id ORDER BY count(*) DESC, proposal_id LIMIT 1')!;
    const bundle = exportBundle(row.proposal_id, { signIfNeeded: true }) as Bundle;
    expect(bundle.records.length).toBeGreaterThanOrEqual(5);
    return bundle;
  }
  /** As written to and read back from a file. */
  const roundTrip = (bundle: Bundle): Bundle => JSON.parse(JSON.stringify(bundle));

  it('exports every record of one proposal and verifies offline', () => {
    const bundle = richestBundle();
    expect(bundle.records.map((r) => r.seq)).toEqual(recordsOfProposal(bundle.proposal.id).map((r) => r.seq));
    expect(verifyBundle(roundTrip(bundle))).toEqual({
      ok: true,
      message: expect.stringMatching(new RegExp(`^OK ${bundle.records.length} records of ${bundle.proposal.reference}, included in the log of \\d+ records signed by `)),
    });
  });

  it('fails when one byte of a rationale changes', () => {
    const bundle = roundTrip(richestBundle());
    const target = bundle.records[2]!;
    target.rationale = target.rationale.replace(/.$/, (c) => (c === '.' ? '!' : '.'));
    const result = verifyBundle(bundle);
    expect(result.ok).toBe(false);
    expect(result.message).toBe(
      `BROKEN at record ${target.seq} (proposal ${bundle.proposal.id}): its content does not match its hash (the record was altered)`,
    );
  });

  it('fails when one byte of the inputs changes, in the JSON text itself', () => {
    const bundle = richestBundle();
    const target = bundle.records[1]!;
    const text = JSON.stringify(bundle);
    const escaped = JSON.stringify(target.inputs).slice(1, -1);
    const at = text.indexOf(escaped);
    expect(at).toBeGreaterThan(0);
    // Flip one digit inside the inputs of that record only.
    const digit = escaped.search(/[0-9]/);
    const flippedAt = at + digit;
    const tampered = text.slice(0, flippedAt) + String((Number(text[flippedAt]) + 1) % 10) + text.slice(flippedAt + 1);
    expect(tampered.length).toBe(text.length);
    const result = verifyBundle(JSON.parse(tampered));
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(new RegExp(`^BROKEN at record ${target.seq} `));
  });

  it('fails when a middle record is removed', () => {
    const bundle = roundTrip(richestBundle());
    const removed = bundle.records.splice(2, 1)[0]!;
    const next = bundle.records[2]!;
    const result = verifyBundle(bundle);
    expect(result.ok).toBe(false);
    expect(result.message).toBe(
      `BROKEN at record ${next.seq} (proposal ${bundle.proposal.id}): it does not link to the proposal's previous record (a record of this proposal is missing)`,
    );
    expect(removed.seq).toBeLessThan(next.seq);
  });

  it('fails when the first record is removed or a record of another proposal is slipped in', () => {
    const bundle = roundTrip(richestBundle());
    const withoutFirst = { ...bundle, records: bundle.records.slice(1) };
    expect(verifyBundle(withoutFirst)).toEqual({
      ok: false,
      message: `BROKEN at record ${bundle.records[1]!.seq}: the proposal's first record is missing.`,
    });
    const stranger = allRecords().find((r) => r.proposal_id !== bundle.proposal.id)!;
    const mixed = { ...bundle, records: [...bundle.records, { ...stranger }] };
    expect(verifyBundle(mixed).ok).toBe(false);
  });

  it('fails when it holds no records, or when its header names another proposal', () => {
    const bundle = roundTrip(richestBundle());
    expect(verifyBundle({ ...bundle, records: [] })).toEqual({ ok: false, message: 'BROKEN: the bundle holds no records.' });
    const relabelled = { ...bundle, proposal: { ...bundle.proposal, reference: 'CSP-1999-00042' } };
    const result = verifyBundle(relabelled);
    expect(result.ok).toBe(false);
    expect(result.message).toBe(
      `BROKEN at record ${bundle.records[0]!.seq}: it names ${bundle.proposal.reference}, not CSP-1999-00042.`,
    );
  });

  it('is checked by the command line too', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosponsor-bundle-'));
    const good = path.join(dir, 'good.json');
    const bad = path.join(dir, 'bad.json');
    const bundle = richestBundle();
    fs.writeFileSync(good, JSON.stringify(bundle, null, 2));
    const tampered = roundTrip(bundle);
    tampered.records[3]!.outcome = 'approved';
    fs.writeFileSync(bad, JSON.stringify(tampered, null, 2));
    const run = (file: string) => spawnSync(TSX, ['scripts/audit-verify.ts', '--bundle', file], { cwd: REPO, encoding: 'utf8', timeout: 30_000 });
    const ok = run(good);
    const broken = run(bad);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(ok.stdout.trim()).toMatch(new RegExp(`^OK ${bundle.records.length} records of ${bundle.proposal.reference}, included in the log`));
    expect(ok.status).toBe(0);
    expect(broken.stdout.trim()).toMatch(new RegExp(`^BROKEN at record ${tampered.records[3]!.seq} `));
    expect(broken.status).toBe(1);
  });
});
