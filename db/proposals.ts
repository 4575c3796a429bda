import type { AgendaItemInput, ProposalState, Step } from '../workflows/types';
import { constant } from './sql-dialect';
import { chainHeadColumns, type ChainHeadRow } from './decision-log';
import { newestConfigIdQuery } from './config';
import type { NotificationNames } from './outside';
import { normalizePartnerName } from '../workflows/partner-names';
import type { ScoredRiskItem } from '../workflows/rules/risk';
import type { MouSection } from '../workflows/mou';
import { all, first, insertId, nowIso, prebuilt, qb, run } from './connection';
import type { Selectable } from 'kysely';
import type { AgendaItemsTable, MouVersion, Proposal, RiskItemsTable, StepSubmissionsTable } from './schema';

export type ProposalDetail = Proposal & {
  partner_name: string;
  chapter_name: string;
  campaign_name: string;
  campaign_key: string;
  proposer_name: string;
  proposer_email: string;
};

function detailQuery() {
  return qb()
    .selectFrom('proposals as p')
    .innerJoin('partners as pa', 'pa.id', 'p.partner_id')
    .innerJoin('chapters as c', 'c.id', 'p.chapter_id')
    .innerJoin('campaigns as ca', 'ca.id', 'p.campaign_id')
    .innerJoin('users as u', 'u.id', 'p.proposer_id')
    .selectAll('p')
    .select([
      'pa.name as partner_name',
      'c.name as chapter_name',
      'ca.name as campaign_name',
      'ca.key as campaign_key',
      'u.name as proposer_name',
      'u.email as proposer_email',
    ]);
}

// Read several times per MOU save and on every dossier: built and compiled once.
const detailById = prebuilt<{ id: number }, ProposalDetail>(['id'], (p) => detailQuery().where('p.id', '=', p.id));

export function proposalById(id: number): ProposalDetail | undefined {
  return first(detailById({ id }));
}

// The queries below run on every decision: built and compiled once (db/connection.ts prebuilt).
const proposalById_ = prebuilt<{ id: number }, Proposal>(['id'], (p) => qb().selectFrom('proposals').selectAll().where('id', '=', p.id));

export function proposalRow(id: number): Proposal | undefined {
  return first(proposalById_({ id }));
}

/**
 * A proposal as a decision reads it, with what the decision extends and cites. hasDrafts: whether
 * any step of it has a saved draft, which a submitted step then removes (most have none).
 */
export type ProposalForDecision = {
  proposal: Proposal;
  heads: ChainHeadRow;
  newestConfigId: number | null;
  hasDrafts: boolean;
  /** The partner's and chapter's names, which the decision's notifications quote. */
  names: NotificationNames | null;
};

type DecisionStartRow = Proposal &
  ChainHeadRow & { newest_config_id: number | null; has_drafts: number | boolean; partner_name: string | null; chapter_name: string | null };

const decisionStart_ = prebuilt<{ id: number }, DecisionStartRow>(['id'], (p) =>
  qb()
    .selectFrom('proposals as p')
    .selectAll('p')
    .select((eb) => [
      ...chainHeadColumns(eb.ref('p.id')),
      newestConfigIdQuery().as('newest_config_id'),
      eb.exists(eb.selectFrom('step_drafts as d').select('d.step').whereRef('d.proposal_id', '=', 'p.id')).as('has_drafts'),
      eb.selectFrom('partners as pa').select('pa.name').whereRef('pa.id', '=', 'p.partner_id').as('partner_name'),
      eb.selectFrom('chapters as c').select('c.name').whereRef('c.id', '=', 'p.chapter_id').as('chapter_name'),
    ])
    .where('p.id', '=', p.id),
);

/**
 * The proposal, the chain's heads and the newest configuration id in one statement: a decision
 * reads them under its write lock (inside transaction()), where they cannot change before it
 * writes. Three statements before, each a run through SQLite.
 */
export function proposalForDecision(id: number): ProposalForDecision | undefined {
  const row = first(decisionStart_({ id }));
  if (!row) return undefined;
  const { head_seq, head_hash, proposal_head_hash, newest_config_id, has_drafts, partner_name, chapter_name, ...proposal } = row;
  return {
    proposal: proposal as Proposal,
    heads: { head_seq, head_hash, proposal_head_hash },
    newestConfigId: newest_config_id,
    hasDrafts: Boolean(has_drafts),
    names: partner_name !== null && chapter_name !== null ? { partner_name, chapter_name } : null,
  };
}

export type ProposalFilter = { chapterId?: number | null; states?: ProposalState[]; limit?: number };

export function listProposals(filter: ProposalFilter = {}): ProposalDetail[] {
  let q = detailQuery().orderBy('p.updated_at', 'desc').orderBy('p.id', 'desc');
  if (filter.chapterId != null) q = q.where('p.chapter_id', '=', filter.chapterId);
  if (filter.states && filter.states.length > 0) q = q.where('p.state', 'in', filter.states);
  return all(q.limit(filter.limit ?? 200));
}

const lastProposalId = prebuilt<Record<string, never>, { id: number | null }>([], () =>
  qb().selectFrom('proposals').select((eb) => eb.fn.max('id').as('id')),
);

export function nextReference(createdAt: string): string {
  const last = first(lastProposalId({}));
  return `CSP-${createdAt.slice(0, 4)}-${String((last?.id ?? 0) + 1).padStart(5, '0')}`;
}

export function insertProposal(values: {
  partnerId: number;
  chapterId: number;
  proposerId: number;
  campaignId: number;
  eventTitle: string;
  eventDate: string;
  eventPlace: string;
  eventDescription: string;
  kind: string;
  workflow: string;
  previousProposalId: number | null;
  createdAt: string;
  creationToken?: string | null;
}): { id: number; reference: string } {
  const reference = nextReference(values.createdAt);
  const id = insertId(
    insertProposalRow({
      reference,
      partner_id: values.partnerId,
      chapter_id: values.chapterId,
      proposer_id: values.proposerId,
      campaign_id: values.campaignId,
      event_title: values.eventTitle,
      event_date: values.eventDate,
      event_place: values.eventPlace,
      event_description: values.eventDescription,
      kind: values.kind,
      workflow: values.workflow,
      previous_proposal_id: values.previousProposalId,
      last_changed_by: values.proposerId,
      created_at: values.createdAt,
      updated_at: values.createdAt,
      creation_token: values.creationToken ?? null,
    }),
  );
  return { id, reference };
}

type NewProposalRow = {
  reference: string;
  partner_id: number;
  chapter_id: number;
  proposer_id: number;
  campaign_id: number;
  event_title: string;
  event_date: string;
  event_place: string;
  event_description: string;
  kind: string;
  workflow: string;
  previous_proposal_id: number | null;
  last_changed_by: number;
  created_at: string;
  updated_at: string;
  creation_token: string | null;
};
const NEW_PROPOSAL_COLUMNS = [
  'reference', 'partner_id', 'chapter_id', 'proposer_id', 'campaign_id', 'event_title', 'event_date', 'event_place',
  'event_description', 'kind', 'workflow', 'previous_proposal_id', 'last_changed_by', 'created_at', 'updated_at', 'creation_token',
] as const satisfies readonly (keyof NewProposalRow)[];
// A new proposal starts in draft at version 1.
const insertProposalRow = prebuilt<NewProposalRow, unknown>(NEW_PROPOSAL_COLUMNS, (row) =>
  qb().insertInto('proposals').values({ ...row, state: 'draft', version: 1 }),
);

/** The proposal a new-proposal form with this one-time token created, if any. */
export function proposalByCreationToken(token: string): Proposal | undefined {
  return first(qb().selectFrom('proposals').selectAll().where('creation_token', '=', token));
}

/** The most recent earlier proposal for the same partner, to link re-vetting. */
const latestOfPartner = prebuilt<{ partnerId: number }, Proposal>(['partnerId'], (p) =>
  qb().selectFrom('proposals').selectAll().where('partner_id', '=', p.partnerId).orderBy('id', 'desc').limit(1),
);

export function latestProposalForPartner(partnerId: number): Proposal | undefined {
  return first(latestOfPartner({ partnerId }));
}

export type ProposalStatePatch = {
  state: ProposalState;
  workflow: string;
  recommend_reject: number;
  perception_required: number | null;
  returned_to: string | null;
  last_changed_by: number | null;
  approved_until?: string | null;
  submitted_at?: string | null;
  decided_at?: string | null;
};

/**
 * Moves the proposal on, only if nobody else did since the actor looked:
 * returns false (and changes nothing) when the version is no longer the one expected.
 */
export function advanceProposal(id: number, expectedVersion: number, patch: ProposalStatePatch, at: string): boolean {
  // The columns set differ by decision (submitted_at, decided_at, approved_until): one prebuilt query per set.
  const params: Record<string, unknown> = { [WHERE_ID]: id, [WHERE_VERSION]: expectedVersion };
  const columns: string[] = [];
  for (const [column, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    columns.push(column);
    params[column] = value;
  }
  columns.push('version', 'updated_at');
  params.version = expectedVersion + 1;
  params.updated_at = at;
  const shape = columns.join(',');
  let query = advanceQueries.get(shape);
  if (!query) {
    query = prebuilt<Record<string, unknown>, unknown>([...columns, WHERE_ID, WHERE_VERSION], (p) =>
      qb()
        .updateTable('proposals')
        .set(Object.fromEntries(columns.map((c) => [c, p[c]])))
        .where('id', '=', p[WHERE_ID] as number)
        .where('version', '=', p[WHERE_VERSION] as number),
    );
    advanceQueries.set(shape, query);
  }
  return run(query(params)).changes === 1;
}

// Parameter names no column has.
const WHERE_ID = ' where id';
const WHERE_VERSION = ' where version';
const advanceQueries = new Map<string, ReturnType<typeof prebuilt<Record<string, unknown>, unknown>>>();

/** Edits event details of a proposal still in draft; same optimistic check. */
export function updateDraftDetails(
  id: number,
  expectedVersion: number,
  values: { event_title: string; event_date: string; event_place: string; event_description: string; kind: string; campaign_id: number },
  by: number,
): boolean {
  const at = nowIso();
  return (
    run(
      qb()
        .updateTable('proposals')
        .set({ ...values, version: expectedVersion + 1, updated_at: at, last_changed_by: by })
        .where('id', '=', id)
        .where('version', '=', expectedVersion)
        .where('state', '=', constant('draft')),
    ).changes === 1
  );
}

// ---- Step drafts: work in progress, kept until the step is submitted ----

export function saveStepDraft(proposalId: number, step: Step, data: unknown, savedBy: number): void {
  run(
    qb()
      .insertInto('step_drafts')
      .values({ proposal_id: proposalId, step, data: JSON.stringify(data), saved_by: savedBy, saved_at: nowIso() })
      .onConflict((oc) =>
        oc.columns(['proposal_id', 'step']).doUpdateSet((eb) => ({
          data: eb.ref('excluded.data'),
          saved_by: eb.ref('excluded.saved_by'),
          saved_at: eb.ref('excluded.saved_at'),
        })),
      ),
  );
}

export function stepDraft(proposalId: number, step: Step): { data: unknown; saved_at: string; saved_by: number } | undefined {
  const row = first(
    qb().selectFrom('step_drafts').selectAll().where('proposal_id', '=', proposalId).where('step', '=', step),
  );
  return row ? { data: JSON.parse(row.data), saved_at: row.saved_at, saved_by: row.saved_by } : undefined;
}

const deleteDraft = prebuilt<{ proposalId: number; step: Step }, unknown>(['proposalId', 'step'], (p) =>
  qb().deleteFrom('step_drafts').where('proposal_id', '=', p.proposalId).where('step', '=', p.step),
);

export function deleteStepDraft(proposalId: number, step: Step): void {
  run(deleteDraft({ proposalId, step }));
}

// ---- Submitted steps ----

export function insertStepSubmission(values: {
  proposalId: number;
  step: Step;
  data: unknown;
  result: unknown;
  outcome: string;
  configVersions: string;
  submittedBy: number;
  submittedAt: string;
  decisionSeq: number;
}): number {
  return insertId(
    insertSubmission({
      proposal_id: values.proposalId,
      step: values.step,
      data: JSON.stringify(values.data),
      result: JSON.stringify(values.result),
      outcome: values.outcome,
      config_versions: values.configVersions,
      submitted_by: values.submittedBy,
      submitted_at: values.submittedAt,
      decision_seq: values.decisionSeq,
    }),
  );
}

/** A step submission as written: every column but the generated id. */
type SubmissionRow = Omit<Selectable<StepSubmissionsTable>, 'id'>;
const insertSubmission = prebuilt<SubmissionRow, unknown>(
  ['proposal_id', 'step', 'data', 'result', 'outcome', 'config_versions', 'submitted_by', 'submitted_at', 'decision_seq'],
  (row) => qb().insertInto('step_submissions').values(row),
);

export type StepSubmission = {
  id: number;
  step: Step;
  data: unknown;
  result: unknown;
  outcome: string;
  submitted_at: string;
  submitted_by: number;
  decision_seq: number;
};

const submissionsOf = prebuilt<{ proposalId: number }, Selectable<StepSubmissionsTable>>(['proposalId'], (p) =>
  qb().selectFrom('step_submissions').selectAll().where('proposal_id', '=', p.proposalId).orderBy('id'),
);

const outcomesOf = prebuilt<{ proposalId: number }, { step: string; outcome: string; decision_seq: number }>(['proposalId'], (p) =>
  qb().selectFrom('step_submissions').select(['step', 'outcome', 'decision_seq']).where('proposal_id', '=', p.proposalId).orderBy('id'),
);

/**
 * The outcome and record of the latest submission of each step, without the
 * submitted data: what a staff decision cites, read without parsing every step's JSON.
 */
export function latestStepOutcomes(proposalId: number): Partial<Record<Step, { outcome: string; decision_seq: number }>> {
  const out: Partial<Record<Step, { outcome: string; decision_seq: number }>> = {};
  for (const row of all(outcomesOf({ proposalId }))) out[row.step as Step] = { outcome: row.outcome, decision_seq: row.decision_seq };
  return out;
}

/** The latest submission of each step. */
export function latestSubmissions(proposalId: number): Partial<Record<Step, StepSubmission>> {
  const rows = all(submissionsOf({ proposalId }));
  const out: Partial<Record<Step, StepSubmission>> = {};
  for (const row of rows) {
    out[row.step as Step] = {
      id: row.id,
      step: row.step as Step,
      data: JSON.parse(row.data),
      result: JSON.parse(row.result),
      outcome: row.outcome,
      submitted_at: row.submitted_at,
      submitted_by: row.submitted_by,
      decision_seq: row.decision_seq,
    };
  }
  return out;
}

export function replaceAgendaItems(
  proposalId: number,
  submissionId: number,
  items: AgendaItemInput[],
  positionsVersion: number,
): void {
  run(retireAgendaItems({ proposalId }));
  items.forEach((item, position) => {
    insertId(
      insertAgendaItem({
        proposal_id: proposalId,
        submission_id: submissionId,
        position,
        text: item.text,
        normalized_text: normalizePartnerName(item.text),
        scope: item.scope,
        classification: item.classification,
        position_key: item.positionKey,
        positions_version: positionsVersion,
      }),
    );
  });
}

const retireAgendaItems = prebuilt<{ proposalId: number }, unknown>(['proposalId'], (p) =>
  qb().updateTable('agenda_items').set({ current: 0 }).where('proposal_id', '=', p.proposalId).where('current', '=', constant(1)),
);
type AgendaItemRow = {
  proposal_id: number;
  submission_id: number;
  position: number;
  text: string;
  normalized_text: string;
  scope: string;
  classification: string;
  position_key: string | null;
  positions_version: number;
};
const insertAgendaItem = prebuilt<AgendaItemRow, unknown>(
  ['proposal_id', 'submission_id', 'position', 'text', 'normalized_text', 'scope', 'classification', 'position_key', 'positions_version'],
  (row) => qb().insertInto('agenda_items').values(row),
);

// Every proposal page reads these: built and compiled once.
const currentAgendaItemsOf = prebuilt<{ proposalId: number }, Selectable<AgendaItemsTable>>(['proposalId'], (p) =>
  qb().selectFrom('agenda_items').selectAll().where('proposal_id', '=', p.proposalId).where('current', '=', constant(1)).orderBy('position'),
);

export function currentAgendaItems(proposalId: number) {
  return all(currentAgendaItemsOf({ proposalId }));
}

export function classifyAgendaItem(
  itemId: number,
  values: { classification: string; position_key: string | null; positions_version: number; classified_by: number; classified_at: string },
): void {
  run(qb().updateTable('agenda_items').set(values).where('id', '=', itemId));
}

export function replaceRiskItems(proposalId: number, submissionId: number, items: ScoredRiskItem[]): void {
  run(retireRiskItems({ proposalId }));
  items.forEach((item, position) => {
    insertId(
      insertRiskItem({
        proposal_id: proposalId,
        submission_id: submissionId,
        position,
        kind: item.kind,
        category: item.category,
        description: item.description,
        likelihood: item.likelihood,
        impact: item.impact,
        mitigation: item.mitigation,
        residual_likelihood: item.residualLikelihood,
        residual_impact: item.residualImpact,
        score: item.score,
        band: item.band,
        residual_score: item.residualScore,
        residual_band: item.residualBand,
      }),
    );
  });
}

const retireRiskItems = prebuilt<{ proposalId: number }, unknown>(['proposalId'], (p) =>
  qb().updateTable('risk_items').set({ current: 0 }).where('proposal_id', '=', p.proposalId).where('current', '=', constant(1)),
);
/** A risk item as written: every column but the generated id and `current` (1 by default). */
type RiskItemRow = Omit<Selectable<RiskItemsTable>, 'id' | 'current'>;
const insertRiskItem = prebuilt<RiskItemRow, unknown>(
  [
    'proposal_id', 'submission_id', 'position', 'kind', 'category', 'description', 'likelihood', 'impact', 'mitigation',
    'residual_likelihood', 'residual_impact', 'score', 'band', 'residual_score', 'residual_band',
  ],
  (row) => qb().insertInto('risk_items').values(row),
);

const currentRiskItemsOf = prebuilt<{ proposalId: number }, Selectable<RiskItemsTable>>(['proposalId'], (p) =>
  qb().selectFrom('risk_items').selectAll().where('proposal_id', '=', p.proposalId).where('current', '=', constant(1)).orderBy('position'),
);

export function currentRiskItems(proposalId: number) {
  return all(currentRiskItemsOf({ proposalId }));
}

// ---- MOU versions ----

export type { MouSection };

export function insertMouVersion(values: {
  proposalId: number;
  sections: MouSection[];
  removedConditions: { clauseId: string; text: string; reason: string }[];
  note: string;
  createdBy: number;
  createdAt: string;
}): number {
  const latest = first(
    qb().selectFrom('mou_versions').select((eb) => eb.fn.max('version').as('v')).where('proposal_id', '=', values.proposalId),
  );
  const version = (latest?.v ?? 0) + 1;
  insertId(
    qb()
      .insertInto('mou_versions')
      .values({
        proposal_id: values.proposalId,
        version,
        sections: JSON.stringify(values.sections),
        removed_conditions: JSON.stringify(values.removedConditions),
        note: values.note,
        created_by: values.createdBy,
        created_at: values.createdAt,
      }),
  );
  return version;
}

function mouQuery(proposalId: number) {
  return qb()
    .selectFrom('mou_versions as m')
    .innerJoin('users as u', 'u.id', 'm.created_by')
    .selectAll('m')
    .select('u.name as created_by_name')
    .where('m.proposal_id', '=', proposalId);
}
const latestMou = prebuilt<{ proposalId: number }, MouVersionRow>(['proposalId'], (p) =>
  mouQuery(p.proposalId).orderBy('m.version', 'desc').limit(1),
);
const mouOfVersion = prebuilt<{ proposalId: number; version: number }, MouVersionRow>(['proposalId', 'version'], (p) =>
  mouQuery(p.proposalId).where('m.version', '=', p.version),
);
type MouVersionRow = MouVersion & { created_by_name: string };

const latestMouNumber = prebuilt<{ proposalId: number }, { version: number | null }>(['proposalId'], (p) =>
  qb().selectFrom('mou_versions').select((eb) => eb.fn.max('version').as('version')).where('proposal_id', '=', p.proposalId),
);

/** The number of the proposal's newest MOU version (null: none): what a decision cites, without reading the text. */
export function latestMouVersionNumber(proposalId: number): number | null {
  return first(latestMouNumber({ proposalId }))?.version ?? null;
}

export function mouVersion(proposalId: number, version?: number) {
  const row = first(version === undefined ? latestMou({ proposalId }) : mouOfVersion({ proposalId, version }));
  return row
    ? {
        ...row,
        sections: JSON.parse(row.sections) as MouSection[],
        removed_conditions: JSON.parse(row.removed_conditions) as { clauseId: string; text: string; reason: string }[],
      }
    : undefined;
}

export function mouVersionList(proposalId: number) {
  return all(
    qb()
      .selectFrom('mou_versions as m')
      .innerJoin('users as u', 'u.id', 'm.created_by')
      .select(['m.version', 'm.created_at', 'm.note', 'u.name as created_by_name'])
      .where('m.proposal_id', '=', proposalId)
      .orderBy('m.version', 'desc'),
  );
}

// ---- Partner history: what became of earlier proposals with these partners ----

export type PartnerProposalSummary = {
  id: number;
  partner_id: number;
  reference: string;
  event_title: string;
  event_date: string;
  state: string;
  chapter_name: string;
  decided_at: string | null;
  updated_at: string;
  /** Whose it is, for the viewing rule (no second read per row). */
  chapter_id: number;
  proposer_id: number;
  last_changed_by: number | null;
};

/** Every proposal with any of these partners, newest first (for duplicate checks and precedent). */
/** These partners' proposals, newest first; a page of them when given a limit (and the id to continue below). */
export function proposalsForPartners(partnerIds: number[], page: { limit?: number; beforeId?: number } = {}): PartnerProposalSummary[] {
  if (partnerIds.length === 0) return [];
  let q = qb()
    .selectFrom('proposals as p')
    .innerJoin('chapters as c', 'c.id', 'p.chapter_id')
    .select([
      'p.id',
      'p.partner_id',
      'p.reference',
      'p.event_title',
      'p.event_date',
      'p.state',
      'c.name as chapter_name',
      'p.decided_at',
      'p.updated_at',
      'p.chapter_id',
      'p.proposer_id',
      'p.last_changed_by',
    ])
    .where('p.partner_id', 'in', partnerIds)
    .orderBy('p.id', 'desc');
  if (page.beforeId !== undefined) q = q.where('p.id', '<', page.beforeId);
  return all(page.limit === undefined ? q : q.limit(page.limit));
}
