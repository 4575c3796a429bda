import { createHash } from 'node:crypto';
import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import { tempFile } from './scenario';

// The rows a decision writes, replayed with raw prepared statements: the floor
// under decide() for the same work. The replay database is a copy of the
// decision database taken before the first proposal, so it has the same schema,
// indexes and triggers (search index, day index, append-only guards), and it
// is opened with the pragmas of db/connection.ts.

type Row = Record<string, unknown>;
type Writes = {
  proposalId: number;
  inserts: { table: string; rows: Row[] }[];
  /** Earlier rows of the proposal that the call changed (a resubmitted step retires its items) or removed (a draft). */
  updates: { table: string; rowid: number; row: Row }[];
  deletes: { table: string; rowid: number }[];
  proposal: Row | undefined;
};

/** Tables whose rows the trigger-maintained indexes fill on their own; replaying them would write them twice. */
function isTriggerFilled(name: string): boolean {
  return name === 'decision_days' || name.startsWith('decision_search');
}

export class SameWrites {
  inserts = 0;
  decisions = 0;
  ms = 0;
  /** CPU time of the timed transactions (user + system), in µs. */
  cpuUs = 0;
  /** Rows replayed for decisions, by table (the proposal's update counted under proposals). */
  readonly rowsByTable = new Map<string, number>();
  readonly file = tempFile('same-writes.db');
  /** In the order they were created: a parent table before the tables referring to it. */
  private readonly tables: string[];
  private readonly seen = new Map<string, number>();
  /** Tables with a proposal_id column: a decision may change their earlier rows of its proposal. */
  private readonly scoped: string[];
  /** The rows of each proposal as last captured, by table and rowid, as JSON. */
  private readonly known = new Map<string, Map<number, Map<number, string>>>();
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
    this.scoped = this.tables.filter((table) =>
      (source.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).some((c) => c.name === 'proposal_id'),
    );
    this.target = new SQLite(this.file);
    this.target.pragma('journal_mode = WAL');
    this.target.pragma('synchronous = FULL');
    this.target.pragma('foreign_keys = ON');
    this.target.pragma('busy_timeout = 5000');
    this.target.pragma('temp_store = MEMORY');
    this.apply = this.target.transaction((writes: Writes) => {
      // Earlier rows first: a step's old items are retired before its new ones are added.
      for (const { table, rowid } of writes.deletes) this.deleteFrom(table).run(rowid);
      for (const { table, rowid, row } of writes.updates) this.updateRow(table, row).run({ ...row, rowid__: rowid });
      for (const { table, rows } of writes.inserts) {
        for (const row of rows) this.insertInto(table, row).run(row);
      }
      if (writes.proposal) this.updateProposal(writes.proposal).run(writes.proposal);
    });
  }

  /** Collects the rows the last call wrote (new rows of every table, and the proposal as it now stands). */
  capture(kind: 'create' | 'decide', proposalId: number): void {
    const inserts: Writes['inserts'] = [];
    const updates: Writes['updates'] = [];
    const deletes: Writes['deletes'] = [];
    for (const table of this.scoped) {
      const before = this.seen.get(table)!;
      let byProposal = this.known.get(table);
      if (!byProposal) this.known.set(table, (byProposal = new Map()));
      const previous = byProposal.get(proposalId) ?? new Map<number, string>();
      const now = new Map<number, string>();
      const rows = this.sourceStatement(`SELECT rowid AS rowid__, * FROM "${table}" WHERE proposal_id = ?`).all(proposalId) as Row[];
      for (const { rowid__, ...row } of rows) {
        const rowid = Number(rowid__);
        const text = JSON.stringify(row);
        now.set(rowid, text);
        if (rowid <= before && previous.get(rowid) !== text) updates.push({ table, rowid, row });
      }
      for (const rowid of previous.keys()) if (!now.has(rowid)) deletes.push({ table, rowid });
      byProposal.set(proposalId, now);
    }
    for (const table of this.tables) {
      const after = this.seen.get(table)!;
      // Statements prepared once: preparing two dozen per call made garbage that the
      // collector then cleared during the timed decide() calls.
      const rows = this.sourceStatement(`SELECT * FROM "${table}" WHERE rowid > ? ORDER BY rowid`).all(after) as Row[];
      if (rows.length === 0) continue;
      const top = this.sourceStatement(`SELECT max(rowid) AS top FROM "${table}"`).get() as { top: number };
      this.seen.set(table, top.top);
      // The proposal a decision moves is an update, replayed below; a new one is an insert.
      inserts.push({ table, rows });
    }
    const proposal = kind === 'decide' ? (this.sourceStatement('SELECT * FROM proposals WHERE id = ?').get(proposalId) as Row) : undefined;
    this.pending.push({ kind, writes: { proposalId, inserts, updates, deletes, proposal } });
  }

  /**
   * Proves the replay did the same work: every table of the two files (the
   * trigger-filled day index included; the search index is filled after
   * commit, on neither side here) holds exactly the same rows. Returns the
   * tables that differ, empty when none does.
   */
  differences(): string[] {
    const tables = this.source
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")
      .all() as { name: string }[];
    const digest = (db: SQLite.Database, table: string) => {
      const hash = createHash('sha256');
      for (const row of db.prepare(`SELECT * FROM "${table}"`).raw().iterate()) hash.update(`${JSON.stringify(row)}\n`);
      return hash.digest('hex');
    };
    return tables.map((t) => t.name).filter((name) => digest(this.source, name) !== digest(this.target, name));
  }

  /** Replays what was captured: creations untimed, each decision's rows in one timed transaction. */
  replay(): void {
    for (const { kind, writes } of this.pending.splice(0)) {
      if (kind === 'create') {
        this.apply.immediate(writes);
        continue;
      }
      const cpu = process.cpuUsage();
      const started = performance.now();
      this.apply.immediate(writes);
      this.ms += performance.now() - started;
      const used = process.cpuUsage(cpu);
      this.cpuUs += used.user + used.system;
      this.decisions += 1;
      this.inserts += writes.inserts.reduce((n, i) => n + i.rows.length, 0) + writes.updates.length + writes.deletes.length + (writes.proposal ? 1 : 0);
      for (const { table, rows } of writes.inserts) this.rowsByTable.set(table, (this.rowsByTable.get(table) ?? 0) + rows.length);
      for (const { table } of [...writes.updates, ...writes.deletes]) {
        this.rowsByTable.set(`${table} (changed)`, (this.rowsByTable.get(`${table} (changed)`) ?? 0) + 1);
      }
      if (writes.proposal) this.rowsByTable.set('proposals', (this.rowsByTable.get('proposals') ?? 0) + 1);
    }
  }

  close(): void {
    this.target.close();
  }

  private readonly sourceStatements = new Map<string, SQLite.Statement>();

  private sourceStatement(sql: string): SQLite.Statement {
    let statement = this.sourceStatements.get(sql);
    if (!statement) {
      statement = this.source.prepare(sql);
      this.sourceStatements.set(sql, statement);
    }
    return statement;
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

  private updateRow(table: string, row: Row): SQLite.Statement {
    const columns = Object.keys(row);
    const key = `update:${table}:${columns.join(',')}`;
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.target.prepare(`UPDATE "${table}" SET ${columns.map((c) => `"${c}" = @${c}`).join(', ')} WHERE rowid = @rowid__`);
      this.statements.set(key, statement);
    }
    return statement;
  }

  private deleteFrom(table: string): SQLite.Statement {
    const key = `delete:${table}`;
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.target.prepare(`DELETE FROM "${table}" WHERE rowid = ?`);
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
