// The checkpoint job verifies only what was written since its last run: the new records, in
// slices with the event loop free between them, and the rows the pages show of the decisions
// since (docs/decisions/0390-incremental-verification-in-slices.md). These tests show, on a real
// database file (and on PostgreSQL), that an incremental run reads only those new rows and
// still finds tampering in them, that a run in slices signs the head one run would, that the first run in a process
// checks every shown row in bounded slices too, and that every statement of an incremental run reaches its rows through an index.
import { describe, expect, it, beforeEach, vi } from 'vitest';
import { checkpointLog, checkpointLogInSlices } from '../../db/checkpoint-log';
import { checkpointFiles, logConfig } from '../../db/checkpoints';
import { database, getDb, useDatabase } from '../../db/connection';
import { formatVerifyResult, verifyLog } from '../../db/decision-log';
import { freshDatabase } from '../support/db';
import { disableAppendOnlyGuards, sqlGet, sqlRun } from '../support/sql';
import { onPostgres } from '../support/test-database';
import { newPartner, proposalInReview } from './review-fixtures';

/** A proposal carried to review: new records, a values, agenda and risk submission, and their items. */
const newProposal = (title: string) => proposalInReview({ partnerId: newPartner(`Partner for ${title}`), title });

const lastSeq = () => Number(sqlGet<{ seq: number }>('SELECT max(seq) AS seq FROM decision_records')!.seq);

/** What a run of the job verifies: everything since the newest checkpoint, in slices. */
async function jobRun(recordsPerSlice = 3, shownRowsPerSlice?: { proposals: number; rows: number }) {
  let slices = 1;
  const outcome = await checkpointLogInSlices(logConfig(), {
    recordsPerSlice,
    ...(shownRowsPerSlice ? { shownRowsPerSlice } : {}),
    pause: async () => {
      slices++;
    },
  });
  return { outcome, slices };
}

function liftGuards() {
  disableAppendOnlyGuards();
  if (onPostgres) sqlRun('SET session_replication_role = replica');
  else getDb().sqlite.pragma('foreign_keys = OFF');
}

/**
 * Rows of decisions the last run verified, each changed so that any check reading it reports
 * it: an agenda item moved to no submission, a risk item shown although an earlier one, and an
 * edited submission. A run that reads only new rows passes over them.
 */
function tamperWithOldRows() {
  liftGuards();
  const agenda = sqlGet<{ id: number; proposal_id: number }>('SELECT id, proposal_id FROM agenda_items ORDER BY id LIMIT 1')!;
  sqlRun('UPDATE agenda_items SET submission_id = ? WHERE id = ?', 999_999, agenda.id);
  const values = sqlGet<{ id: number; data: string }>("SELECT id, data FROM step_submissions WHERE step = 'values' ORDER BY id LIMIT 1")!;
  sqlRun('UPDATE step_submissions SET data = ? WHERE id = ?', values.data.replace('{', '{"edited":true,'), values.id);
  return agenda;
}

beforeEach(async () => {
  freshDatabase('demo');
  // The first checkpoint, then a first run of the job: it reads every shown row once and leaves its mark.
  expect(checkpointLog()).toMatchObject({ ok: true, created: true });
  newProposal('Before the job started');
  expect((await jobRun()).outcome).toMatchObject({ ok: true, created: true });
});

describe('the checkpoint job after its first run', () => {
  it('reads only the rows written since: tampering with earlier rows is left to the full verification', async () => {
    const agenda = tamperWithOldRows();
    newProposal('After the tampering');
    const head = lastSeq();
    const { outcome, slices } = await jobRun();
    // Signed: none of the tampered rows was read (each would have been reported).
    expect(outcome).toMatchObject({ ok: true, created: true, size: head });
    expect(slices).toBeGreaterThan(1);
    // The full verification reads them all and finds the first.
    const full = formatVerifyResult(verifyLog());
    expect(full).toMatch(/^BROKEN/);
    expect(full).toMatch(new RegExp(`the values step shown on the proposal \\(submission \\d+\\) differs|agenda item ${agenda.id} belongs to no submitted agenda`));
  });

  it('still finds an edited agenda item of a new submission', async () => {
    const id = newProposal('Edited after its submission');
    liftGuards();
    const item = sqlGet<{ id: number; text: string }>('SELECT id, text FROM agenda_items WHERE proposal_id = ? ORDER BY id LIMIT 1', id)!;
    sqlRun('UPDATE agenda_items SET text = ? WHERE id = ?', `${item.text} (and a fundraiser)`, item.id);
    const files = checkpointFiles(logConfig()).length;
    const { outcome } = await jobRun();
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? '' : outcome.message).toMatch(new RegExp(`the agenda shown on the proposal has item ${item.id} \\(".* \\(and a fundraiser\\)"\\) where record \\d+ holds`));
    expect(checkpointFiles(logConfig())).toHaveLength(files);
  });

  it('still finds an edited risk item and an edited submission of the new decisions', async () => {
    const id = newProposal('Risk edited');
    liftGuards();
    const risk = sqlGet<{ id: number; likelihood: number }>('SELECT id, likelihood FROM risk_items WHERE proposal_id = ? ORDER BY id LIMIT 1', id)!;
    sqlRun('UPDATE risk_items SET likelihood = ? WHERE id = ?', risk.likelihood === 1 ? 2 : 1, risk.id);
    const { outcome } = await jobRun();
    expect(outcome.ok ? '' : outcome.message).toMatch(new RegExp(`the risk register shown on the proposal has item ${risk.id} .* differing from record \\d+ \\(likelihood\\)`));

    sqlRun('UPDATE risk_items SET likelihood = ? WHERE id = ?', risk.likelihood, risk.id);
    const values = sqlGet<{ id: number; data: string }>("SELECT id, data FROM step_submissions WHERE proposal_id = ? AND step = 'values'", id)!;
    sqlRun('UPDATE step_submissions SET data = ? WHERE id = ?', values.data.replace('{', '{"edited":true,'), values.id);
    const again = await jobRun();
    expect(again.outcome.ok ? '' : again.outcome.message).toMatch(new RegExp(`the values step shown on the proposal \\(submission ${values.id}\\) differs from what record \\d+ holds \\(the answers\\)`));
  });

  it('finds an item inserted after the last run, whether it cites no submission or an old one', async () => {
    liftGuards();
    const old = sqlGet<{ id: number; submission_id: number; proposal_id: number }>('SELECT id, submission_id, proposal_id FROM risk_items ORDER BY id LIMIT 1')!;
    const copy = (submissionId: number) =>
      sqlRun(
        `INSERT INTO risk_items (proposal_id, submission_id, position, kind, category, description, likelihood, impact, mitigation,
           residual_likelihood, residual_impact, score, band, residual_score, residual_band, current)
         SELECT proposal_id, ?, position + 10, kind, category, description, likelihood, impact, mitigation,
           residual_likelihood, residual_impact, score, band, residual_score, residual_band, 0 FROM risk_items WHERE id = ?`,
        submissionId,
        old.id,
      );
    copy(old.submission_id);
    const late = await jobRun();
    expect(late.outcome.ok ? '' : late.outcome.message).toMatch(new RegExp(`risk item \\d+ was added to submission ${old.submission_id} after the log holding that submission was verified`));

    sqlRun('DELETE FROM risk_items WHERE id = (SELECT max(id) FROM risk_items)');
    copy(999_999);
    const orphan = await jobRun();
    expect(orphan.outcome.ok ? '' : orphan.outcome.message).toMatch(/risk item \d+ belongs to no submitted risk register of this proposal/);
  });

  it('signs, in slices, the same head and root as one run over the same records', async () => {
    for (let i = 0; i < 3; i++) newProposal(`Sliced ${i}`);
    const whole = verifyLog({ incremental: true });
    expect(whole.ok).toBe(true);
    const { outcome, slices } = await jobRun(2);
    expect(slices).toBeGreaterThanOrEqual(Math.ceil(whole.count / 2));
    expect(outcome).toMatchObject({ ok: true, created: true, size: whole.head!.size, root: whole.head!.root });
    expect(verifyLog()).toMatchObject({ ok: true });
  });

  it('finds a proposal whose state disagrees with its last record when that record lies in a later slice', async () => {
    const id = newProposal('State set back');
    liftGuards();
    sqlRun("UPDATE proposals SET state = 'draft' WHERE id = ?", id);
    const { outcome } = await jobRun(1);
    expect(outcome.ok ? '' : outcome.message).toMatch(new RegExp(`\\(proposal ${id}\\): the proposal is in state "draft" but its last record moved it to "review"`));
  });
});

/** The process started again on the same database: no mark of the rows it verified is left in memory. */
function restart() {
  useDatabase(onPostgres ? process.env.DATABASE_URL! : process.env.DATABASE_PATH!);
}

const rowsOf = (table: string) => Number(sqlGet<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)!.n);

describe('the first run of the checkpoint job in a process', () => {
  /** Every new record in one slice; the shown rows two proposals or five rows at a time. */
  const firstRun = () => jobRun(1_000, { proposals: 2, rows: 5 });

  it('checks every shown row a few at a time, with the event loop free between them, and signs the head one run would', async () => {
    newProposal('After the restart');
    restart();
    const whole = verifyLog({ incremental: true });
    expect(whole.ok).toBe(true);
    // At least a slice per two proposals and per five items (orphans, then `current` flags).
    const fewest = Math.ceil(rowsOf('proposals') / 2) + 2 * (Math.ceil(rowsOf('agenda_items') / 5) + Math.ceil(rowsOf('risk_items') / 5));
    const { outcome, slices } = await firstRun();
    expect(slices).toBeGreaterThanOrEqual(fewest);
    expect(outcome).toMatchObject({ ok: true, created: true, size: whole.head!.size, root: whole.head!.root });
    // The mark it left: the next run reads only what is new (one slice, no sweep).
    newProposal('After the first run');
    expect(await jobRun(1_000, { proposals: 2, rows: 5 })).toMatchObject({ outcome: { ok: true, created: true }, slices: 1 });
  });

  it('still finds an old agenda item moved to no submission, and signs nothing', async () => {
    restart();
    const agenda = tamperWithOldRows();
    newProposal('After the tampering');
    const files = checkpointFiles(logConfig()).length;
    const { outcome, slices } = await firstRun();
    expect(slices).toBeGreaterThan(1);
    expect(outcome.ok ? '' : outcome.message).toMatch(new RegExp(`agenda item ${agenda.id} belongs to no submitted agenda`));
    expect(checkpointFiles(logConfig())).toHaveLength(files);
  });

  it('still finds an old risk item shown or hidden against its submission', async () => {
    restart();
    liftGuards();
    const risk = sqlGet<{ id: number; current: number }>('SELECT id, current FROM risk_items ORDER BY id DESC LIMIT 1')!;
    sqlRun('UPDATE risk_items SET current = ? WHERE id = ?', risk.current ? 0 : 1, risk.id);
    const { outcome } = await firstRun();
    expect(outcome.ok ? '' : outcome.message).toMatch(new RegExp(`risk item ${risk.id} is (shown|hidden) although`));
  });
});

const TABLES = ['decision_records', 'step_submissions', 'agenda_items', 'risk_items', 'proposals', 'partner_links', 'mou_versions'];

/** The SELECT statements (with their parameters) the database is sent while `run` runs. */
async function statementsOf(run: () => Promise<unknown>): Promise<{ text: string; params: unknown[] }[]> {
  const seen = new Map<string, unknown[]>();
  const db = database();
  if (db.kind === 'sqlite') {
    // Statements are kept per connection once prepared: forget them, so each is prepared (and seen) again.
    db.statements.clear();
    const prepare = db.sqlite.prepare.bind(db.sqlite);
    const spy = vi.spyOn(db.sqlite, 'prepare').mockImplementation((source: string) => {
      seen.set(source, []);
      return prepare(source);
    });
    try {
      await run();
    } finally {
      spy.mockRestore();
    }
  } else {
    const query = db.connection.query.bind(db.connection);
    const spy = vi.spyOn(db.connection, 'query').mockImplementation((text: string, params: readonly unknown[] = [], inTransaction = false) => {
      seen.set(text, [...params]);
      return query(text, params, inTransaction);
    });
    try {
      await run();
    } finally {
      spy.mockRestore();
    }
  }
  return [...seen].filter(([text]) => /^\s*SELECT/i.test(text)).map(([text, params]) => ({ text, params }));
}

/**
 * The steps of a statement's plan that read a whole table or index. SQLite: "SCAN <table or its
 * alias>" (an index seek shows as SEARCH; a SCAN of a subquery's result reads no table).
 * PostgreSQL, with sequential scans and merge and hash joins priced out (its planner reads a
 * test's small tables whole whenever it may): a Seq Scan, or an index scan with no Index Cond,
 * means no index could seek.
 */
function fullTableReads(text: string, params: unknown[]): string[] {
  const db = database();
  if (db.kind === 'sqlite') {
    const bound = Array.from({ length: (text.match(/\?/g) ?? []).length }, () => 0);
    const plan = (db.sqlite.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...bound) as { detail: string }[]).map((r) => r.detail);
    const names = [...text.matchAll(/\b(?:FROM|JOIN)\s+"?(\w+)"?(?:\s+(?:AS\s+)?(\w+))?/gi)]
      .filter(([, table]) => TABLES.includes(table!))
      .flatMap(([, table, alias]) => [table!, ...(alias && !/^(WHERE|LEFT|JOIN|ORDER|GROUP|LIMIT|ON|UNION)$/i.test(alias) ? [alias] : [])]);
    return plan.filter((d) => /^SCAN /.test(d) && names.includes(d.split(' ')[1]!));
  }
  // Joins by nested loop too: a merge or hash join of a small table reads it whole by choice.
  const off = ['enable_seqscan', 'enable_mergejoin', 'enable_hashjoin'];
  for (const setting of off) db.connection.query(`SET ${setting} = off`);
  let plan: string[];
  try {
    plan = db.connection.query(`EXPLAIN ${text}`, params).rows.map((r) => String((r as Record<string, unknown>)['QUERY PLAN']));
  } finally {
    for (const setting of off) db.connection.query(`SET ${setting} = on`);
  }
  // Each scan of a table with the lines that detail it; an index scan without an Index Cond
  // reads the whole index (what PostgreSQL does when no index fits but sequential scans are off).
  const reads: string[] = [];
  plan.forEach((line, i) => {
    const scan = /(Seq Scan|Index Scan|Index Only Scan)(?: Backward)?(?: using \w+)? on (\w+)/.exec(line);
    if (!scan || !TABLES.includes(scan[2]!)) return;
    const depth = line.search(/\S/);
    const details = [];
    for (let j = i + 1; j < plan.length && plan[j]!.search(/\S/) > depth && !plan[j]!.includes('->'); j++) details.push(plan[j]!);
    if (scan[1] === 'Seq Scan' || !details.some((d) => d.includes('Index Cond:'))) reads.push(line.trim());
  });
  return reads;
}

describe('the statements of an incremental run', () => {
  it('reach their rows through an index, never by reading a whole table', async () => {
    newProposal('Planned');
    const reads = await statementsOf(async () => expect((await jobRun()).outcome).toMatchObject({ ok: true }));
    expect(reads.length).toBeGreaterThan(5);
    for (const { text, params } of reads) expect({ text, fullTableReads: fullTableReads(text, params) }).toEqual({ text, fullTableReads: [] });
  });
});
