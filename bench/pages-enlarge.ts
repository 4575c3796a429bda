import fs from 'node:fs';
import SQLite from 'better-sqlite3';

// A register ten times larger, made in minutes at the SQL level: the generator's register is
// copied `factor - 1` times over, every proposal with its records, step submissions, agenda and
// risk items, MOU versions, screenings, drafts and inbox messages, ids shifted past the
// originals, same partners, chapters and people (so the busiest partner and every inbox grow
// tenfold too). For reading speed only: the copies' records carry made-up hashes, so the log
// does not verify, and their references end in "-k". The real generator (scripts/seed.ts
// --scale) makes a valid register, at the cost of hours at this size.

type Shift = { proposals: number; seq: number; submissions: number };

const COPIED_COLUMNS: Record<string, (k: number, s: Shift) => Record<string, string>> = {
  proposals: (k, s) => ({
    id: `id + ${s.proposals * k}`,
    reference: `reference || '-${k}'`,
    previous_proposal_id: `previous_proposal_id + ${s.proposals * k}`,
    creation_token: `CASE WHEN creation_token IS NULL THEN NULL ELSE creation_token || '-${k}' END`,
  }),
  decision_records: (k, s) => ({
    seq: `seq + ${s.seq * k}`,
    proposal_id: `proposal_id + ${s.proposals * k}`,
    hash: `hash || '-${k}'`,
    prev_hash: `prev_hash || '-${k}'`,
    proposal_prev_hash: `proposal_prev_hash || '-${k}'`,
  }),
  step_submissions: (k, s) => ({
    id: `id + ${s.submissions * k}`,
    proposal_id: `proposal_id + ${s.proposals * k}`,
    decision_seq: `decision_seq + ${s.seq * k}`,
  }),
  agenda_items: (k, s) => ({ id: 'NULL', proposal_id: `proposal_id + ${s.proposals * k}`, submission_id: `submission_id + ${s.submissions * k}` }),
  risk_items: (k, s) => ({ id: 'NULL', proposal_id: `proposal_id + ${s.proposals * k}`, submission_id: `submission_id + ${s.submissions * k}` }),
  mou_versions: (k, s) => ({ id: 'NULL', proposal_id: `proposal_id + ${s.proposals * k}` }),
  mou_views: (k, s) => ({ proposal_id: `proposal_id + ${s.proposals * k}` }),
  screenings: (k, s) => ({ id: 'NULL', proposal_id: `proposal_id + ${s.proposals * k}` }),
  step_drafts: (k, s) => ({ proposal_id: `proposal_id + ${s.proposals * k}` }),
  inbox: (k, s) => ({ id: 'NULL', proposal_id: `proposal_id + ${s.proposals * k}`, decision_seq: `decision_seq + ${s.seq * k}` }),
};

/** Copies `from` to `to` and grows it `factor` times; returns the number of proposals. */
export function enlargeRegister(from: string, to: string, factor: number, log: (line: string) => void = () => {}): number {
  for (const f of [to, `${to}-wal`, `${to}-shm`]) fs.rmSync(f, { force: true });
  fs.copyFileSync(from, to);
  const db = new SQLite(to);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -1000000');
    const max = (table: string, column: string) => (db.prepare(`SELECT max(${column}) AS n FROM ${table}`).get() as { n: number }).n;
    const shift: Shift = { proposals: max('proposals', 'id'), seq: max('decision_records', 'seq'), submissions: max('step_submissions', 'id') };
    // The search index copies its own rows (same text; the proposal's tag follows the new id).
    const indexed = max('decision_search', 'rowid');
    for (let k = 1; k < factor; k++) {
      db.transaction(() => {
        for (const [table, mapped] of Object.entries(COPIED_COLUMNS)) {
          const names = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
          const map = mapped(k, shift);
          const select = names.map((n) => map[n] ?? n).join(', ');
          // Only the originals: the copies made so far are not copied again.
          const originals = table === 'proposals' ? `id <= ${shift.proposals}` : `proposal_id <= ${shift.proposals}`;
          db.prepare(`INSERT INTO ${table} (${names.join(', ')}) SELECT ${select} FROM ${table} WHERE ${originals}`).run();
        }
        db.prepare(
          `INSERT INTO decision_search (rowid, rationale, evidence, partner, agenda, tags)
           SELECT s.rowid + ${shift.seq * k}, s.rationale, s.evidence, s.partner, s.agenda,
                  replace(s.tags, ' r' || d.proposal_id || ' ', ' r' || (d.proposal_id + ${shift.proposals * k}) || ' ')
             FROM decision_search s JOIN decision_records d ON d.seq = s.rowid
            WHERE s.rowid <= ${indexed} ORDER BY s.rowid`,
        ).run();
      })();
      log(`copy ${k} of ${factor - 1} done`);
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    return (db.prepare('SELECT count(*) AS n FROM proposals').get() as { n: number }).n;
  } finally {
    db.close();
  }
}
