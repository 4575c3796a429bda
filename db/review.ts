import { sql } from 'kysely';
import type { Step } from '../workflows/types';
import { all, first, prebuilt, qb } from './connection';
import { integersOfJson, jsonNumber, jsonText, constant } from './sql-dialect';

// Staff review: the queue with its flags, precedent for a dossier, the
// records since a version, and approvals due for re-vetting.

export type QueueFilter = { chapterId?: number | null; campaignId?: number | null };
/** A filtered queue, one page of it (limit/offset in queue order), or given proposals. */
export type QueueScope = QueueFilter & { limit?: number; offset?: number; ids?: number[] };

/**
 * The ids of the proposals in scope, as a subquery every flag query joins on.
 * Given ids travel as one JSON parameter, so the SQL text (and its prepared
 * statement) is the same whatever their number.
 */
function queueIds(scope: QueueScope) {
  if (scope.ids) {
    return qb()
      .selectFrom(integersOfJson(scope.ids).as('j'))
      .select(sql<number>`j.value`.as('id'));
  }
  let q = qb().selectFrom('proposals as q').select('q.id').where('q.state', '=', constant('review'));
  if (scope.chapterId != null) q = q.where('q.chapter_id', '=', scope.chapterId);
  if (scope.campaignId != null) q = q.where('q.campaign_id', '=', scope.campaignId);
  if (scope.limit !== undefined) q = q.orderBy('q.submitted_at').orderBy('q.id').limit(scope.limit).offset(scope.offset ?? 0);
  return q;
}

/** The ids of the filtered queue, oldest submission first (read from an index). */
export function queueOrder(filter: QueueFilter): number[] {
  let q = qb().selectFrom('proposals').select('id').where('state', '=', constant('review'));
  if (filter.chapterId != null) q = q.where('chapter_id', '=', filter.chapterId);
  if (filter.campaignId != null) q = q.where('campaign_id', '=', filter.campaignId);
  return all(q.orderBy('submitted_at').orderBy('id')).map((r) => r.id);
}

export function countQueue(filter: QueueFilter): number {
  let q = qb().selectFrom('proposals').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', constant('review'));
  if (filter.chapterId != null) q = q.where('chapter_id', '=', filter.chapterId);
  if (filter.campaignId != null) q = q.where('campaign_id', '=', filter.campaignId);
  return first(q)?.n ?? 0;
}

export type QueueRow = {
  id: number;
  reference: string;
  event_title: string;
  event_date: string;
  kind: string;
  submitted_at: string | null;
  recommend_reject: number;
  partner_name: string;
  chapter_name: string;
  campaign_name: string;
  /** Who may decide it (four-eyes) is asked of the policy with these. */
  proposer_id: number;
  chapter_id: number;
  last_changed_by: number | null;
};

/** Oldest submission first: the order staff should work in. */
export function queueRows(scope: QueueScope): QueueRow[] {
  let q = qb()
    .selectFrom('proposals as p')
    .innerJoin('partners as pa', 'pa.id', 'p.partner_id')
    .innerJoin('chapters as c', 'c.id', 'p.chapter_id')
    .innerJoin('campaigns as ca', 'ca.id', 'p.campaign_id')
    .select([
      'p.id',
      'p.reference',
      'p.event_title',
      'p.event_date',
      'p.kind',
      'p.submitted_at',
      'p.recommend_reject',
      'pa.name as partner_name',
      'c.name as chapter_name',
      'ca.name as campaign_name',
      'p.proposer_id',
      'p.chapter_id',
      'p.last_changed_by',
    ])
    .where('p.state', '=', constant('review'));
  if (scope.ids) q = q.where('p.id', 'in', queueIds({ ids: scope.ids }));
  if (scope.chapterId != null) q = q.where('p.chapter_id', '=', scope.chapterId);
  if (scope.campaignId != null) q = q.where('p.campaign_id', '=', scope.campaignId);
  q = q.orderBy('p.submitted_at').orderBy('p.id');
  if (scope.limit !== undefined) q = q.limit(scope.limit).offset(scope.offset ?? 0);
  return all(q);
}

/** Proposals in scope whose standing is to recommend rejection. */
export function queueRecommendReject(scope: QueueScope): number[] {
  return all(
    qb().selectFrom('proposals').select('id').where('id', 'in', queueIds(scope)).where('recommend_reject', '=', 1),
  ).map((r) => r.id);
}

export type StepStanding = { proposal_id: number; step: Step; outcome: string; seq: number; overridden: boolean };

/**
 * The standing outcome of the values and perception steps (the two the flags
 * read) of the proposals in scope: the latest submission's, unless a staff
 * override was recorded after it. Read from the covering index alone.
 */
export function queueStepOutcomes(scope: QueueScope): StepStanding[] {
  const latest = all(
    qb()
      .selectFrom('step_submissions as s')
      .select(['s.proposal_id', 's.step', 's.outcome', 's.decision_seq'])
      .where('s.proposal_id', 'in', queueIds(scope))
      .where('s.step', 'in', ['values', 'perception'])
      .where('s.id', '=', (eb) =>
        eb
          .selectFrom('step_submissions as t')
          .select((e) => e.fn.max('t.id').as('m'))
          .whereRef('t.proposal_id', '=', 's.proposal_id')
          .whereRef('t.step', '=', 's.step'),
      ),
  );
  const overrides = all(
    qb()
      .selectFrom('decision_records as d')
      .select(['d.proposal_id', 'd.step', 'd.seq', sql<string>`${jsonText('d.inputs', '$.judged.outcome')}`.as('outcome')])
      .where('d.proposal_id', 'in', queueIds(scope))
      .where('d.outcome', '=', 'overridden')
      .where('d.step', 'in', ['values', 'perception'])
      .orderBy('d.seq'),
  );
  const standing = new Map<string, StepStanding>();
  for (const s of latest) {
    standing.set(`${s.proposal_id}:${s.step}`, {
      proposal_id: s.proposal_id,
      step: s.step as Step,
      outcome: s.outcome,
      seq: s.decision_seq,
      overridden: false,
    });
  }
  for (const o of overrides) {
    const key = `${o.proposal_id}:${o.step}`;
    const current = standing.get(key);
    if (!current || o.seq > current.seq) {
      standing.set(key, { proposal_id: o.proposal_id, step: o.step as Step, outcome: o.outcome, seq: o.seq, overridden: true });
    }
  }
  return [...standing.values()];
}

export type AgendaCounts = { proposal_id: number; conflicting: number; unknown: number };

/** Proposals in scope with conflicting or unknown agenda items, and how many. */
export function queueAgendaCounts(scope: QueueScope): AgendaCounts[] {
  return all(
    qb()
      .selectFrom('agenda_items as a')
      .select([
        'a.proposal_id',
        sql<number>`sum(CASE WHEN a.classification = 'conflicting' THEN 1 ELSE 0 END)`.as('conflicting'),
        sql<number>`sum(CASE WHEN a.classification = 'unknown' THEN 1 ELSE 0 END)`.as('unknown'),
      ])
      .where('a.proposal_id', 'in', queueIds(scope))
      .where('a.current', '=', constant(1))
      .where('a.classification', 'in', ['conflicting', 'unknown'])
      .groupBy('a.proposal_id'),
  );
}

/** Proposals in scope with a risk still critical after mitigation. */
export function queueCriticalRisks(scope: QueueScope): number[] {
  return all(
    qb()
      .selectFrom('risk_items as r')
      .select('r.proposal_id')
      .distinct()
      .where('r.proposal_id', 'in', queueIds(scope))
      .where('r.current', '=', constant(1))
      .where('r.kind', '=', 'risk')
      .where('r.residual_band', '=', 'critical'),
  ).map((r) => r.proposal_id);
}

/** Proposals in scope whose latest screening found listed entities, with what it found (JSON). */
export function queueScreeningHits(scope: QueueScope): { proposal_id: number; partner_id: number; results: string }[] {
  return all(
    qb()
      .selectFrom('screenings as s')
      .select(['s.proposal_id', 's.partner_id', 's.results'])
      .where('s.proposal_id', 'in', queueIds(scope))
      .where('s.status', '=', 'hits')
      .where('s.id', '=', (eb) =>
        eb
          .selectFrom('screenings as t')
          .select((e) => e.fn.max('t.id').as('m'))
          .whereRef('t.proposal_id', '=', 's.proposal_id'),
      ),
  ).flatMap((r) => (r.proposal_id === null ? [] : [{ proposal_id: r.proposal_id, partner_id: r.partner_id, results: r.results }]));
}

// ---- Precedent ----

export type PartnerPrecedentProposal = {
  id: number;
  reference: string;
  event_title: string;
  event_date: string;
  state: string;
  created_at: string;
  approved_until: string | null;
  chapter_name: string;
  campaign_name: string;
};

/** Every other proposal about the same partner, from any chapter, newest first. */
export function partnerPrecedentProposals(partnerId: number, excludeProposalId: number, limit = 50): PartnerPrecedentProposal[] {
  return all(
    qb()
      .selectFrom('proposals as p')
      .innerJoin('chapters as c', 'c.id', 'p.chapter_id')
      .innerJoin('campaigns as ca', 'ca.id', 'p.campaign_id')
      .select([
        'p.id',
        'p.reference',
        'p.event_title',
        'p.event_date',
        'p.state',
        'p.created_at',
        'p.approved_until',
        'c.name as chapter_name',
        'ca.name as campaign_name',
      ])
      .where('p.partner_id', '=', partnerId)
      .where('p.id', '!=', excludeProposalId)
      .orderBy('p.id', 'desc')
      .limit(limit),
  );
}

export type PrecedentDecision = {
  seq: number;
  proposal_id: number;
  step: string;
  outcome: string;
  actor_name: string;
  actor_role: string;
  at: string;
  rationale: string;
  /** JSON text of the approval's conditions, when there were any. */
  conditions: string | null;
};

/**
 * Decisions recorded about the partner on other proposals: staff decisions,
 * overrides, the values verdict, withdrawals and expiries.
 */
/** How many other proposals this partner has, from any chapter: the precedent a dossier can show. */
export function partnerPrecedentCount(partnerId: number, excludeProposalId: number): number {
  return Number(
    first(
      qb()
        .selectFrom('proposals')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('partner_id', '=', partnerId)
        .where('id', '!=', excludeProposalId),
    )?.n ?? 0,
  );
}

/** The precedent decisions on these proposals only (the ones a dossier lists), newest first. */
export function precedentDecisionsOf(proposalIds: number[], limit = 100): PrecedentDecision[] {
  if (proposalIds.length === 0) return [];
  return all(
    qb()
      .selectFrom('decision_records as d')
      .select([
        'd.seq',
        'd.proposal_id',
        'd.step',
        'd.outcome',
        'd.actor_name',
        'd.actor_role',
        'd.at',
        'd.rationale',
        // Only a staff decision carries conditions: the other records' inputs (large JSON) are not parsed.
        sql<string | null>`CASE WHEN d.step = 'decision' THEN ${jsonText('d.inputs', '$.judged.conditions')} END`.as('conditions'),
      ])
      .where('d.proposal_id', 'in', proposalIds)
      .where((eb) =>
        eb.or([
          eb('d.step', '=', 'decision'),
          eb('d.step', '=', 'values'),
          eb('d.outcome', 'in', ['overridden', 'withdrawn', 'expired']),
        ]),
      )
      .orderBy('d.seq', 'desc')
      .limit(limit),
  );
}

export type AgendaPrecedent = {
  item_id: number;
  proposal_id: number;
  text: string;
  normalized_text: string;
  position_key: string | null;
  classification: string;
  staff_classified: number;
  reference: string;
  event_title: string;
  state: string;
  chapter_name: string;
  partner_name: string;
  decision_outcome: string | null;
  decision_rationale: string | null;
  decision_at: string | null;
  decision_actor: string | null;
};

function agendaPrecedentQuery(excludeProposalId: number) {
  return qb()
    .selectFrom('agenda_items as ai')
    .innerJoin('proposals as p', 'p.id', 'ai.proposal_id')
    .innerJoin('chapters as c', 'c.id', 'p.chapter_id')
    .innerJoin('partners as pa', 'pa.id', 'p.partner_id')
    .leftJoin('decision_records as d', (join) =>
      join.onRef('d.seq', '=', (eb) =>
        eb
          .selectFrom('decision_records as x')
          .select((e) => e.fn.max('x.seq').as('m'))
          .whereRef('x.proposal_id', '=', 'p.id')
          .where('x.step', '=', 'decision'),
      ),
    )
    .select([
      'ai.id as item_id',
      'ai.proposal_id',
      'ai.text',
      'ai.normalized_text',
      'ai.position_key',
      'ai.classification',
      sql<number>`CASE WHEN ai.classified_by IS NOT NULL THEN 1 ELSE 0 END`.as('staff_classified'),
      'p.reference',
      'p.event_title',
      'p.state',
      'c.name as chapter_name',
      'pa.name as partner_name',
      'd.outcome as decision_outcome',
      'd.rationale as decision_rationale',
      'd.at as decision_at',
      'd.actor_name as decision_actor',
    ])
    .where('ai.current', '=', constant(1))
    .where('ai.proposal_id', '!=', excludeProposalId)
    // Only what someone decided: a staff decision on the proposal, or a staff classification.
    .where((eb) => eb.or([eb('p.state', 'in', [constant('approved'), constant('rejected'), constant('expired')]), eb('ai.classified_by', 'is not', null)]))
    .orderBy('ai.id', 'desc');
}

// A dossier runs these twice per agenda item: built and compiled once (building and compiling the
// joins and subquery cost far more than SQLite takes to run them).
type AgendaPrecedentParams = { key: string; excludeProposalId: number; limit: number };
const agendaPrecedentByTextQuery = prebuilt<AgendaPrecedentParams, AgendaPrecedent>(['key', 'excludeProposalId', 'limit'], (p) =>
  agendaPrecedentQuery(p.excludeProposalId).where('ai.normalized_text', '=', p.key).limit(p.limit),
);
const agendaPrecedentByPositionQuery = prebuilt<AgendaPrecedentParams, AgendaPrecedent>(['key', 'excludeProposalId', 'limit'], (p) =>
  agendaPrecedentQuery(p.excludeProposalId).where('ai.position_key', '=', p.key).limit(p.limit),
);

/** Decided proposals of any chapter that carried an agenda item with the same normalized text. */
export function agendaPrecedentByText(normalizedText: string, excludeProposalId: number, limit = 5): AgendaPrecedent[] {
  // An empty key (an item of punctuation only) is no evidence of the same item.
  if (!normalizedText) return [];
  return all(agendaPrecedentByTextQuery({ key: normalizedText, excludeProposalId, limit }));
}

/** Decided proposals of any chapter that mapped an agenda item onto the same position. */
export function agendaPrecedentByPosition(positionKey: string, excludeProposalId: number, limit = 5): AgendaPrecedent[] {
  return all(agendaPrecedentByPositionQuery({ key: positionKey, excludeProposalId, limit }));
}

// ---- Decision records after a version ----

/** The records written since the proposal was at `version` (each record keeps the version it was made on). */
export function recordsSinceVersion(proposalId: number, version: number) {
  return all(
    qb()
      .selectFrom('decision_records')
      .select(['seq', 'step', 'outcome', 'actor_name', 'actor_role', 'at', 'rationale', 'from_state', 'to_state'])
      .where('proposal_id', '=', proposalId)
      .where(jsonNumber('inputs', '$.proposal.version'), '>=', version)
      .orderBy('seq'),
  );
}

// ---- Re-vetting ----

/** Approvals whose end date has passed (the end date itself still counts as approved). */
export function dueApprovals(today: string): { id: number; version: number }[] {
  return all(
    qb()
      .selectFrom('proposals')
      .select(['id', 'version'])
      .where('state', '=', constant('approved'))
      .where('approved_until', '<', today)
      .orderBy('approved_until'),
  );
}

export type RevettingRow = {
  id: number;
  reference: string;
  event_title: string;
  state: string;
  approved_until: string | null;
  decided_at: string | null;
  partner_id: number;
  partner_name: string;
  chapter_name: string;
  newer_id: number | null;
  newer_reference: string | null;
  newer_state: string | null;
};

/** Approvals that expired, or end on or before `horizon`, with the partner's newest later proposal. */
export function revettingRows(horizon: string, limit = 500): RevettingRow[] {
  return all(
    qb()
      .selectFrom('proposals as p')
      .innerJoin('partners as pa', 'pa.id', 'p.partner_id')
      .innerJoin('chapters as c', 'c.id', 'p.chapter_id')
      .leftJoin('proposals as n', (join) =>
        join.onRef('n.id', '=', (eb) =>
          eb
            .selectFrom('proposals as m')
            .select((e) => e.fn.max('m.id').as('m'))
            .whereRef('m.partner_id', '=', 'p.partner_id')
            .whereRef('m.id', '>', 'p.id'),
        ),
      )
      .select([
        'p.id',
        'p.reference',
        'p.event_title',
        'p.state',
        'p.approved_until',
        'p.decided_at',
        'p.partner_id',
        'pa.name as partner_name',
        'c.name as chapter_name',
        'n.id as newer_id',
        'n.reference as newer_reference',
        'n.state as newer_state',
      ])
      .where((eb) =>
        eb.or([
          eb.and([eb('p.state', '=', constant('approved')), eb('p.approved_until', '<=', horizon)]),
          eb('p.state', '=', constant('expired')),
        ]),
      )
      .orderBy('p.approved_until')
      .orderBy('p.id')
      .limit(limit),
  );
}

export function proposalSummary(id: number) {
  return first(
    qb()
      .selectFrom('proposals as p')
      .innerJoin('chapters as c', 'c.id', 'p.chapter_id')
      .select(['p.id', 'p.reference', 'p.event_title', 'p.state', 'p.approved_until', 'p.decided_at', 'c.name as chapter_name'])
      .where('p.id', '=', id),
  );
}
