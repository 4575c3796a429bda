import { sql } from 'kysely';
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

/** A range of proposal ids, (after, upTo]; null leaves that end open. */
type ProposalRange = { after: number | null; upTo: number | null };

/** The condition that `column` lies in the range (both ends open: every row). */
function inRange(column: string, range: ProposalRange) {
  const ref = sql.ref(column);
  return sql`${range.after === null ? sql`1 = 1` : sql`${ref} > ${range.after}`} AND ${range.upTo === null ? sql`1 = 1` : sql`${ref} <= ${range.upTo}`}`;
}

/**
 * Consecutive ranges of proposal ids covering every id, each holding at most a batch of the
 * proposals; the ends are open, so rows citing a proposal that does not exist are checked too.
 */
function* proposalRanges(): Generator<ProposalRange> {
  let after: number | null = null;
  for (;;) {
    const bound: { id: number } | undefined = first(
      raw(
        sql<{ id: number }>`SELECT id FROM proposals WHERE ${after === null ? sql`1 = 1` : sql`id > ${after}`}
          ORDER BY id LIMIT 1 OFFSET ${PROPOSALS_PER_BATCH - 1}`,
      ),
    );
    const upTo: number | null = bound?.id ?? null;
    yield { after, upTo };
    if (upTo === null) return;
    after = upTo;
  }
}

/** The first row shown on a page that differs from its record, for decisions after fromSeq. */
export function checkShownRows(fromSeq: number): ChainProblem | null {
  for (const range of proposalRanges()) {
    const problem = checkSubmissions(fromSeq, range);
    if (problem) return problem;
  }
  // Items in the ranges skipped for want of submissions may still belong to none.
  const agendaOrphan = firstOrphan('agenda_items', fromSeq);
  if (agendaOrphan) return orphanAgendaItem(agendaOrphan);
  const riskOrphan = firstOrphan('risk_items', fromSeq);
  if (riskOrphan) return orphanRiskItem(riskOrphan);
  return checkCurrentRows() ?? checkPartnerAnswers(fromSeq);
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

/** The first item (in the order rowsBySubmission reads them) that belongs to no submission of its proposal. */
function firstOrphan(table: 'agenda_items' | 'risk_items', fromSeq: number): Orphan | undefined {
  return first(
    raw(
      sql<Orphan>`SELECT t.id, t.proposal_id FROM ${sql.table(table)} t LEFT JOIN step_submissions s ON s.id = t.submission_id
        WHERE s.id IS NULL OR (s.decision_seq > ${fromSeq} AND s.proposal_id != t.proposal_id)
        ORDER BY t.submission_id, t.position, t.id LIMIT 1`,
    ),
  );
}

/** What the item checks need of a submission, once its row matched its record. */
type CheckedSubmission = { step: string; decisionSeq: number; configVersions: string | null; snapshot: Snapshot };

/** The submissions of the proposals in `range`, then their agenda and risk items. */
function checkSubmissions(fromSeq: number, range: ProposalRange): ChainProblem | null {
  const snapshots: Snapshots = new Map();
  // In pages by id: a page's rows carry their records' whole inputs, which only the trimmed
  // snapshots outlive. The page is chosen before the join, so each record is read once.
  for (let afterId: number | null = null; ; ) {
    // The same SQL on both databases, through the query helpers (on the caller's snapshot).
    const submissions: SubmissionRow[] = all(
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
    for (const s of submissions) {
      const problem = checkSubmission(s, snapshots);
      if (problem) return problem;
    }
    if (submissions.length < SUBMISSIONS_PER_PAGE) break;
    afterId = submissions[submissions.length - 1]!.id;
  }
  // A range without submissions to check (most of them, after a recent checkpoint) has no
  // items to compare either: its items are only read for orphans, once for every range.
  if (snapshots.size === 0) return null;
  return checkAgendaItems(fromSeq, range, snapshots) ?? checkRiskItems(fromSeq, range, snapshots);
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

function rowsBySubmission<T extends { submission_id: number; proposal_id: number; id: number }>(
  table: 'agenda_items' | 'risk_items',
  fromSeq: number,
  range: ProposalRange,
): { groups: Map<number, T[]>; orphan: T | undefined } {
  const rows = all(
    raw(
      sql<T & { s_id: number | null; s_proposal_id: number | null }>`SELECT t.*, s.id AS s_id, s.proposal_id AS s_proposal_id, s.decision_seq AS s_seq
         FROM ${sql.table(table)} t
         LEFT JOIN step_submissions s ON s.id = t.submission_id
        WHERE ${inRange('t.proposal_id', range)} AND (s.id IS NULL OR s.decision_seq > ${fromSeq}) ORDER BY t.submission_id, t.position, t.id`,
    ),
  );
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    if (row.s_id === null || row.s_proposal_id !== row.proposal_id) return { groups, orphan: row };
    const list = groups.get(row.submission_id) ?? [];
    list.push(row);
    groups.set(row.submission_id, list);
  }
  return { groups, orphan: undefined };
}

function checkAgendaItems(fromSeq: number, range: ProposalRange, snapshots: Snapshots): ChainProblem | null {
  const { groups, orphan } = rowsBySubmission<AgendaRow>('agenda_items', fromSeq, range);
  if (orphan) return orphanAgendaItem(orphan);
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

function checkRiskItems(fromSeq: number, range: ProposalRange, snapshots: Snapshots): ChainProblem | null {
  const { groups, orphan } = rowsBySubmission<RiskRow>('risk_items', fromSeq, range);
  if (orphan) return orphanRiskItem(orphan);
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

/** The items a page shows are those of the proposal's latest submission of the step, and only those. */
function checkCurrentRows(): ChainProblem | null {
  for (const [table, step] of [
    ['agenda_items', 'agenda'],
    ['risk_items', 'risk'],
  ] as const) {
    // The comparison as 1/0 (NULL without a submission): PostgreSQL's is a boolean, SQLite's already an integer.
    const wrong = first(
      raw(
        sql<{ id: number; proposal_id: number; current: number }>`SELECT t.id, t.proposal_id, t.current FROM ${sql.table(table)} t
          WHERE t.current != CAST((t.submission_id = (SELECT max(s.id) FROM step_submissions s WHERE s.proposal_id = t.proposal_id AND s.step = ${step})) AS INTEGER)
          LIMIT 1`,
      ),
    );
    if (wrong) {
      return {
        seq: 0,
        proposalId: wrong.proposal_id,
        problem: `${step} item ${wrong.id} is ${wrong.current ? 'shown although it belongs to an earlier submission' : 'hidden although it belongs to the latest submission'}`,
      };
    }
  }
  return null;
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
 */
function checkPartnerAnswers(fromSeq: number): ChainProblem | null {
  // In pages by link id: a page of links and their records at a time, whatever the log's size.
  const page = (afterId: number | null) =>
    all(
      raw(
        sql<PartnerLinkRow>`SELECT l.id, l.proposal_id, l.questions, l.answers, l.submitted_at, l.decision_seq,
                r.seq AS r_seq, r.proposal_id AS r_proposal_id, r.inputs AS r_inputs, r.at AS r_at, r.outcome AS r_outcome
           FROM partner_links l LEFT JOIN decision_records r ON r.seq = l.decision_seq
          WHERE ${afterId === null ? sql`1 = 1` : sql`l.id > ${afterId}`}
            AND (l.decision_seq > ${fromSeq} OR (l.decision_seq IS NULL AND (l.answers IS NOT NULL OR l.submitted_at IS NOT NULL)))
          ORDER BY l.id LIMIT ${LINKS_PER_PAGE}`,
      ),
    );
  for (let rows = page(null); rows.length > 0; rows = rows.length < LINKS_PER_PAGE ? [] : page(rows[rows.length - 1]!.id)) {
    const problem = checkPartnerLinks(rows);
    if (problem) return problem;
  }
  return null;
}

const LINKS_PER_PAGE = 2_000;

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
