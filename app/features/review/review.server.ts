import type { AttachmentRef, Position, RiskItemInput } from '../../../workflows/types';
import type { PerceptionResult } from '../../../workflows/rules/perception';
import type { ValuesResult } from '../../../workflows/rules/values';
import { recordedRiskArithmetic, type RiskResult } from '../../../workflows/rules/risk';
import { activeConfig, addConfigVersion, listCampaigns } from '../../../db/config';
import { transaction } from '../../../db/connection';
import {
  agendaPrecedentByPosition,
  agendaPrecedentByText,
  countQueue,
  partnerPrecedentCount,
  partnerPrecedentProposals,
  precedentDecisionsOf,
  proposalSummary,
  queueAgendaCounts,
  queueCriticalRisks,
  queueOrder,
  queueRecommendReject,
  queueRows,
  queueScreeningHits,
  queueStepOutcomes,
  recordsSinceVersion,
  revettingRows,
  type AgendaPrecedent,
  type QueueFilter,
  type QueueRow,
} from '../../../db/review';
import { currentAgendaItems, proposalRow } from '../../../db/proposals';
import { listChapters } from '../../../db/users';
import { claimView, liveClaimsOf, type ClaimView } from './claims.server';
import type { ReviewIntent } from './review-forms.server';
import { mouForDossier } from '../mou/mou.server';
import { judgedEntityIds, proposalsWithOpenHits, screenPartner, screeningConfig, screeningsOfProposal, type Screening } from '../outside/screening.server';
import { fillForProposal } from '../mou/mou-facts.server';
import { partnerEvidenceOf } from '../questionnaire/partner-links.server';
import { PRECEDENT_FEW, PRECEDENT_MAX } from './dossier/precedent-limits';
import { can, expiredAsOf, isInReview, OVERRIDABLE_OUTCOMES, stepsStaffMayName, type ActingUser } from '../../../workflows/policy';
import { proposalView, type ProposalView } from '../vetting/proposal-view.server';
import { decide, type DecideResult, type DecisionErrorKind } from '../vetting/vetting.server';
import { positiveWholeNumber } from '../../utils/whole-number';

// ---- The queue ----

const QUEUE_FLAGS = [
  'recommend_reject',
  'values_concerns',
  'agenda_conflicts',
  'unknown_items',
  'critical_risk',
  'perception_conditions',
  'screening_hits',
] as const;
export type QueueFlag = (typeof QUEUE_FLAGS)[number];

const CLOSE_DAYS = 14;
export const QUEUE_PAGE_SIZE = 50;

export type EventTiming = 'past' | 'close' | 'later';

function addDaysIso(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function eventTiming(eventDate: string, today: string): EventTiming {
  if (eventDate < today) return 'past';
  return eventDate <= addDaysIso(today, CLOSE_DAYS) ? 'close' : 'later';
}

type QueueItem = {
  id: number;
  /** Whole days since it was submitted for a decision. */
  waitingDays: number;
  /** Who is reviewing it ("I'm reviewing this"), if anyone. */
  claim: ClaimView;
  /** The viewer may take it: staff who may decide it (four-eyes). */
  mayClaim: boolean;
  /** Why the viewer may not take it (four-eyes), said in the row rather than only in the dossier. */
  claimRefusal: string | null;
  reference: string;
  eventTitle: string;
  eventDate: string;
  timing: EventTiming;
  kind: string;
  submittedAt: string | null;
  partnerName: string;
  chapterName: string;
  campaignName: string;
  flags: QueueFlag[];
};

function daysBetween(fromDay: string, toDay: string): number {
  return Math.max(0, Math.round((Date.parse(`${toDay}T00:00:00Z`) - Date.parse(`${fromDay}T00:00:00Z`)) / 86_400_000));
}

export type QueueQuery = { chapterId: number | null; campaignId: number | null; flag: QueueFlag | null; page: number };

export function parseQueueQuery(url: URL): QueueQuery {
  const id = (key: string) => positiveWholeNumber(url.searchParams.get(key));
  const flag = url.searchParams.get('flag');
  return {
    chapterId: id('chapter'),
    campaignId: id('campaign'),
    flag: (QUEUE_FLAGS as readonly string[]).includes(flag ?? '') ? (flag as QueueFlag) : null,
    page: id('page') ?? 1,
  };
}

/** A filter of the queue's address that was not used, and why (the page says so, as the register does). */
export type QueueFilterLeftOut = { name: 'chapter' | 'campaign' | 'flag'; value: string; reason: string };

export function queueFiltersLeftOut(url: URL, query: QueueQuery): QueueFilterLeftOut[] {
  const leftOut: QueueFilterLeftOut[] = [];
  for (const name of ['chapter', 'campaign'] as const) {
    const value = url.searchParams.get(name);
    const used = name === 'chapter' ? query.chapterId : query.campaignId;
    if (value && used === null) leftOut.push({ name, value, reason: `it is not a ${name} number.` });
  }
  const flag = url.searchParams.get('flag');
  if (flag && query.flag === null) leftOut.push({ name: 'flag', value: flag, reason: 'it is not one of the flags listed.' });
  return leftOut;
}

type FlagScope = Parameters<typeof queueStepOutcomes>[0];

/** Which flags each proposal in scope carries (only the asked-for kinds): one query per kind. */
function queueFlags(scope: FlagScope, only?: QueueFlag): Map<number, Set<QueueFlag>> {
  const flags = new Map<number, Set<QueueFlag>>();
  const wants = (f: QueueFlag) => !only || only === f;
  const flag = (id: number, f: QueueFlag) => {
    if (!wants(f)) return;
    let set = flags.get(id);
    if (!set) flags.set(id, (set = new Set()));
    set.add(f);
  };
  if (wants('recommend_reject')) for (const id of queueRecommendReject(scope)) flag(id, 'recommend_reject');
  if (wants('values_concerns') || wants('perception_conditions')) {
    for (const s of queueStepOutcomes(scope)) {
      if (s.step === 'values' && s.outcome !== 'compatible') flag(s.proposal_id, 'values_concerns');
      if (s.step === 'perception' && s.outcome === 'acceptable_with_conditions') flag(s.proposal_id, 'perception_conditions');
    }
  }
  if (wants('agenda_conflicts') || wants('unknown_items')) {
    for (const a of queueAgendaCounts(scope)) {
      if (a.conflicting > 0) flag(a.proposal_id, 'agenda_conflicts');
      if (a.unknown > 0) flag(a.proposal_id, 'unknown_items');
    }
  }
  if (wants('critical_risk')) for (const id of queueCriticalRisks(scope)) flag(id, 'critical_risk');
  if (wants('screening_hits')) for (const id of proposalsWithOpenHits(queueScreeningHits(scope))) flag(id, 'screening_hits');
  return flags;
}

/**
 * The proposals waiting for staff, oldest submission first, each with its
 * flags. Only the page shown is read in full; a flag filter first finds the
 * queue's proposals with that one flag. A fixed number of queries either way.
 */
export function reviewQueue(query: QueueQuery, today: string, viewer?: ActingUser) {
  const filter: QueueFilter = { chapterId: query.chapterId, campaignId: query.campaignId };
  let rows: QueueRow[];
  let flags: Map<number, Set<QueueFlag>>;
  let total: number;
  let page = query.page;
  const clamp = (n: number) => Math.min(page, Math.max(1, Math.ceil(n / QUEUE_PAGE_SIZE)));
  if (!query.flag) {
    total = countQueue(filter);
    page = clamp(total);
    const scope = { ...filter, limit: QUEUE_PAGE_SIZE, offset: (page - 1) * QUEUE_PAGE_SIZE };
    rows = queueRows(scope);
    flags = queueFlags(scope);
  } else {
    const flagged = queueFlags(filter, query.flag);
    const matching = queueOrder(filter).filter((id) => flagged.has(id));
    total = matching.length;
    page = clamp(total);
    const ids = matching.slice((page - 1) * QUEUE_PAGE_SIZE, page * QUEUE_PAGE_SIZE);
    rows = queueRows({ ids });
    flags = queueFlags({ ids });
  }
  const claims = liveClaimsOf(rows.map((r) => r.id));
  const items: QueueItem[] = rows.map((r) => {
    const claimable = viewer ? can(viewer, 'proposal.claim', r) : null;
    return {
      id: r.id,
      waitingDays: r.submitted_at ? daysBetween(r.submitted_at.slice(0, 10), today) : 0,
      claim: viewer ? claimView(claims.get(r.id), viewer) : null,
      mayClaim: claimable?.ok ?? false,
      claimRefusal: claimable && !claimable.ok ? claimable.reason : null,
      reference: r.reference,
      eventTitle: r.event_title,
      eventDate: r.event_date,
      timing: eventTiming(r.event_date, today),
      kind: r.kind,
      submittedAt: r.submitted_at,
      partnerName: r.partner_name,
      chapterName: r.chapter_name,
      campaignName: r.campaign_name,
      flags: QUEUE_FLAGS.filter((f) => flags.get(r.id)?.has(f)),
    };
  });
  const unfiltered = query.chapterId === null && query.campaignId === null && !query.flag;
  return {
    items,
    total,
    waiting: unfiltered ? total : countQueue({}),
    page,
    pages: Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE)),
  };
}

export function queueFilterChoices() {
  return {
    chapters: listChapters().map((c) => ({ id: c.id, name: c.name })),
    campaigns: listCampaigns(false).map((c) => ({ id: c.id, name: c.name })),
    flags: QUEUE_FLAGS,
  };
}

// ---- The dossier ----

export type Control = { ok: true } | { ok: false; reason: string };

function control(user: ActingUser, action: 'proposal.decide' | 'proposal.classify' | 'proposal.override', view: ProposalView): Control {
  const permission = can(user, action, view.proposal);
  if (!permission.ok) return permission;
  if (!isInReview(view.proposal.state)) {
    return { ok: false, reason: `This proposal is not waiting for a decision: it is ${view.proposal.state}.` };
  }
  return { ok: true };
}

export type PartnerPrecedent = {
  id: number;
  reference: string;
  eventTitle: string;
  eventDate: string;
  state: string;
  createdAt: string;
  approvedUntil: string | null;
  chapterName: string;
  campaignName: string;
  earlier: boolean;
  decisions: {
    seq: number;
    step: string;
    outcome: string;
    actorName: string;
    at: string;
    rationale: string;
    conditions: string[];
  }[];
};

export type AgendaItemPrecedent = {
  itemId: number;
  text: string;
  matches: (AgendaPrecedent & { matchedBy: ('text' | 'position')[] })[];
};

function partnerPrecedent(partnerId: number, proposalId: number, limit: number): PartnerPrecedent[] {
  const proposals = partnerPrecedentProposals(partnerId, proposalId, limit);
  // Only the listed proposals' decisions: a much-asked partner has thousands.
  const decisions = precedentDecisionsOf(
    proposals.map((p) => p.id),
    limit * 10,
  );
  return proposals.map((p) => ({
    id: p.id,
    reference: p.reference,
    eventTitle: p.event_title,
    eventDate: p.event_date,
    state: p.state,
    createdAt: p.created_at,
    approvedUntil: p.approved_until,
    chapterName: p.chapter_name,
    campaignName: p.campaign_name,
    earlier: p.id < proposalId,
    decisions: decisions
      .filter((d) => d.proposal_id === p.id)
      .map((d) => ({
        seq: d.seq,
        step: d.step,
        outcome: d.outcome,
        actorName: d.actor_name,
        at: d.at,
        rationale: d.rationale,
        conditions: d.conditions ? (JSON.parse(d.conditions) as string[]) : [],
      })),
  }));
}

function agendaPrecedent(view: ProposalView): AgendaItemPrecedent[] {
  // The view's agenda items carry no normalized text; the current rows do.
  const normalizedOf = new Map(currentAgendaItems(view.proposal.id).map((a) => [a.id, a.normalized_text]));
  const byText = new Map<string, AgendaPrecedent[]>();
  const byPosition = new Map<string, AgendaPrecedent[]>();
  const out: AgendaItemPrecedent[] = [];
  for (const item of view.agendaItems) {
    const normalized = normalizedOf.get(item.id) ?? null;
    if (normalized !== null && !byText.has(normalized)) byText.set(normalized, agendaPrecedentByText(normalized, view.proposal.id));
    if (item.positionKey && !byPosition.has(item.positionKey)) {
      byPosition.set(item.positionKey, agendaPrecedentByPosition(item.positionKey, view.proposal.id));
    }
    const matches = new Map<number, AgendaPrecedent & { matchedBy: ('text' | 'position')[] }>();
    for (const m of normalized !== null ? (byText.get(normalized) ?? []) : []) matches.set(m.item_id, { ...m, matchedBy: ['text'] });
    for (const m of item.positionKey ? (byPosition.get(item.positionKey) ?? []) : []) {
      const seen = matches.get(m.item_id);
      if (seen) seen.matchedBy.push('position');
      else matches.set(m.item_id, { ...m, matchedBy: ['position'] });
    }
    if (matches.size > 0) out.push({ itemId: item.id, text: item.text, matches: [...matches.values()] });
  }
  return out;
}

export type Dossier = ReturnType<typeof reviewDossier>;

/**
 * Everything staff need to decide one proposal, with the MOU changes since this staff member last
 * read it. Reading writes nothing: a decision (or the versions page's POST) marks the MOU as read.
 */
export function reviewDossier(proposalId: number, viewer: ActingUser, today: string, options: { allPrecedent?: boolean } = {}) {
  const view = proposalView(proposalId, viewer);
  if (!view) return null;
  const { proposal } = view;
  const config = activeConfig();

  const agenda = agendaPrecedent(view);

  const mou = mouForDossier(proposalId, viewer.id);
  const unknownItems = view.agendaItems.some((i) => i.classification === 'unknown');

  const values = view.submissions.values;
  const perception = view.submissions.perception;
  const risk = view.submissions.risk;
  const criteria = new Map(config.docs.values_criteria.criteria.map((c) => [c.key, c.label]));
  const checklist = new Map(config.docs.perception_checklist.items.map((i) => [i.key, i.label]));
  const fillClause = fillForProposal(proposalId);

  const screenings = screeningsOfProposal(proposalId);
  const screening: Screening | null = screenings[0] ?? null;
  // When the latest check failed or was off, the last answer the service did give is still what staff weigh.
  const screeningLastAnswer =
    screening && (screening.status === 'error' || screening.status === 'off')
      ? (screenings.find((s) => s.status === 'hits' || s.status === 'clear') ?? null)
      : null;
  const weighed = screeningLastAnswer ?? screening;
  // "Approved until" defaults to the event date; once that has passed there is no default,
  // so an approval never silently ends today or earlier: staff choose the date.
  const endDefault = proposal.event_date >= today ? proposal.event_date : null;
  const endMax = addMonthsIso(today, 12);

  // Only what the page shows travels to the browser: not the workflow snapshot nor the raw submissions.
  const { workflow: _workflow, ...proposalShown } = proposal;
  return {
    view: {
      proposal: proposalShown,
      partner: view.partner,
      steps: view.steps,
      records: view.records,
      agendaItems: view.agendaItems,
      riskItems: view.riskItems,
      riskMatrix: view.riskMatrix,
    },
    today,
    timing: eventTiming(proposal.event_date, today),
    previous: proposal.previous_proposal_id ? (proposalSummary(proposal.previous_proposal_id) ?? null) : null,
    partnerPrecedent: partnerPrecedent(proposal.partner_id, proposal.id, options.allPrecedent ? PRECEDENT_MAX : PRECEDENT_FEW),
    partnerPrecedentCount: partnerPrecedentCount(proposal.partner_id, proposal.id),
    partnerPrecedentAll: Boolean(options.allPrecedent),
    agendaPrecedent: agenda,
    values: values
      ? {
          outcome: values.outcome,
          result: values.result as ValuesResult,
          ratings: Object.entries((values.data as { ratings: Record<string, { rating: string; evidence: string; links: string[]; attachments?: AttachmentRef[] }> }).ratings).map(
            ([key, r]) => ({ key, label: criteria.get(key) ?? key, ...r }),
          ),
          at: values.submitted_at,
          seq: values.decision_seq,
        }
      : null,
    risk: risk
      ? {
          outcome: risk.outcome,
          arithmetic: recordedRiskArithmetic(risk.result as RiskResult, config.docs.risk_matrix.closeMarginPercent),
          // The evidence files of each item, in the register's order (item n of the submission).
          files: (risk.data as { items: RiskItemInput[] }).items.flatMap((item, index) =>
            item.attachments?.length ? [{ index, kind: item.kind, description: item.description, attachments: item.attachments }] : [],
          ),
          at: risk.submitted_at,
          seq: risk.decision_seq,
        }
      : null,
    perception: perception
      ? {
          outcome: perception.outcome,
          // The clause text as the MOU has it: placeholders filled with this proposal's facts.
          conditions: (perception.result as PerceptionResult).conditions.map((c) => ({ ...c, clause: fillClause(c.clause) })),
          answers: Object.entries((perception.data as { answers: Record<string, { answer: string; note: string; attachments?: AttachmentRef[] }> }).answers).map(
            ([key, a]) => ({ key, label: checklist.get(key) ?? key, ...a }),
          ),
          at: perception.submitted_at,
          seq: perception.decision_seq,
        }
      : null,
    agendaOutcome: view.submissions.agenda ? { outcome: view.submissions.agenda.outcome, seq: view.submissions.agenda.decision_seq } : null,
    mouStep: view.submissions.mou
      ? { outcome: view.submissions.mou.outcome, data: view.submissions.mou.data as { notNeeded?: string; mouVersion?: number } }
      : null,
    mou,
    // What the partner said about itself (partner-provided evidence, shown apart from the steps' judgments).
    partnerEvidence: partnerEvidenceOf(proposalId),
    screening,
    screeningLastAnswer,
    screeningOn: screeningConfig().enabled,
    // Listed entities staff judged "not a true match" for this partner: shown on the screening page, not as new hits.
    screeningJudged: weighed?.status === 'hits' ? [...judgedEntityIds(proposal.partner_id)] : [],
    screeningContext: weighed?.status === 'hits' ? screeningContextFor(weighed) : [],
    controls: {
      decide: control(viewer, 'proposal.decide', view),
      classify: control(viewer, 'proposal.classify', view),
      override: control(viewer, 'proposal.override', view),
    },
    returnSteps: stepsStaffMayName(proposal.perception_required === 1),
    overrideTargets: stepsStaffMayName(proposal.perception_required === 1).flatMap((step) =>
      OVERRIDABLE_OUTCOMES[step].map((outcome) => ({ step, outcome, current: view.submissions[step]?.outcome === outcome })),
    ),
    // The catalog and campaigns only feed the classification forms, shown for unknown items only.
    positions: unknownItems
      ? config.docs.positions.positions.map((p) => ({ key: p.key, statement: p.statement, stance: p.stance, campaignKey: p.campaignKey }))
      : [],
    positionsVersion: config.versions.positions,
    campaigns: unknownItems ? listCampaigns(true).map((c) => ({ key: c.key, name: c.name })) : [],
    endDate: { default: endDefault !== null && endDefault > endMax ? endMax : endDefault, min: today, max: endMax },
  };
}

// ---- Screening before the decision ----

/** A screening younger than this is not repeated when staff open the dossier. */
const SCREENING_FRESH_MS = 24 * 3_600_000;
/** A failed screening is tried again after this, not on every page view. */
const SCREENING_RETRY_MS = 15 * 60_000;

export type ScreeningRefresh = { ran: boolean; failure: string | null };

/**
 * Screens the partner again before a staff decision when screening is on and
 * the proposal's latest screening is missing or older than a day. Bounded by
 * the outside-service timeout; a failure is stored (status error) and
 * reported, never thrown: deciding never depends on the service.
 */
export async function refreshScreeningBeforeDecision(
  proposal: { id: number; partner_id: number; state: string },
  now: number = Date.now(),
): Promise<ScreeningRefresh> {
  if (!isInReview(proposal.state) || !screeningConfig().enabled) return { ran: false, failure: null };
  const latest = screeningsOfProposal(proposal.id)[0];
  const age = latest ? now - Date.parse(latest.checkedAt) : Infinity;
  const due = !latest || age >= SCREENING_FRESH_MS || ((latest.status === 'error' || latest.status === 'off') && age >= SCREENING_RETRY_MS);
  if (!due) return { ran: false, failure: null };
  try {
    const outcome = await screenPartner({ partnerId: proposal.partner_id, proposalId: proposal.id, stage: 'decision' });
    return { ran: true, failure: outcome.failure && outcome.failure.kind !== 'off' ? outcome.failure.message : null };
  } catch (error) {
    console.error(`Screening before the decision on proposal ${proposal.id} failed:`, error);
    return { ran: true, failure: 'The screening could not be run.' };
  }
}

/**
 * The scheduled screening: every proposal waiting for a decision whose screening is missing or old is
 * screened again (one at a time, each bounded by the outside-service timeout), so staff open a dossier
 * with a fresh answer and reading it never calls the service. Returns how many were screened.
 */
export async function refreshDueScreenings(now: number = Date.now()): Promise<number> {
  if (!screeningConfig().enabled) return 0;
  let ran = 0;
  for (const id of queueOrder({ chapterId: null, campaignId: null })) {
    const proposal = proposalRow(id);
    if (proposal && (await refreshScreeningBeforeDecision(proposal, now)).ran) ran += 1;
  }
  return ran;
}

/**
 * What the organization itself has said about a list, shown beside a hit on
 * it (seed 003: the organization condemned the October 2021 designations).
 */
const LIST_CONTEXT: Record<string, string> = {
  il_mod_terrorists:
    'On 22 October 2021 Israel’s Minister of Defense declared six leading Palestinian human-rights and civil-society organizations ' +
    '(Al-Haq, Addameer, Defense for Children International – Palestine, the Bisan Center for Research and Development, the Union of ' +
    'Agricultural Work Committees and the Union of Palestinian Women’s Committees) “terrorist organizations” under the 2016 ' +
    'Counter-Terrorism Law. The organization condemned those designations as an attack on human-rights defenders. A listing by this ' +
    'authority is a fact to weigh with what the partner does and what the listing rests on; it is not evidence of wrongdoing by itself.',
};

function screeningContextFor(screening: Pick<Screening, 'hits'>): { list: string; note: string }[] {
  const seen = new Set<string>();
  const notes: { list: string; note: string }[] = [];
  for (const hit of screening.hits) {
    hit.datasets.forEach((dataset, i) => {
      const note = LIST_CONTEXT[dataset];
      if (!note || seen.has(dataset)) return;
      seen.add(dataset);
      notes.push({ list: hit.lists[i] ?? dataset, note });
    });
  }
  return notes;
}

// ---- Deciding ----

/** A key for a new catalog position, from its statement, unique in the catalog. */
export function positionKeyFor(statement: string, taken: Set<string>): string {
  const words = statement
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  // Whole words only, up to 48 characters, so the key stays readable.
  let base = '';
  for (const word of words) {
    const next = base ? `${base}_${word}` : word;
    if (next.length > 48) break;
    base = next;
  }
  base ||= words[0]?.slice(0, 48) || 'position';
  let key = base;
  for (let n = 2; taken.has(key); n += 1) key = `${base}_${n}`;
  return key;
}

class RolledBack extends Error {
  constructor(readonly result: DecideResult) {
    super('rolled back');
  }
}

/**
 * Classifies an agenda item onto a position added to the catalog in the same
 * transaction: if the classification is refused, the catalog is unchanged.
 */
function classifyWithNewPosition(args: {
  proposalId: number;
  version: number;
  actor: ActingUser;
  command: Record<string, unknown>;
  newPosition: NewPosition;
}): DecideResult & { positionKey?: string } {
  try {
    return transaction(() => {
      const { docs } = activeConfig();
      const key = positionKeyFor(args.newPosition.statement, new Set(docs.positions.positions.map((p) => p.key)));
      const position: Position = {
        key,
        campaignKey: args.newPosition.campaignKey,
        statement: args.newPosition.statement,
        stance: args.newPosition.stance,
        keywords: [],
        sources: [],
      };
      addConfigVersion(
        'positions',
        { ...docs.positions, positions: [...docs.positions.positions, position] },
        `Position “${position.statement}” added while classifying an agenda item of proposal ${args.proposalId}.`,
        args.actor.id,
      );
      const result = decide({
        proposalId: args.proposalId,
        expectedVersion: args.version,
        actor: args.actor,
        command: { ...args.command, positionKey: key },
      });
      if (!result.ok) throw new RolledBack(result);
      return { ...result, positionKey: key };
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.result;
    throw error;
  }
}

type NewPosition = { statement: string; stance: 'calls_for' | 'no_position' | 'opposes'; campaignKey: string | null };

/** A staff decision as its form asks for it: the decide() command, on the version the person saw. */
export type ReviewDecision = { intent: ReviewIntent; version: number; command: Record<string, unknown>; newPosition: NewPosition | null };

export type ReviewDecisionResult =
  | { ok: true; intent: ReviewIntent; proposalId: number; reference: string; state: string; seq: number; message: string }
  | {
      ok: false;
      kind: DecisionErrorKind;
      intent: ReviewIntent | null;
      formError: string;
      fieldErrors: Record<string, string[]>;
      /** The records written after the version this person saw (a stale form). */
      changes: ReturnType<typeof recordsSinceVersion>;
    };

const DONE: Record<ReviewIntent, string> = {
  approve: 'Approved',
  reject: 'Rejected',
  request_changes: 'Changes requested on',
  override: 'Step outcome overridden on',
  classify: 'Agenda item classified on',
};

export function decideReview(proposalId: number, actor: ActingUser, decision: ReviewDecision): ReviewDecisionResult {
  const result = decision.newPosition
    ? classifyWithNewPosition({ proposalId, version: decision.version, actor, command: decision.command, newPosition: decision.newPosition })
    : decide({ proposalId, expectedVersion: decision.version, actor, command: decision.command });
  if (result.ok) {
    const main = result.records[0]!;
    return {
      ok: true,
      intent: decision.intent,
      proposalId,
      reference: result.proposal.reference,
      state: result.proposal.state,
      seq: main.seq,
      message: `${DONE[decision.intent]} ${result.proposal.reference} “${result.proposal.event_title}”. Recorded as #${main.seq}.`,
    };
  }
  const error = result.error;
  return {
    ok: false,
    kind: error.kind,
    intent: decision.intent,
    formError: error.message,
    fieldErrors: error.fieldErrors,
    changes: error.kind === 'stale' ? recordsSinceVersion(proposalId, decision.version) : [],
  };
}

export function addMonthsIso(day: string, months: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

// ---- Re-vetting ----

export const REVETTING_HORIZON_DAYS = 30;

export type RevettingEntry = {
  partnerId: number;
  partnerName: string;
  proposalId: number;
  reference: string;
  eventTitle: string;
  chapterName: string;
  state: string;
  approvedUntil: string | null;
  status: 'expired' | 'expiring';
  newer: { id: number; reference: string; state: string } | null;
};

/** Partners whose latest approval has expired or ends within 30 days, soonest first. */
export function revettingList(today: string): RevettingEntry[] {
  const rows = revettingRows(addDaysIso(today, REVETTING_HORIZON_DAYS), 1000);
  const byPartner = new Map<number, RevettingEntry>();
  for (const r of rows) {
    const entry: RevettingEntry = {
      partnerId: r.partner_id,
      partnerName: r.partner_name,
      proposalId: r.id,
      reference: r.reference,
      eventTitle: r.event_title,
      chapterName: r.chapter_name,
      state: r.state,
      approvedUntil: r.approved_until,
      status: expiredAsOf(r.state, r.approved_until, today) !== null ? 'expired' : 'expiring',
      newer: r.newer_id !== null ? { id: r.newer_id, reference: r.newer_reference!, state: r.newer_state! } : null,
    };
    const seen = byPartner.get(r.partner_id);
    // One line per partner: its most recent approval.
    if (!seen || entry.proposalId > seen.proposalId) byPartner.set(r.partner_id, entry);
  }
  return [...byPartner.values()].sort(
    (a, b) => (a.approvedUntil ?? '').localeCompare(b.approvedUntil ?? '') || a.partnerName.localeCompare(b.partnerName),
  );
}
