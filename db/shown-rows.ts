import { sql, type RawBuilder } from 'kysely';
import { normalizePartnerName } from '../workflows/partner-names';
import { canonicalJson } from './record-hash';
import type { ChainProblem } from './record-hash';
import type { AgendaItem, RiskItem } from './schema';
import { all, first, raw } from './connection';

// What the pages, the MOU print and the .docx show of a decided step lives in
// ordinary tables (step_submissions, agenda_items, risk_items, mou_versions);
// the record of the decision holds a snapshot of the same content in its
// hashed inputs. Each row is checked against that snapshot, so a row edited in
// the file is found and named even though its table has no hash of its own.

type SubmissionRow = {
  id: number;
  proposal_id: number;
  step: string;
  data: string;
  result: string;
  outcome: string;
  config_versions: string;
  submitted_by: number;
  submitted_at: string;
  decision_seq: number;
  r_seq: number | null;
  r_proposal_id: number | null;
  r_inputs: string | null;
  r_actor_id: number | null;
  r_at: string | null;
  r_config_versions: string | null;
};

type Snapshot = {
  command?: { type?: string; input?: { items?: unknown[] }; reason?: string; itemId?: number; classification?: string; positionKey?: string | null };
  judged?: { result?: { outcome?: string; items?: Record<string, unknown>[] }; mouVersion?: number; sections?: unknown; removedConditions?: unknown };
};

const STEP_OF_COMMAND: Record<string, string> = {
  SUBMIT_VALUES: 'values',
  SUBMIT_AGENDA: 'agenda',
  SUBMIT_RISK: 'risk',
  SUBMIT_PERCEPTION: 'perception',
  SUBMIT_MOU: 'mou',
  MOU_NOT_NEEDED: 'mou',
};

const same = (storedJson: string, expected: unknown): boolean => {
  try {
    return canonicalJson(JSON.parse(storedJson)) === canonicalJson(expected);
  } catch {
    return false;
  }
};

/** What a submission row must hold, given the record of its decision. */
function expectedSubmission(snapshot: Snapshot): { step: string; data: unknown; result: unknown; outcome: unknown } | null {
  const type = snapshot.command?.type ?? '';
  const step = STEP_OF_COMMAND[type];
  if (!step) return null;
  if (type === 'SUBMIT_MOU') {
    const v = { mouVersion: snapshot.judged?.mouVersion };
    return { step, data: v, result: v, outcome: 'drafted' };
  }
  if (type === 'MOU_NOT_NEEDED') {
    return { step, data: { notNeeded: snapshot.command?.reason }, result: { notNeeded: true }, outcome: 'mou_not_needed' };
  }
  return { step, data: snapshot.command?.input, result: snapshot.judged?.result, outcome: snapshot.judged?.result?.outcome };
}

/**
 * Proposals per batch: each batch's submissions, items and records are read for that range of
 * proposal ids only and dropped before the next, so the memory the check takes is bounded by a
 * batch, not by the log (a register of 200,000 proposals once exhausted a 4 GB heap). Larger
 * batches scan the item tables (whose proposal index covers current items only) fewer times.
 */
export const PROPOSALS_PER_BATCH = 2_000;

/** A range of ids (of proposals, or of a table's rows), (after, upTo]; null leaves that end open. */
type IdRange = { after: number | null; upTo: number | null };

/** The condition that `column` lies in the range (both ends open: every row). */
function inRange(column: string, range: IdRange) {
  const ref = sql.ref(column);
  return sql`${range.after === null ? sql`1 = 1` : sql`${ref} > ${range.after}`} AND ${range.upTo === null ? sql`1 = 1` : sql`${ref} <= ${range.upTo}`}`;
}

/**
 * Consecutive ranges of a table's ids covering every id, each holding at most `perRange` of its
 * rows; the ends are open, so rows citing a proposal that does not exist are checked too. Each
 * bound is read when the range is asked for, in the snapshot the caller then holds.
 */
function* idRanges(table: 'proposals' | 'agenda_items' | 'risk_items', perRange: number): Generator<IdRange> {
  let after: number | null = null;
  for (;;) {
    const bound: { id: number } | undefined = first(
      raw(
        sql<{ id: number }>`SELECT id FROM ${sql.table(table)} WHERE ${after === null ? sql`1 = 1` : sql`id > ${after}`}
          ORDER BY id LIMIT 1 OFFSET ${perRange - 1}`,
      ),
    );
    const upTo: number | null = bound?.id ?? null;
    yield { after, upTo };
    if (upTo === null) return;
    after = upTo;
  }
}

/**
 * The highest agenda and risk item ids a verification of the log's first `size` records found
 * consistent (read in its snapshot). The next incremental check from that size reads only the
 * items above them, and those of the submissions decided since: the items are written in the
 * transaction of their submission's record, so any item the database holds beyond the mark came
 * after that verification.
 */
export type ShownRowsMark = { size: number; agendaItemId: number; riskItemId: number; partnerLinkId: number };

/** The mark for a verification of `size` records, read in the caller's snapshot. */
export function shownRowsMark(size: number): ShownRowsMark {
  const top = (table: 'agenda_items' | 'risk_items' | 'partner_links') =>
    Number(first(raw(sql<{ id: number | null }>`SELECT max(id) AS id FROM ${sql.table(table)}`))?.id ?? 0);
  return { size, agendaItemId: top('agenda_items'), riskItemId: top('risk_items'), partnerLinkId: top('partner_links') };
}

/**
 * The first row shown on a page that differs from its record, for decisions after fromSeq.
 * With `since`, a mark left by a verification of exactly fromSeq records, only what was written
 * after it is read: the submissions decided since (by decision_seq), their items, the items above
 * the mark, and the item rows of the proposals those submissions changed (their `current`). Rows
 * of older decisions edited in place are left to the full verification, as are older records.
 */
export function checkShownRows(fromSeq: number, since?: ShownRowsMark, headSize = fromSeq, upTo: number | null = null): ChainProblem | null {
  if (since && fromSeq > 0 && since.size === fromSeq) return checkNewShownRows(fromSeq, headSize, since, upTo);
  for (const problem of shownRowsInSteps(fromSeq)) if (problem) return problem;
  return null;
}

/** How much of the tables one step of the whole check reads: proposals per range, and items or partner links. */
export type ShownRowsStep = { proposals: number; rows: number };

export const SHOWN_ROWS_STEP: ShownRowsStep = { proposals: PROPOSALS_PER_BATCH, rows: 2_000 };

/**
 * The whole check (no mark), one bounded step per value: a range of proposals' submissions and
 * items, a range of item ids (orphans, then `current` flags), a page of partner links. Each step
 * reads in the snapshot the caller holds when it asks for it, so the checkpoint job's first run
 * can read each in its own and free the event loop between them: a row written meanwhile was
 * written with its record, and the last range of each table is open-ended, so every row there at
 * the start is read in one step or another.
 */
export function* shownRowsInSteps(fromSeq: number, size: ShownRowsStep = SHOWN_ROWS_STEP): Generator<ChainProblem | null> {
  for (const range of idRanges('proposals', size.proposals)) yield checkSubmissions(fromSeq, range);
  // Items in the ranges skipped for want of submissions may still belong to none.
  for (const range of idRanges('agenda_items', size.rows)) {
    const orphan = firstOrphan('agenda_items', fromSeq, range);
    yield orphan ? orphanAgendaItem(orphan) : null;
  }
  for (const range of idRanges('risk_items', size.rows)) {
    const orphan = firstOrphan('risk_items', fromSeq, range);
    yield orphan ? orphanRiskItem(orphan) : null;
  }
  for (const table of ['agenda_items', 'risk_items'] as const) {
    for (const range of idRanges(table, size.rows)) yield checkCurrentRows(table, { ids: range });
  }
  yield* partnerAnswerPages(fromSeq, size.rows);
}

/**
 * The submissions decided after fromSeq, through the decision_seq index: a page per span of
 * record numbers, ordered by the index itself (ordered by id, SQLite's planner preferred
 * reading the whole table in id order). The last page is open-ended, so a row citing a record
 * beyond the head is read too.
 */
function checkNewSubmissions(fromSeq: number, headSize: number, bounded: boolean, snapshots: Snapshots): ChainProblem | null {
  for (let after = fromSeq; ; after += SEQS_PER_PAGE) {
    const last = after + SEQS_PER_PAGE >= headSize;
    const submissions = all(
      raw(
        sql<SubmissionRow>`SELECT s.*, r.seq AS r_seq, r.proposal_id AS r_proposal_id, r.inputs AS r_inputs, r.actor_id AS r_actor_id, r.at AS r_at,
                r.config_versions AS r_config_versions
           FROM step_submissions s
           LEFT JOIN decision_records r ON r.seq = s.decision_seq
          WHERE s.decision_seq > ${after} AND ${last && !bounded ? sql`1 = 1` : sql`s.decision_seq <= ${Math.min(after + SEQS_PER_PAGE, headSize)}`}
          ORDER BY s.decision_seq, s.id`,
      ),
    );
    for (const s of submissions) {
      const problem = checkSubmission(s, snapshots);
      if (problem) return problem;
    }
    if (last) return null;
  }
}

/** Records per page of new submissions: a record decides at most one submission. */
const SEQS_PER_PAGE = 1_000;

/** Which rows of a table a check reads, as the item `t`: FROM and WHERE. */
type ItemRows = { from: RawBuilder<unknown>; where: RawBuilder<unknown> };

/**
 * The rows of `table` with the ids `ids` selects, each once. Joined from the ids, not filtered
 * by `t.id IN (...)`: with a LIMIT or an ORDER BY id, PostgreSQL then read the table in id order
 * and tested each row against the list, i.e. read it whole when nothing was wrong.
 */
function rowsWithIds(table: 'agenda_items' | 'risk_items' | 'partner_links', alias: string, ids: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`(SELECT DISTINCT id FROM (${ids}) listed) picked JOIN ${sql.table(table)} ${sql.id(alias)} ON ${sql.ref(`${alias}.id`)} = picked.id`;
}

/** Items of a table that an incremental check reads: those of new submissions, and any above the mark. */
function newItems(table: 'agenda_items' | 'risk_items', fromSeq: number, aboveId: number): ItemRows {
  return {
    from: rowsWithIds(
      table,
      't',
      sql`SELECT id FROM ${sql.table(table)} WHERE submission_id IN (SELECT id FROM step_submissions WHERE decision_seq > ${fromSeq})
          UNION ALL SELECT id FROM ${sql.table(table)} WHERE id > ${aboveId}`,
    ),
    where: sql`1 = 1`,
  };
}

/**
 * With `upTo` (a slice of the log, not its head), the submissions decided after it and their
 * items are left to the slice that reads their records.
 */
function checkNewShownRows(fromSeq: number, headSize: number, since: ShownRowsMark, upTo: number | null): ChainProblem | null {
  const snapshots: Snapshots = new Map();
  const problem = checkNewSubmissions(fromSeq, upTo ?? headSize, upTo !== null, snapshots);
  if (problem) return problem;
  return (
    checkAgendaItems(fromSeq, newItems('agenda_items', fromSeq, since.agendaItemId), snapshots, upTo) ??
    checkRiskItems(fromSeq, newItems('risk_items', fromSeq, since.riskItemId), snapshots, upTo) ??
    checkCurrentRows('agenda_items', { fromSeq, since }) ??
    checkCurrentRows('risk_items', { fromSeq, since }) ??
    checkNewPartnerAnswers(fromSeq, since)
  );
}

type Orphan = { id: number; proposal_id: number };
const orphanAgendaItem = (item: Orphan): ChainProblem => ({
  seq: 0,
  proposalId: item.proposal_id,
  problem: `agenda item ${item.id} belongs to no submitted agenda of this proposal`,
});
const orphanRiskItem = (item: Orphan): ChainProblem => ({
  seq: 0,
  proposalId: item.proposal_id,
  problem: `risk item ${item.id} belongs to no submitted risk register of this proposal`,
});

const lateItem = (step: 'agenda' | 'risk', item: Orphan & { submission_id: number }): ChainProblem => ({
  seq: 0,
  proposalId: item.proposal_id,
  problem: `${step} item ${item.id} was added to submission ${item.submission_id} after the log holding that submission was verified`,
});

/** The first item of a range of ids (in the order rowsBySubmission reads them) that belongs to no submission of its proposal. */
function firstOrphan(table: 'agenda_items' | 'risk_items', fromSeq: number, ids: IdRange): Orphan | undefined {
  return first(
    raw(
      sql<Orphan>`SELECT t.id, t.proposal_id FROM ${sql.table(table)} t LEFT JOIN step_submissions s ON s.id = t.submission_id
        WHERE ${inRange('t.id', ids)} AND (s.id IS NULL OR (s.decision_seq > ${fromSeq} AND s.proposal_id != t.proposal_id))
        ORDER BY t.submission_id, t.position, t.id LIMIT 1`,
    ),
  );
}

/** What the item checks need of a submission, once its row matched its record. */
type CheckedSubmission = { step: string; decisionSeq: number; configVersions: string | null; snapshot: Snapshot };

/** The submissions of the proposals in `range`, then their agenda and risk items. */
function checkSubmissions(fromSeq: number, range: IdRange): ChainProblem | null {
  const snapshots: Snapshots = new Map();
  // In pages by id: a page's rows carry their records' whole inputs, which only the trimmed
  // snapshots outlive. The page is chosen before the join, so each record is read once.
  // The same SQL on both databases, through the query helpers (on the caller's snapshot).
  const page = (afterId: number | null): SubmissionRow[] =>
    all(
      raw(
        sql<SubmissionRow>`SELECT s.*, r.seq AS r_seq, r.proposal_id AS r_proposal_id, r.inputs AS r_inputs, r.actor_id AS r_actor_id, r.at AS r_at,
                r.config_versions AS r_config_versions
           FROM (SELECT * FROM step_submissions
                  WHERE ${inRange('proposal_id', range)} AND decision_seq > ${fromSeq} AND ${afterId === null ? sql`1 = 1` : sql`id > ${afterId}`}
                  ORDER BY id LIMIT ${SUBMISSIONS_PER_PAGE}) s
           LEFT JOIN decision_records r ON r.seq = s.decision_seq
          ORDER BY s.id`,
      ),
    );
  const problem = checkSubmissionPages(page, snapshots);
  if (problem) return problem;
  // A range without submissions to check (most of them, after a recent checkpoint) has no
  // items to compare either: its items are only read for orphans, once for every range.
  if (snapshots.size === 0) return null;
  const inProposals = (table: 'agenda_items' | 'risk_items'): ItemRows => ({
    from: sql`${sql.table(table)} t`,
    where: sql`${inRange('t.proposal_id', range)} AND (s.id IS NULL OR s.decision_seq > ${fromSeq})`,
  });
  return checkAgendaItems(fromSeq, inProposals('agenda_items'), snapshots) ?? checkRiskItems(fromSeq, inProposals('risk_items'), snapshots);
}

/** Each submission of each page (read by id after the previous page's last) against its record. */
function checkSubmissionPages(page: (afterId: number | null) => SubmissionRow[], snapshots: Snapshots): ChainProblem | null {
  for (let afterId: number | null = null; ; ) {
    const submissions = page(afterId);
    for (const s of submissions) {
      const problem = checkSubmission(s, snapshots);
      if (problem) return problem;
    }
    if (submissions.length < SUBMISSIONS_PER_PAGE) return null;
    afterId = submissions[submissions.length - 1]!.id;
  }
}

const SUBMISSIONS_PER_PAGE = 1_000;

/** A submission row against the record of its decision; what its items need is kept in `snapshots`. */
function checkSubmission(s: SubmissionRow, snapshots: Snapshots): ChainProblem | null {
  const named = (what: string): ChainProblem => ({
    seq: s.decision_seq,
    proposalId: s.proposal_id,
    problem: `the ${s.step} step shown on the proposal (submission ${s.id}) ${what}`,
  });
  if (s.r_seq === null || s.r_proposal_id !== s.proposal_id) return named('has no record of its decision');
  let snapshot: Snapshot;
  try {
    snapshot = JSON.parse(s.r_inputs!) as Snapshot;
  } catch {
    return named('cites a record whose inputs are not readable');
  }
  const expected = expectedSubmission(snapshot);
  if (!expected || expected.step !== s.step) return named(`cites record ${s.decision_seq}, which is not the submission of that step`);
  const differs: string[] = [];
  if (!same(s.data, expected.data)) differs.push('the answers');
  if (!same(s.result, expected.result)) differs.push('the result');
  if (s.outcome !== expected.outcome) differs.push('the outcome');
  if (s.config_versions !== s.r_config_versions) differs.push('the configuration versions');
  if (s.submitted_by !== s.r_actor_id) differs.push('who submitted it');
  if (s.submitted_at !== s.r_at) differs.push('when');
  if (differs.length > 0) return named(`differs from what record ${s.decision_seq} holds (${differs.join(', ')})`);
  // Only the items' steps are looked at again, and only for their items.
  const kept: Snapshot =
    s.step === 'agenda'
      ? { command: { input: { items: snapshot.command?.input?.items } } }
      : s.step === 'risk'
        ? { judged: { result: { items: snapshot.judged?.result?.items } } }
        : {};
  snapshots.set(s.id, { step: s.step, decisionSeq: s.decision_seq, configVersions: s.r_config_versions, snapshot: kept });
  if (snapshot.command?.type === 'SUBMIT_MOU') {
    const mou = first(
      raw(
        sql<{ sections: string; removed_conditions: string }>`SELECT sections, removed_conditions FROM mou_versions
          WHERE proposal_id = ${s.proposal_id} AND version = ${snapshot.judged?.mouVersion ?? null}`,
      ),
    );
    if (!mou) return named(`cites MOU version ${snapshot.judged?.mouVersion}, which is missing`);
    if (!same(mou.sections, snapshot.judged?.sections) || !same(mou.removed_conditions, snapshot.judged?.removedConditions ?? [])) {
      return {
        seq: s.decision_seq,
        proposalId: s.proposal_id,
        problem: `the text of MOU version ${snapshot.judged?.mouVersion} differs from what record ${s.decision_seq} holds`,
      };
    }
  }
  return null;
}

type AgendaRow = Omit<AgendaItem, 'current'>;

type Snapshots = Map<number, CheckedSubmission>;

/**
 * The items `scope` (a condition over the item `t` and its submission `s`) selects, by submission.
 * An item whose submission is missing or of another proposal is an orphan; so is one whose
 * submission was decided at or before fromSeq although the item is read as new (an incremental
 * check reads such an item only because it lies above the last mark: it came later than its
 * submission's transaction, so it was not written by Cosponsor).
 */
function rowsBySubmission<T extends { submission_id: number; proposal_id: number; id: number }>(
  table: 'agenda_items' | 'risk_items',
  fromSeq: number,
  scope: ItemRows,
  upTo: number | null = null,
): { groups: Map<number, T[]>; orphan: T | undefined; late: boolean } {
  const rows = all(
    raw(
      sql<T & { s_id: number | null; s_proposal_id: number | null; s_seq: number | null }>`SELECT t.*, s.id AS s_id, s.proposal_id AS s_proposal_id, s.decision_seq AS s_seq
         FROM ${scope.from}
         LEFT JOIN step_submissions s ON s.id = t.submission_id
        WHERE ${scope.where} ORDER BY t.submission_id, t.position, t.id`,
    ),
  );
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    if (row.s_id === null || row.s_proposal_id !== row.proposal_id) return { groups, orphan: row, late: false };
    if (row.s_seq === null || row.s_seq <= fromSeq) return { groups, orphan: row, late: true };
    // Decided after the slice: checked with its submission in a later one.
    if (upTo !== null && row.s_seq > upTo) continue;
    const list = groups.get(row.submission_id) ?? [];
    list.push(row);
    groups.set(row.submission_id, list);
  }
  return { groups, orphan: undefined, late: false };
}

function checkAgendaItems(fromSeq: number, scope: ItemRows, snapshots: Snapshots, upTo: number | null = null): ChainProblem | null {
  const { groups, orphan, late } = rowsBySubmission<AgendaRow>('agenda_items', fromSeq, scope, upTo);
  if (orphan) return late ? lateItem('agenda', orphan) : orphanAgendaItem(orphan);
  const classifyRecords = (proposalId: number, afterSeq: number) =>
    all(
      raw(
        sql<{ seq: number; inputs: string; actor_id: number | null; at: string; config_versions: string }>`SELECT seq, inputs, actor_id, at, config_versions
          FROM decision_records WHERE proposal_id = ${proposalId} AND seq > ${afterSeq} ORDER BY seq`,
      ),
    );
  for (const [submissionId, rows] of groups) {
    const entry = snapshots.get(submissionId);
    const seq = entry?.decisionSeq ?? 0;
    const proposalId = rows[0]!.proposal_id;
    const items = (entry?.snapshot.command?.input?.items ?? []) as { text: string; scope: string; classification: string; positionKey?: string | null }[];
    const named = (what: string): ChainProblem => ({ seq, proposalId, problem: `the agenda shown on the proposal ${what}` });
    if (!entry || entry.step !== 'agenda') return named(`cites submission ${submissionId}, which is not an agenda submission`);
    if (rows.length !== items.length) return named(`has ${rows.length} items but record ${seq} holds ${items.length}`);
    const positionsVersion = JSON.parse(entry.configVersions ?? '{}').positions as number;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const item = items[i]!;
      if (row.position !== i || row.text !== item.text || row.normalized_text !== normalizePartnerName(item.text) || row.scope !== item.scope) {
        return named(`has item ${row.id} ("${row.text}") where record ${seq} holds "${item.text}"`);
      }
      let expected = { classification: item.classification, position_key: item.positionKey ?? null, positions_version: positionsVersion, classified_by: null as number | null, classified_at: null as string | null };
      let by = seq;
      const matches = () =>
        row.classification === expected.classification &&
        row.position_key === expected.position_key &&
        row.positions_version === expected.positions_version &&
        row.classified_by === expected.classified_by &&
        row.classified_at === expected.classified_at;
      if (!matches()) {
        // Staff may have classified the item since: the last such record rules.
        for (const r of classifyRecords(proposalId, seq)) {
          if (!r.inputs.includes('"CLASSIFY_AGENDA_ITEM"')) continue;
          const command = (JSON.parse(r.inputs) as Snapshot).command;
          if (command?.type !== 'CLASSIFY_AGENDA_ITEM' || command.itemId !== row.id) continue;
          expected = {
            classification: command.classification!,
            position_key: command.positionKey ?? null,
            positions_version: JSON.parse(r.config_versions).positions as number,
            classified_by: r.actor_id,
            classified_at: r.at,
          };
          by = r.seq;
        }
        if (!matches()) return named(`classifies item ${row.id} ("${row.text}") otherwise than record ${by} says`);
      }
    }
  }
  return null;
}

// The rows as stored; `current` is not part of what a record judged.
type RiskRow = Omit<RiskItem, 'current'>;

const RISK_FIELDS: [keyof RiskRow, string][] = [
  ['kind', 'kind'],
  ['category', 'category'],
  ['description', 'description'],
  ['likelihood', 'likelihood'],
  ['impact', 'impact'],
  ['mitigation', 'mitigation'],
  ['residual_likelihood', 'residualLikelihood'],
  ['residual_impact', 'residualImpact'],
  ['score', 'score'],
  ['band', 'band'],
  ['residual_score', 'residualScore'],
  ['residual_band', 'residualBand'],
];

function checkRiskItems(fromSeq: number, scope: ItemRows, snapshots: Snapshots, upTo: number | null = null): ChainProblem | null {
  const { groups, orphan, late } = rowsBySubmission<RiskRow>('risk_items', fromSeq, scope, upTo);
  if (orphan) return late ? lateItem('risk', orphan) : orphanRiskItem(orphan);
  for (const [submissionId, rows] of groups) {
    const entry = snapshots.get(submissionId);
    const seq = entry?.decisionSeq ?? 0;
    const proposalId = rows[0]!.proposal_id;
    const named = (what: string): ChainProblem => ({ seq, proposalId, problem: `the risk register shown on the proposal ${what}` });
    if (!entry || entry.step !== 'risk') return named(`cites submission ${submissionId}, which is not a risk submission`);
    const items = entry.snapshot.judged?.result?.items ?? [];
    if (rows.length !== items.length) return named(`has ${rows.length} items but record ${seq} holds ${items.length}`);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const item = items[i]!;
      const wrong = RISK_FIELDS.find(([column, key]) => row[column] !== (item[key] ?? null));
      if (row.position !== i || wrong) return named(`has item ${row.id} ("${row.description}") differing from record ${seq} (${wrong?.[0] ?? 'position'})`);
    }
  }
  return null;
}

/**
 * The items a page shows are those of the proposal's latest submission of the step, and only those.
 * Whole check (`ids`): the items of a range of ids. Incremental (`fromSeq`, `since`): the items of
 * the proposals with a submission of the step after fromSeq (a new submission turns their earlier
 * items off) and the items above the mark.
 */
function checkCurrentRows(
  table: 'agenda_items' | 'risk_items',
  only: { ids: IdRange } | { fromSeq: number; since: ShownRowsMark },
): ChainProblem | null {
  const step = table === 'agenda_items' ? 'agenda' : 'risk';
  const incremental = 'since' in only;
  const from = !incremental
    ? sql`${sql.table(table)} t`
    : rowsWithIds(
        table,
        't',
        sql`SELECT id FROM ${sql.table(table)} WHERE submission_id IN (SELECT c.id FROM step_submissions c
             WHERE c.step = ${step} AND c.proposal_id IN (SELECT changed.proposal_id FROM step_submissions changed WHERE changed.decision_seq > ${only.fromSeq}))
           UNION ALL SELECT id FROM ${sql.table(table)} WHERE id > ${table === 'agenda_items' ? only.since.agendaItemId : only.since.riskItemId}`,
      );
  // (The proposals are those with any new submission: a condition on the step as well made
  // SQLite read them by step, i.e. every submission of the step, instead of by decision_seq.)
  // The comparison as 1/0 (NULL without a submission): PostgreSQL's is a boolean, SQLite's already an integer.
  // Incremental: no LIMIT, which made PostgreSQL read the table in id order hoping to stop early.
  const wrongRows = all(
    raw(
      sql<{ id: number; proposal_id: number; current: number }>`SELECT t.id, t.proposal_id, t.current FROM ${from}
        WHERE ${incremental ? sql`1 = 1` : inRange('t.id', only.ids)}
          AND t.current != CAST((t.submission_id = (SELECT max(s.id) FROM step_submissions s WHERE s.proposal_id = t.proposal_id AND s.step = ${step})) AS INTEGER)
        ${incremental ? sql`` : sql`LIMIT 1`}`,
    ),
  );
  const wrong = wrongRows.sort((a, b) => a.id - b.id)[0];
  if (!wrong) return null;
  return {
    seq: 0,
    proposalId: wrong.proposal_id,
    problem: `${step} item ${wrong.id} is ${wrong.current ? 'shown although it belongs to an earlier submission' : 'hidden although it belongs to the latest submission'}`,
  };
}

type PartnerLinkRow = {
  id: number;
  proposal_id: number;
  questions: string;
  answers: string | null;
  submitted_at: string | null;
  decision_seq: number | null;
  r_seq: number | null;
  r_proposal_id: number | null;
  r_inputs: string | null;
  r_at: string | null;
  r_outcome: string | null;
};

/**
 * The partner's answers shown beside the steps (partner_links) are the ones the record of their
 * submission holds: same link, proposal, questions, answers and time (migration 0160).
 * Whole check: a page of links (by id) and their records per step, whatever the log's size.
 */
function* partnerAnswerPages(fromSeq: number, perPage: number): Generator<ChainProblem | null> {
  for (let afterId: number | null = null; ; ) {
    const rows: PartnerLinkRow[] = all(
      raw(
        sql<PartnerLinkRow>`SELECT l.id, l.proposal_id, l.questions, l.answers, l.submitted_at, l.decision_seq,
                r.seq AS r_seq, r.proposal_id AS r_proposal_id, r.inputs AS r_inputs, r.at AS r_at, r.outcome AS r_outcome
           FROM partner_links l LEFT JOIN decision_records r ON r.seq = l.decision_seq
          WHERE ${afterId === null ? sql`1 = 1` : sql`l.id > ${afterId}`}
            AND (l.decision_seq > ${fromSeq} OR (l.decision_seq IS NULL AND (l.answers IS NOT NULL OR l.submitted_at IS NOT NULL)))
          ORDER BY l.id LIMIT ${perPage}`,
      ),
    );
    yield checkPartnerLinks(rows);
    if (rows.length < perPage) return;
    afterId = rows[rows.length - 1]!.id;
  }
}

/**
 * Incremental: the links answered since (by the decision index) and answers on links made since
 * the mark that cite no record, few enough for one read (no LIMIT, which made PostgreSQL read the
 * table in id order); links answered before are left to the whole check.
 */
function checkNewPartnerAnswers(fromSeq: number, since: ShownRowsMark): ChainProblem | null {
  const rows = all(
    raw(
      sql<PartnerLinkRow>`SELECT l.id, l.proposal_id, l.questions, l.answers, l.submitted_at, l.decision_seq,
              r.seq AS r_seq, r.proposal_id AS r_proposal_id, r.inputs AS r_inputs, r.at AS r_at, r.outcome AS r_outcome
         FROM ${rowsWithIds(
           'partner_links',
           'l',
           sql`SELECT id FROM partner_links WHERE decision_seq > ${fromSeq}
               UNION ALL SELECT id FROM partner_links WHERE id > ${since.partnerLinkId} AND decision_seq IS NULL AND (answers IS NOT NULL OR submitted_at IS NOT NULL)`,
         )}
         LEFT JOIN decision_records r ON r.seq = l.decision_seq`,
    ),
  );
  return checkPartnerLinks(rows.sort((a, b) => a.id - b.id));
}

function checkPartnerLinks(rows: PartnerLinkRow[]): ChainProblem | null {
  for (const row of rows) {
    const seq = row.decision_seq ?? 0;
    const named = (what: string): ChainProblem => ({ seq, proposalId: row.proposal_id, problem: `the partner's answers shown on the proposal (link ${row.id}) ${what}` });
    if (row.r_seq === null || row.r_proposal_id !== row.proposal_id || row.r_outcome !== 'partner_answered') return named('have no record of their submission');
    let snapshot: { command?: { type?: string; linkId?: number; answers?: unknown }; judged?: { questions?: unknown } };
    try {
      snapshot = JSON.parse(row.r_inputs!) as typeof snapshot;
    } catch {
      return named('cite a record whose inputs are not readable');
    }
    const differs: string[] = [];
    if (snapshot.command?.type !== 'PARTNER_ANSWERS' || snapshot.command.linkId !== row.id) differs.push('the link');
    if (row.answers === null || !same(row.answers, snapshot.command?.answers)) differs.push('the answers');
    if (!same(row.questions, snapshot.judged?.questions)) differs.push('the questions');
    if (row.submitted_at !== row.r_at) differs.push('when');
    if (differs.length > 0) return named(`differ from what record ${seq} holds (${differs.join(', ')})`);
  }
  return null;
}
