import fs from 'node:fs';
import { sql } from 'kysely';
import {
  authenticateTreeState,
  loadSigner,
  logConfig,
  publicKeyFileOf,
  readCheckpoints,
  readTreeState,
  readVerifierKeys,
  sealKey,
  sealOf,
  type LogConfig,
  treeStateOf,
  type StoredCheckpoint,
  type TreeState,
} from './checkpoints';
import { all, database, first, qb, raw, readSnapshot } from './connection';
import { CompactRange } from './merkle';
import { ChainChecker, HASH_VERSION, HASHED_FIELDS, hashOfText, recordLeaf, type ChainProblem } from './record-hash';
import type { NoteVerifier } from './signed-note';
import { checkShownRows, shownRowsMark, type ShownRowsMark } from './shown-rows';
export type { ShownRowsMark } from './shown-rows';
import { attachmentStore, type FileStore } from './attachment-store';
import { attachmentsIn } from '../workflows/attachments';

// Verifies the decision log: the hash chain, the Merkle tree against every
// signed checkpoint kept outside the database, the rows the pages show against
// the records, and each proposal's state and workflow snapshot.

export type LogProblem = ChainProblem & { checkpoint?: string };

export type Head = { size: number; root: string };

export type CheckpointSummary = { file: string; size: number; root: string; time: string | null; signer: string };

type VerifyFacts = {
  count: number;
  durationMs: number;
  /** Attached files found in the store with the hash their records cite (when they were checked). */
  files?: number;
  /** The tree over every record read: size and base64 root. */
  head?: Head;
  /** Signed checkpoints the log was found consistent with, and the newest. */
  checkpoints?: { verified: number; latest: CheckpointSummary | null };
  /** Set when only the records after this checkpoint size were read. */
  incrementalFrom?: number;
  /** The tree's state at the head, for the next checkpoint (not printed). */
  tree?: TreeState;
  /** With collectLeaves: the leaf hashes read, from tree index `from` on (not printed). */
  leaves?: { from: number; data: Buffer };
  /** Where the rows the pages show were verified up to, for the next incremental run (not printed). */
  shownRowsMark?: ShownRowsMark;
  /**
   * With maxRecords: false when the log holds records beyond the ones read (the next slice goes
   * on from `continuation`); the head, the tree and the marks then describe the slice's end.
   */
  complete?: boolean;
  /** Where the next slice starts: the tree so far and its last record (not printed). */
  continuation?: Continuation;
};

/** The state a verification in slices carries from one slice to the next, in this process only. */
export type Continuation = {
  range: CompactRange;
  after: { seq: number; hash: string };
  /** Who created the proposals whose creation was read but whose last record lies in a later slice. */
  creators: Map<number, number | null>;
};

export type VerifyResult = (VerifyFacts & { ok: true }) | (VerifyFacts & { ok: false; problem: LogProblem });

export type VerifyOptions = {
  /** Public keys to check checkpoints with; by default the log's own key. */
  trustedKeys?: NoteVerifier[];
  /** Start from the newest checkpoint and read only what was added since. */
  incremental?: boolean;
  /** A head verified before (by /audit): the log must still hold it. */
  expectHead?: Head;
  /**
   * Check the seal of every record no checkpoint covers yet (needs the
   * signing key file; by default on when it is present).
   */
  checkSeals?: boolean;
  /** Return the leaf hashes read (the checkpoint job keeps them for bundle proofs). */
  collectLeaves?: boolean;
  /**
   * With incremental: the mark a verification of exactly the newest checkpoint's records left
   * (result.shownRowsMark), so the shown rows are read only from there (db/shown-rows.ts).
   */
  shownRowsSince?: ShownRowsMark;
  /**
   * With incremental: read at most this many records after the starting point, so that one run
   * holds the event loop for a bounded time; result.complete says whether the head was reached.
   */
  maxRecords?: number;
  /** With incremental: go on from a slice this process verified before, instead of the newest checkpoint. */
  continueFrom?: Continuation;
  config?: LogConfig;
};

/** The log's own public key(s): the .pub file beside the key, else the key itself. */
export function defaultTrustedKeys(config: LogConfig = logConfig()): NoteVerifier[] {
  try {
    return readVerifierKeys(publicKeyFileOf(config));
  } catch {
    try {
      return [loadSigner(config, false)];
    } catch {
      return [];
    }
  }
}

const summary = (c: StoredCheckpoint): CheckpointSummary => ({
  file: c.file,
  size: c.size,
  root: c.root.toString('base64'),
  time: c.time,
  signer: c.signedBy.map((k) => k.verifierKey).join(', '),
});

const COLUMN = Object.fromEntries(HASHED_FIELDS.map((field, i) => [field, i + 1])) as Record<(typeof HASHED_FIELDS)[number], number>;
// canonicalJson sorts keys, so the digest, when present, closes the inputs text.
const DIGEST_TAIL = '"workflowSha256":"'.length + 64 + 2;
const WORKFLOW_DIGEST = /^"workflowSha256":"([0-9a-f]{64})"\}$/;
function workflowDigestIn(inputs: string): string | undefined {
  if (inputs.length < DIGEST_TAIL || inputs.charCodeAt(inputs.length - 2) !== 34) return undefined;
  const digest = WORKFLOW_DIGEST.exec(inputs.slice(-DIGEST_TAIL))?.[1];
  // A copy, not the match: V8 keeps a substring as a view of the string it came from, so
  // the digest kept per proposal would hold that proposal's whole inputs text alive.
  return digest === undefined ? undefined : Buffer.from(digest, 'hex').toString('hex');
}

/**
 * What the verifier reads, on either database. SQLite iterates one statement (a read costs
 * nothing there); PostgreSQL reads in pages by seq, inside the caller's snapshot, so a log of
 * any size never travels as one answer and each statement stays far below its timeout.
 */
type LogReader = {
  /** [HASH_VERSION, ...HASHED_FIELDS, hash] of each record after `fromSeq` (up to `upTo`), in seq order. */
  records(fromSeq: number, upTo?: number): Iterable<unknown[]>;
  /** The highest seq the log holds (0 when empty). */
  headSeq(): number;
  /** Whether the proposal has a record after `seq`. */
  hasRecordAfter(proposalId: number, seq: number): boolean;
  record(seq: number): unknown[] | undefined;
  proposalHead(proposalId: number, upToSeq: number): { hash: string; to_state: string; at: string } | undefined;
  seals(fromSeq: number, upTo: number): Iterable<{ seq: number; proposal_id: number; hash: string; seal: string | null }>;
  proposals(): Iterable<ProposalRow>;
  proposalsById(ids: number[]): Iterable<ProposalRow>;
};

const PAGE_ROWS = 5_000;
const PROPOSAL_COLUMNS = ['id', 'state', 'workflow', 'proposer_id', 'last_changed_by'] as const;

/** Rows in pages of a keyset (seq or id), each page one statement. */
function* paged<R>(readPage: (after: number) => R[], keyOf: (row: R) => number, after: number): Generator<R> {
  for (;;) {
    const rows = readPage(after);
    yield* rows;
    if (rows.length < PAGE_ROWS) return;
    after = keyOf(rows[rows.length - 1]!);
  }
}

const hashedRow = (row: Record<string, unknown>): unknown[] => [HASH_VERSION, ...HASHED_FIELDS.map((f) => row[f]), row.hash];

function logReader(): LogReader {
  const db = database();
  if (db.kind === 'sqlite') {
    const sqlite = db.sqlite;
    const select = 'SELECT id, state, workflow, proposer_id, last_changed_by FROM proposals';
    return {
      records: (fromSeq, upTo = Number.MAX_SAFE_INTEGER) =>
        sqlite
          .prepare(`SELECT ? AS hash_version, ${HASHED_FIELDS.join(', ')}, hash FROM decision_records WHERE seq > ? AND seq <= ? ORDER BY seq`)
          .raw()
          .iterate(HASH_VERSION, fromSeq, upTo) as Iterable<unknown[]>,
      headSeq: () => (sqlite.prepare('SELECT max(seq) AS seq FROM decision_records').get() as { seq: number | null }).seq ?? 0,
      hasRecordAfter: (proposalId, seq) =>
        sqlite.prepare('SELECT 1 FROM decision_records WHERE proposal_id = ? AND seq > ? LIMIT 1').get(proposalId, seq) !== undefined,
      record: (seq) =>
        sqlite
          .prepare(`SELECT ? AS hash_version, ${HASHED_FIELDS.join(', ')}, hash FROM decision_records WHERE seq = ?`)
          .raw()
          .get(HASH_VERSION, seq) as unknown[] | undefined,
      proposalHead: (proposalId, upToSeq) =>
        sqlite
          .prepare('SELECT hash, to_state, at FROM decision_records WHERE proposal_id = ? AND seq <= ? ORDER BY seq DESC LIMIT 1')
          .get(proposalId, upToSeq) as { hash: string; to_state: string; at: string } | undefined,
      seals: (fromSeq, upTo) =>
        sqlite.prepare('SELECT seq, proposal_id, hash, seal FROM decision_records WHERE seq > ? AND seq <= ? ORDER BY seq').iterate(fromSeq, upTo) as Iterable<{
          seq: number;
          proposal_id: number;
          hash: string;
          seal: string | null;
        }>,
      // Iterated: nothing else runs on the connection while checkProposals reads them.
      proposals: () => sqlite.prepare(`${select} ORDER BY id`).iterate() as Iterable<ProposalRow>,
      proposalsById: (ids) => ids.map((id) => sqlite.prepare(`${select} WHERE id = ?`).get(id) as ProposalRow).filter(Boolean),
    };
  }
  const recordColumns = [...HASHED_FIELDS, 'hash'] as const;
  return {
    records: (fromSeq, upTo = Number.MAX_SAFE_INTEGER) =>
      paged(
        (after) =>
          all(qb().selectFrom('decision_records').select(recordColumns).where('seq', '>', after).where('seq', '<=', upTo).orderBy('seq').limit(PAGE_ROWS)).map(
            hashedRow,
          ),
        (row) => row[1 + HASHED_FIELDS.indexOf('seq')] as number,
        fromSeq,
      ),
    headSeq: () => Number(first(qb().selectFrom('decision_records').select((eb) => eb.fn.max('seq').as('seq')))?.seq ?? 0),
    hasRecordAfter: (proposalId, seq) =>
      first(qb().selectFrom('decision_records').select('seq').where('proposal_id', '=', proposalId).where('seq', '>', seq).limit(1)) !== undefined,
    record: (seq) => {
      const row = first(qb().selectFrom('decision_records').select(recordColumns).where('seq', '=', seq));
      return row ? hashedRow(row) : undefined;
    },
    proposalHead: (proposalId, upToSeq) =>
      first(
        qb()
          .selectFrom('decision_records')
          .select(['hash', 'to_state', 'at'])
          .where('proposal_id', '=', proposalId)
          .where('seq', '<=', upToSeq)
          .orderBy('seq', 'desc')
          .limit(1),
      ),
    seals: (fromSeq, upTo) =>
      paged(
        (after) =>
          all(
            qb()
              .selectFrom('decision_records')
              .select(['seq', 'proposal_id', 'hash', 'seal'])
              .where('seq', '>', after)
              .where('seq', '<=', upTo)
              .orderBy('seq')
              .limit(PAGE_ROWS),
          ),
        (row) => row.seq,
        fromSeq,
      ),
    proposals: () =>
      paged(
        (after) => all(qb().selectFrom('proposals').select(PROPOSAL_COLUMNS).where('id', '>', after).orderBy('id').limit(PAGE_ROWS)),
        (row) => row.id,
        0,
      ),
    proposalsById: (ids) =>
      ids.flatMap((id) => {
        const row = first(qb().selectFrom('proposals').select(PROPOSAL_COLUMNS).where('id', '=', id));
        return row ? [row] : [];
      }),
  };
}

/** Records after `afterSeq` that cite attached files, in seq order. */
function recordsCitingFiles(afterSeq: number): Iterable<{ seq: number; proposal_id: number; inputs: string }> {
  const db = database();
  if (db.kind === 'sqlite') {
    // In pages, not one iterator: the caller awaits the file store between rows, and an open
    // iterator would keep the connection busy for anyone else meanwhile.
    const statement = db.sqlite.prepare(
      `SELECT seq, proposal_id, inputs FROM decision_records WHERE seq > ? AND instr(inputs, '"attachments":[') > 0 ORDER BY seq LIMIT ?`,
    );
    return paged((after) => statement.all(after, PAGE_ROWS) as { seq: number; proposal_id: number; inputs: string }[], (row) => row.seq, afterSeq);
  }
  return paged(
    (after) =>
      all(
        raw(
          sql<{ seq: number; proposal_id: number; inputs: string }>`SELECT seq, proposal_id, inputs FROM decision_records
            WHERE seq > ${after} AND strpos(inputs, '"attachments":[') > 0 ORDER BY seq LIMIT ${PAGE_ROWS}`,
        ),
      ),
    (row) => row.seq,
    afterSeq,
  );
}

export function verifyLogWithCheckpoints(options: VerifyOptions = {}): VerifyResult {
  const started = performance.now();
  const config = options.config ?? logConfig();
  const trusted = options.trustedKeys ?? defaultTrustedKeys(config);
  const { checkpoints, problems } = readCheckpoints(trusted, config, { newestOnly: options.incremental === true });
  // One read transaction: records, rows and states come from one snapshot.
  const result = readSnapshot(() => scan(logReader(), config, checkpoints, options));
  const durationMs = Math.round((performance.now() - started) * 10) / 10;
  const latest = checkpoints.reduce<StoredCheckpoint | null>((a, c) => (!a || c.size >= a.size ? c : a), null);
  const { checkpointsChecked, ...rest } = result;
  const out: VerifyResult = {
    ...rest,
    durationMs,
    checkpoints: { verified: result.ok ? checkpointsChecked : 0, latest: latest ? summary(latest) : null },
  };
  if (out.ok && problems.length > 0) {
    // A file in the store that does not verify is itself a sign of tampering.
    const first = problems[0]!;
    return { ...out, ok: false, problem: { seq: 0, proposalId: 0, checkpoint: first.file, problem: first.problem } };
  }
  return out;
}

type ScanResult = (
  | (Omit<VerifyFacts, 'durationMs' | 'checkpoints'> & { ok: true })
  | (Omit<VerifyFacts, 'durationMs' | 'checkpoints'> & { ok: false; problem: LogProblem })
) & { checkpointsChecked: number };

function scan(reader: LogReader, config: LogConfig, checkpoints: StoredCheckpoint[], options: VerifyOptions): ScanResult {
  const targets = [...checkpoints].sort((a, b) => a.size - b.size);
  let range = new CompactRange();
  let checker = new ChainChecker({ contiguous: true });
  let fromSeq = 0;

  if (options.incremental && options.continueFrom) {
    // A slice this process verified moments ago: its tree and last record, as a checkpoint's would be.
    const { range: carried, after } = options.continueFrom;
    range = new CompactRange(carried.size, carried.peaks.slice());
    fromSeq = range.size;
    checker = new ChainChecker({ contiguous: true, after, proposalHead: (proposalId) => reader.proposalHead(proposalId, fromSeq) });
  } else if (options.incremental) {
    const start = incrementalStart(reader, config, targets);
    if ('problem' in start) return { ok: false, count: 0, problem: start.problem, checkpointsChecked: 0 };
    if (start.range) {
      range = start.range;
      fromSeq = range.size;
      checker = new ChainChecker({
        contiguous: true,
        after: start.after,
        proposalHead: (proposalId) => reader.proposalHead(proposalId, fromSeq),
      });
    }
  }

  // In slices (maxRecords), this run reads up to upTo; what lies beyond is the next slice's.
  const upTo = options.incremental && options.maxRecords !== undefined ? fromSeq + options.maxRecords : Number.MAX_SAFE_INTEGER;
  const complete = upTo === Number.MAX_SAFE_INTEGER || reader.headSeq() <= upTo;
  const pending = targets.filter((c) => c.size > fromSeq && (complete || c.size <= upTo));
  const expect = options.expectHead && options.expectHead.size > fromSeq ? options.expectHead : null;
  let checkedCount = targets.length - pending.length;
  let lastGood: StoredCheckpoint | null = null;
  const rows = reader.records(fromSeq, upTo);
  let lastStored: string | null = null;
  let lastLeaf: Buffer | null = null;
  let peaksBefore: Buffer[] = [];
  let leaves: Buffer | null = options.collectLeaves ? Buffer.alloc(32 * 1024) : null;
  let leafCount = 0;
  // Per proposal only what checkProposals compares, never the record itself (its inputs and
  // rationale would make the memory grow with the whole log).
  const lastOfProposal = new Map<number, LastRecord>();
  const workflowDigest = new Map<number, string>();
  const creator = new Map<number, number | null>(options.incremental ? options.continueFrom?.creators : undefined);
  const checkRoot = (): LogProblem | null => {
    const size = range.size;
    if (pending.length === 0 && !(expect && expect.size === size)) return null;
    if (pending[0]?.size !== size && expect?.size !== size) return null;
    const root = range.root();
    while (pending.length > 0 && pending[0]!.size === size) {
      const c = pending.shift()!;
      if (!root.equals(c.root)) return divergence(c, lastGood);
      checkedCount++;
      lastGood = c;
    }
    if (expect && expect.size === size && root.toString('base64') !== expect.root) {
      return {
        seq: size,
        proposalId: 0,
        problem: `the first ${size} records differ from the log verified before (records were rewritten, inserted or removed, or the database was replaced)`,
      };
    }
    return null;
  };

  for (const row of rows) {
    const stored = row.pop() as string;
    const text = JSON.stringify(row);
    const proposalId = row[COLUMN.proposal_id] as number;
    const seq = row[COLUMN.seq] as number;
    const computed = hashOfText(text);
    const problem = checker.checkHashed(
      seq,
      proposalId,
      row[COLUMN.prev_hash] as string,
      row[COLUMN.proposal_prev_hash] as string | null,
      stored,
      computed,
      { from_state: row[COLUMN.from_state] as string | null, to_state: row[COLUMN.to_state] as string, at: row[COLUMN.at] as string },
    );
    if (problem) return { ok: false, count: checker.count, problem, checkpointsChecked: checkedCount };
    lastLeaf = recordLeaf(computed);
    lastStored = stored;
    if (leaves) {
      if ((leafCount + 1) * 32 > leaves.length) {
        const grown = Buffer.alloc(Math.max(32 * 1024, leaves.length * 2));
        leaves.copy(grown);
        leaves = grown;
      }
      lastLeaf.copy(leaves, leafCount * 32);
      leafCount++;
    }
    peaksBefore = range.peaks.slice();
    range.append(lastLeaf);
    const rootProblem = checkRoot();
    if (rootProblem) return { ok: false, count: checker.count, problem: rootProblem, checkpointsChecked: checkedCount };
    lastOfProposal.set(proposalId, { seq, toState: row[COLUMN.to_state] as string });
    const digest = workflowDigestIn(row[COLUMN.inputs] as string);
    if (digest) workflowDigest.set(proposalId, digest);
    if (row[COLUMN.from_state] === null) creator.set(proposalId, row[COLUMN.actor_id] as number | null);
  }
  const count = checker.count;
  const head: Head = { size: range.size, root: range.root().toString('base64') };
  if (range.size === 0 && pending.length === 0) {
    const rootProblem = checkRoot();
    if (rootProblem) return { ok: false, count, head, problem: rootProblem, checkpointsChecked: checkedCount };
  }
  if (pending.length > 0) {
    const c = pending[pending.length - 1]!;
    return {
      ok: false,
      count,
      head,
      checkpointsChecked: checkedCount,
      problem: {
        seq: range.size + 1,
        proposalId: 0,
        checkpoint: c.file,
        problem: `the log holds ${range.size} records but checkpoint ${c.file} signed ${c.size}${c.time ? ` on ${c.time}` : ''}: records were removed`,
      },
    };
  }
  if (expect && expect.size > range.size) {
    return {
      ok: false,
      count,
      head,
      checkpointsChecked: checkedCount,
      problem: { seq: range.size + 1, proposalId: 0, problem: `the log holds ${range.size} records but ${expect.size} were verified before: records were removed` },
    };
  }

  const sealFrom = Math.max(fromSeq, targets.length > 0 ? targets[targets.length - 1]!.size : 0);
  const checkSeals = options.checkSeals ?? fs.existsSync(config.signingKeyFile);
  if (checkSeals && sealFrom < range.size) {
    const key = sealKey(config);
    for (const r of reader.seals(sealFrom, range.size)) {
      if (r.seal !== sealOf(key, r.hash)) {
        return {
          ok: false,
          count,
          head,
          checkpointsChecked: checkedCount,
          problem: {
            seq: r.seq,
            proposalId: r.proposal_id,
            problem: 'it carries no valid seal: Cosponsor did not write it (it was inserted into the database file directly)',
          },
        };
      }
    }
  }

  // A proposal with records past the slice is checked in the slice that holds its last record.
  const deferredCreators = new Map<number, number | null>();
  if (!complete) {
    for (const id of [...lastOfProposal.keys()]) {
      if (!reader.hasRecordAfter(id, range.size)) continue;
      lastOfProposal.delete(id);
      if (creator.has(id)) deferredCreators.set(id, creator.get(id)!);
    }
  }
  const stateProblem = checkProposals(reader, lastOfProposal, workflowDigest, creator, fromSeq > 0);
  if (stateProblem) return { ok: false, count, head, problem: stateProblem, checkpointsChecked: checkedCount };
  // Read before the check, in the same snapshot: every item up to it is then verified.
  const mark = shownRowsMark(range.size);
  const shown = checkShownRows(fromSeq, options.incremental ? options.shownRowsSince : undefined, range.size, complete ? null : range.size);
  if (shown) return { ok: false, count, head, problem: shown, checkpointsChecked: checkedCount };
  // The state at the head: the range before the last leaf, and that leaf.
  const tree =
    lastLeaf !== null
      ? treeStateOf(new CompactRange(range.size - 1, peaksBefore), lastLeaf)
      : fromSeq > 0
        ? undefined
        : treeStateOf(new CompactRange(), null);
  return {
    ok: true,
    count,
    head,
    checkpointsChecked: checkedCount,
    ...(tree ? { tree } : {}),
    ...(leaves ? { leaves: { from: fromSeq, data: leaves.subarray(0, leafCount * 32) } } : {}),
    ...(options.incremental && fromSeq > 0 ? { incrementalFrom: fromSeq } : {}),
    shownRowsMark: mark,
    complete,
    ...(lastStored !== null ? { continuation: { range, after: { seq: range.size, hash: lastStored }, creators: deferredCreators } } : {}),
  };
}

function divergence(c: StoredCheckpoint, lastGood: StoredCheckpoint | null): LogProblem {
  const where = lastGood ? `records ${lastGood.size + 1} to ${c.size}` : `the first ${c.size} records`;
  return {
    seq: lastGood ? lastGood.size + 1 : 1,
    proposalId: 0,
    checkpoint: c.file,
    problem: `${where} are not the ones checkpoint ${c.file} signed${c.time ? ` on ${c.time}` : ''} (records were rewritten, inserted or removed, or the database was replaced)`,
  };
}

/**
 * Where an incremental verification starts: the newest checkpoint whose
 * stored tree state matches its signed root, and the last record it signed,
 * re-read from the database and matched against the signed leaf.
 */
function incrementalStart(
  reader: LogReader,
  config: LogConfig,
  targets: StoredCheckpoint[],
): { range: CompactRange | null; after?: { seq: number; hash: string } } | { problem: LogProblem } {
  for (let i = targets.length - 1; i >= 0; i--) {
    const c = targets[i]!;
    const state = readTreeState(config, c.file);
    const authentic = state && authenticateTreeState(state, c);
    if (!authentic || !authentic.lastLeaf) continue;
    const row = reader.record(c.size);
    const stored = row?.pop() as string | undefined;
    const computed = row ? hashOfText(JSON.stringify(row)) : '';
    if (!row || computed !== stored || !recordLeaf(computed).equals(authentic.lastLeaf)) {
      return {
        problem: {
          seq: c.size,
          proposalId: (row?.[COLUMN.proposal_id] as number) ?? 0,
          checkpoint: c.file,
          problem: `record ${c.size} is not the one checkpoint ${c.file} signed as the last (the log was rewritten or shortened)`,
        },
      };
    }
    return { range: authentic.range, after: { seq: c.size, hash: stored! } };
  }
  return { range: null };
}

/** A proposal's last record: its seq and the state it moved the proposal to. */
type LastRecord = { seq: number; toState: string };

type ProposalRow = { id: number; state: string; workflow: string; proposer_id: number; last_changed_by: number | null };

function checkProposals(
  reader: LogReader,
  lastOfProposal: Map<number, LastRecord>,
  workflowDigest: Map<number, string>,
  creator: Map<number, number | null>,
  onlySeen: boolean,
): LogProblem | null {
  const proposals: Iterable<ProposalRow> = onlySeen ? reader.proposalsById([...lastOfProposal.keys()]) : reader.proposals();
  for (const proposal of proposals) {
    const last = lastOfProposal.get(proposal.id);
    if (!last) return { seq: 0, proposalId: proposal.id, problem: 'the proposal has no decision record at all' };
    const { toState, seq } = last;
    if (toState !== proposal.state) {
      return { seq, proposalId: proposal.id, problem: `the proposal is in state "${proposal.state}" but its last record moved it to "${toState}"` };
    }
    const digest = workflowDigest.get(proposal.id);
    // Records written before the digest existed carry none: nothing to compare.
    if (digest !== undefined && digest !== hashOfText(proposal.workflow)) {
      return {
        seq,
        proposalId: proposal.id,
        problem: "the proposal's workflow snapshot (its proposer, last changer and step state) is not the one its records hold",
      };
    }
    let context: { proposerId?: unknown; lastChangedById?: unknown } = {};
    try {
      context = (JSON.parse(proposal.workflow) as { context?: typeof context }).context ?? {};
    } catch {
      return { seq, proposalId: proposal.id, problem: "the proposal's workflow snapshot is not readable" };
    }
    const createdBy = creator.get(proposal.id);
    if ((createdBy !== undefined && proposal.proposer_id !== createdBy) || context.proposerId !== proposal.proposer_id) {
      return { seq, proposalId: proposal.id, problem: 'the proposer shown is not the person whose record created the proposal' };
    }
  }
  return null;
}

/**
 * Every file a record cites as evidence (records after `afterSeq`) must still be in the
 * store and hash to the SHA-256 the record holds: the file is still the one judged. Async
 * (it reads the files), so it runs after the log itself verified; each file is read once.
 */
export async function verifyAttachedFiles(options: { store?: FileStore; afterSeq?: number } = {}): Promise<{ files: number; problem: LogProblem | null }> {
  const store = options.store ?? attachmentStore();
  const rows = recordsCitingFiles(options.afterSeq ?? 0);
  const checked = new Map<string, 'ok' | 'missing' | 'changed'>();
  for (const row of rows) {
    let inputs: unknown;
    try {
      inputs = JSON.parse(row.inputs);
    } catch {
      continue; // the chain check has already vouched for the text; nothing here to read
    }
    for (const { ref, path } of attachmentsIn(inputs)) {
      let verdict = checked.get(ref.sha256);
      if (!verdict) {
        const hash = await store.hashOf(ref.sha256);
        verdict = hash === null ? 'missing' : hash === ref.sha256 ? 'ok' : 'changed';
        checked.set(ref.sha256, verdict);
      }
      if (verdict === 'ok') continue;
      const where = path.length > 0 ? ` (cited for ${path.join('.')})` : '';
      const what = `the attached file “${ref.name}”${where}, SHA-256 ${ref.sha256}`;
      return {
        files: [...checked.values()].filter((v) => v === 'ok').length,
        problem: {
          seq: row.seq,
          proposalId: row.proposal_id,
          problem:
            verdict === 'missing'
              ? `${what}, is missing from the file store`
              : `${what}, no longer hashes to the recorded value: the file was changed after it was judged`,
        },
      };
    }
  }
  return { files: checked.size, problem: null };
}

export function formatVerifyResult(result: VerifyResult): string {
  if (result.ok) {
    const c = result.checkpoints;
    const anchored = c && c.verified > 0 ? `, consistent with ${c.verified} signed checkpoint${c.verified === 1 ? '' : 's'}` : '';
    const since = result.incrementalFrom !== undefined ? ` (records after ${result.incrementalFrom} read)` : '';
    const files = result.files ? `, ${result.files} attached file${result.files === 1 ? '' : 's'} intact` : '';
    return `OK ${result.count} records${anchored}${files}${since}`;
  }
  const p = result.problem;
  if (p.checkpoint && p.seq === 0) return `BROKEN at checkpoint ${p.checkpoint}: ${p.problem}`;
  if (p.proposalId === 0) return `BROKEN at record ${p.seq}: ${p.problem}`;
  return `BROKEN at record ${p.seq} (proposal ${p.proposalId}): ${p.problem}`;
}
