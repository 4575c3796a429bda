import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import { tempFile } from './scenario';

// The rows a decision writes, replayed with raw prepared statements: the floor
// under decide() for the same work. The replay database is a copy of the
// decision database taken before the first proposal, so it has the same schema,
// indexes and triggers (search index, day index, append-only guards), and it
// is opened with the pragmas of db/connection.ts.

type Row = Record<string, unknown>;
type Writes = { proposalId: number; inserts: { table: string; rows: Row[] }[]; proposal: Row | undefined };

/** Tables whose rows the trigger-maintained indexes fill on their own; replaying them would write them twice. */
function isTriggerFilled(name: string): boolean {
  return name === 'decision_days' || name.startsWith('decision_search');
}

export class SameWrites {
  inserts = 0;
  decisions = 0;
  ms = 0;
  /** Rows replayed for decisions, by table (the proposal's update counted under proposals). */
  readonly rowsByTable = new Map<string, number>();
  readonly file = tempFile('same-writes.db');
  /** In the order they were created: a parent table before the tables referring to it. */
  private readonly tables: string[];
  private readonly seen = new Map<string, number>();
  private readonly pending: { kind: 'create' | 'decide'; writes: Writes }[] = [];
  private readonly target: SQLite.Database;
  private readonly statements = new Map<string, SQLite.Statement>();
  private readonly apply: SQLite.Transaction<(writes: Writes) => void>;

  /** source: the decision database, before any proposal of the stream is created. */
  constructor(private readonly source: SQLite.Database) {
    source.pragma('wal_checkpoint(TRUNCATE)');
    fs.copyFileSync(source.name, this.file);
    const tables = source
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
      .all() as { name: string; sql: string }[];
    this.tables = tables
      .filter((t) => !/WITHOUT\s+ROWID/i.test(t.sql) && !/^CREATE VIRTUAL/i.test(t.sql) && !isTriggerFilled(t.name))
      .map((t) => t.name);
    for (const table of this.tables) {
      const top = source.prepare(`SELECT max(rowid) AS top FROM "${table}"`).get() as { top: number | null };
      this.seen.set(table, top.top ?? 0);
    }
    this.target = new SQLite(this.file);
    this.target.pragma('journal_mode = WAL');
    this.target.pragma('synchronous = FULL');
    this.target.pragma('foreign_keys = ON');
    this.target.pragma('busy_timeout = 5000');
    this.apply = this.target.transaction((writes: Writes) => {
      for (const { table, rows } of writes.inserts) {
        for (const row of rows) this.insertInto(table, row).run(row);
      }
      if (writes.proposal) this.updateProposal(writes.proposal).run(writes.proposal);
    });
  }

  /** Collects the rows the last call wrote (new rows of every table, and the proposal as it now stands). */
  capture(kind: 'create' | 'decide', proposalId: number): void {
    const inserts: Writes['inserts'] = [];
    for (const table of this.tables) {
      const after = this.seen.get(table)!;
      const rows = this.source.prepare(`SELECT * FROM "${table}" WHERE rowid > ? ORDER BY rowid`).all(after) as Row[];
      if (rows.length === 0) continue;
      const top = this.source.prepare(`SELECT max(rowid) AS top FROM "${table}"`).get() as { top: number };
      this.seen.set(table, top.top);
      // The proposal a decision moves is an update, replayed below; a new one is an insert.
      inserts.push({ table, rows });
    }
    const proposal = kind === 'decide' ? (this.source.prepare('SELECT * FROM proposals WHERE id = ?').get(proposalId) as Row) : undefined;
    this.pending.push({ kind, writes: { proposalId, inserts, proposal } });
  }

  /** Replays what was captured: creations untimed, each decision's rows in one timed transaction. */
  replay(): void {
    for (const { kind, writes } of this.pending.splice(0)) {
      if (kind === 'create') {
        this.apply.immediate(writes);
        continue;
      }
      const started = performance.now();
      this.apply.immediate(writes);
      this.ms += performance.now() - started;
      this.decisions += 1;
      this.inserts += writes.inserts.reduce((n, i) => n + i.rows.length, 0) + (writes.proposal ? 1 : 0);
      for (const { table, rows } of writes.inserts) this.rowsByTable.set(table, (this.rowsByTable.get(table) ?? 0) + rows.length);
      if (writes.proposal) this.rowsByTable.set('proposals', (this.rowsByTable.get('proposals') ?? 0) + 1);
    }
  }

  close(): void {
    this.target.close();
  }

  private insertInto(table: string, row: Row): SQLite.Statement {
    const columns = Object.keys(row);
    const key = `insert:${table}:${columns.join(',')}`;
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.target.prepare(
        `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
      );
      this.statements.set(key, statement);
    }
    return statement;
  }

  private updateProposal(row: Row): SQLite.Statement {
    const columns = Object.keys(row).filter((c) => c !== 'id');
    const key = `update:proposals:${columns.join(',')}`;
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.target.prepare(`UPDATE proposals SET ${columns.map((c) => `"${c}" = @${c}`).join(', ')} WHERE id = @id`);
      this.statements.set(key, statement);
    }
    return statement;
  }
}
