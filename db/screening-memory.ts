import { sql } from 'kysely';
import { all, first, qb, run } from './connection';
import { jsonText } from './sql-dialect';

// Screening that remembers: staff judgments on hits (decision records of the step "screening"),
// the partners due for a scheduled rescan, and the alerts a rescan raises on approved partnerships.

/** The step and outcome of the record that says a hit is not the partner. */
export const SCREENING_STEP = 'screening';
export const NOT_A_TRUE_MATCH = 'not_a_true_match';

export type ScreeningJudgmentRow = {
  seq: number;
  proposal_id: number;
  actor_name: string;
  at: string;
  rationale: string;
  entity_id: string | null;
  inputs: string;
};

/**
 * Every "not a true match" judgment on a partner's hits, oldest first. Read from the log itself
 * (the records verify), by the partner's index: a partner has few records.
 */
export function screeningJudgmentsOfPartner(partnerId: number): ScreeningJudgmentRow[] {
  return all(
    qb()
      .selectFrom('decision_records')
      .select(['seq', 'proposal_id', 'actor_name', 'at', 'rationale', 'inputs', jsonText('inputs', '$.command.entityId').as('entity_id')])
      .where('partner_id', '=', partnerId)
      .where('step', '=', SCREENING_STEP)
      .where('outcome', '=', NOT_A_TRUE_MATCH)
      .orderBy('seq'),
  );
}

/**
 * Partners with a proposal in one of `states` whose last answer from the service (hits or clear)
 * is older than `answeredBefore` and who were not tried at all since `triedBefore` (a failing
 * service is not called for the same partner on every run). Oldest first, at most `limit`.
 */
export function partnersDueForRescan(states: readonly string[], answeredBefore: string, triedBefore: string, limit: number): number[] {
  if (states.length === 0) return [];
  return all(
    qb()
      .selectFrom('proposals as p')
      .select('p.partner_id')
      .distinct()
      .where('p.state', 'in', states)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('screenings as s')
              .select('s.id')
              .whereRef('s.partner_id', '=', 'p.partner_id')
              .where((eb) =>
                eb.or([
                  eb.and([eb('s.status', 'in', ['hits', 'clear']), eb('s.checked_at', '>=', answeredBefore)]),
                  eb('s.checked_at', '>=', triedBefore),
                ]),
              ),
          ),
        ),
      )
      .orderBy('p.partner_id')
      .limit(limit),
  ).map((r) => r.partner_id);
}

export function proposalsOfPartnerIn(partnerId: number, states: readonly string[]) {
  if (states.length === 0) return [];
  return all(
    qb()
      .selectFrom('proposals')
      .select(['id', 'state', 'decided_at', 'proposer_id', 'chapter_id', 'reference', 'event_title'])
      .where('partner_id', '=', partnerId)
      .where('state', 'in', states)
      .orderBy('id'),
  );
}

/** Raises an alert unless this proposal already has one for this entity; returns whether it is new. */
export function insertScreeningAlert(alert: {
  proposalId: number;
  partnerId: number;
  entityId: string;
  caption: string;
  screeningId: number;
  raisedAt: string;
}): boolean {
  const result = run(
    qb()
      .insertInto('screening_alerts')
      .values({
        proposal_id: alert.proposalId,
        partner_id: alert.partnerId,
        entity_id: alert.entityId,
        caption: alert.caption,
        screening_id: alert.screeningId,
        raised_at: alert.raisedAt,
      })
      .onConflict((oc) => oc.columns(['proposal_id', 'entity_id']).doNothing()),
  );
  return result.changes === 1;
}

export type ScreeningAlertRow = {
  id: number;
  proposal_id: number;
  partner_id: number;
  entity_id: string;
  caption: string;
  raised_at: string;
  reference: string;
  event_title: string;
  partner_name: string;
  chapter_name: string;
};

/**
 * Alerts on proposals in one of `states` whose hit nobody has judged "not a true match" since:
 * the queue's list of approved partnerships to look at again. Newest first.
 */
export function openScreeningAlerts(states: readonly string[], limit: number): ScreeningAlertRow[] {
  if (states.length === 0) return [];
  return all(
    qb()
      .selectFrom('screening_alerts as a')
      .innerJoin('proposals as p', 'p.id', 'a.proposal_id')
      .innerJoin('partners as pa', 'pa.id', 'a.partner_id')
      .innerJoin('chapters as c', 'c.id', 'p.chapter_id')
      .select(['a.id', 'a.proposal_id', 'a.partner_id', 'a.entity_id', 'a.caption', 'a.raised_at', 'p.reference', 'p.event_title', 'pa.name as partner_name', 'c.name as chapter_name'])
      .where('p.state', 'in', states)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('decision_records as d')
              .select('d.seq')
              .whereRef('d.partner_id', '=', 'a.partner_id')
              .where('d.step', '=', SCREENING_STEP)
              .where('d.outcome', '=', NOT_A_TRUE_MATCH)
              .where(sql<boolean>`${jsonText('d.inputs', '$.command.entityId')} = a.entity_id`),
          ),
        ),
      )
      .orderBy('a.id', 'desc')
      .limit(limit),
  );
}

export function screeningAlertsOfProposal(proposalId: number) {
  return all(qb().selectFrom('screening_alerts').selectAll().where('proposal_id', '=', proposalId).orderBy('id'));
}

export function countScreeningAlerts(): number {
  return Number(first(qb().selectFrom('screening_alerts').select((eb) => eb.fn.countAll<number>().as('n')))?.n ?? 0);
}
