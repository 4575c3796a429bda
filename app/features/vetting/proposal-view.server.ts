// Everything a proposal page needs, read in one place: the proposal, its partner,
// the stepper computed from the decision records and the machine's context,
// the timeline, the latest step submissions, the agenda and the risk register.
// Shared by the chapter lead's pages and the staff dossier.
import { availableEvents, contextOf, type PersistedVetting, type VettingContext, type VettingEventType } from '../../../workflows/machine';
import { STEPS, type ConfigDocs, type Step } from '../../../workflows/types';
import { activeConfig, configVersion } from '../../../db/config';
import { recordsOfProposal } from '../../../db/decision-log';
import { partnerById, publicPositionsOf } from '../../../db/partners';
import { currentAgendaItems, currentRiskItems, latestSubmissions, proposalById, type ProposalDetail, type StepSubmission } from '../../../db/proposals';
import type { DecisionRecord } from '../../../db/schema';
import type { StepperStep } from '../../components/stepper';
import type { TimelineRecord } from '../../components/timeline';
import type { AgendaMapItem } from '../../components/agenda-map';
import type { HeatMapItem } from '../../components/heat-map';
import { can, currentStepOf, expiredAsOf, isDraft, isRejected, isWithdrawn, partnerLinkStateRefusal, wasApproved, type ActingUser } from '../../../workflows/policy';

/** Outcomes that settle a step (as opposed to staff's classification or override records). */
const STEP_RESULT_OUTCOMES = new Set([
  'compatible',
  'compatible_with_concerns',
  'incompatible',
  'aligned',
  'manageable_divergence',
  'conflict',
  'benefits_outweigh',
  'needs_staff_acceptance',
  'risks_outweigh',
  'no_perception_risk',
  'acceptable_with_conditions',
  'unacceptable',
  'submitted',
  'drafted',
  'mou_not_needed',
  'skipped',
  'not_applicable',
]);

const stepHref = (proposalId: number, step: Step) => `/proposals/${proposalId}/steps/${step}`;

type ChangeRequest = { step: Step; rationale: string; actorName: string; at: string; seq: number };

export type ProposalView = {
  proposal: ProposalDetail;
  partner: { id: number; name: string; website: string | null; country: string; description: string; publicPositions: string[] };
  context: VettingContext;
  steps: StepperStep[];
  records: TimelineRecord[];
  submissions: Partial<Record<Step, StepSubmission>>;
  agendaItems: AgendaMapItem[];
  riskItems: (HeatMapItem & {
    id: number;
    category: string;
    description: string;
    mitigation: string | null;
    score: number;
    band: string;
    residualScore: number | null;
    residualBand: string | null;
  })[];
  riskMatrix: Pick<ConfigDocs['risk_matrix'], 'bands' | 'likelihoodLabels' | 'impactLabels'>;
  returnedTo: Step | null;
  changeRequest: ChangeRequest | null;
  /** The standing approval: its end date and the conditions staff attached (from the record's inputs). */
  approval: { until: string | null; conditions: string[]; rationale: string; actorName: string; at: string; seq: number } | null;
  /** The decision that closed a rejected or withdrawn proposal: who, when and why, for "what happens next". */
  closing: { outcome: 'rejected' | 'withdrawn'; rationale: string; actorName: string; at: string; seq: number } | null;
  /** The day an approval past its end date counts as expired, before (or after) the sweep records it; else null. */
  expiredAsOf: string | null;
  /** The step the lead acts on now (the current vetting state), or null. */
  currentStep: Step | null;
  /** Present when a viewer was given: what they may do here. */
  viewer: {
    canEdit: boolean;
    canWithdraw: boolean;
    /** May send the partner a questionnaire now: the chapter's lead, while the proposal is vetted. */
    canAskPartner: boolean;
    events: VettingEventType[];
  } | null;
};

function toTimeline(r: DecisionRecord): TimelineRecord {
  return {
    seq: r.seq,
    step: r.step,
    outcome: r.outcome,
    actorName: r.actor_name,
    actorRole: r.actor_role,
    at: r.at,
    rationale: r.rationale,
    fromState: r.from_state,
    toState: r.to_state,
  };
}

/** Stepper entries: done / skipped from each step's latest result record, current from the state. */
export function computeSteps(
  proposalId: number,
  state: string,
  context: VettingContext,
  records: Pick<DecisionRecord, 'step' | 'outcome' | 'rationale'>[],
  linkable: boolean,
): StepperStep[] {
  const latest = new Map<string, { outcome: string; rationale: string }>();
  for (const r of records) if (STEP_RESULT_OUTCOMES.has(r.outcome)) latest.set(r.step, r);
  const stateIndex = (STEPS as readonly string[]).indexOf(state);
  return STEPS.map((step, index) => {
    const last = latest.get(step);
    const href = linkable ? stepHref(proposalId, step) : null;
    if (stateIndex >= 0 && index === stateIndex) {
      return { step, status: context.returnedTo === step ? 'returned' : 'current', outcome: null, reason: null, href };
    }
    // In a vetting state, the steps after it are redone in order (also after a change request).
    const ahead = isDraft(state) || (stateIndex >= 0 && index > stateIndex);
    if (!ahead && last) {
      if (last.outcome === 'skipped' || last.outcome === 'not_applicable') {
        return { step, status: 'skipped', outcome: last.outcome, reason: last.rationale, href: null };
      }
      return { step, status: 'done', outcome: last.outcome, reason: null, href };
    }
    let reason: string | null = null;
    if (step === 'perception' && stateIndex > STEPS.indexOf('agenda')) {
      reason = context.perceptionRequired
        ? 'Required by the agenda mapping.'
        : 'Not required so far: it will be recorded as not applicable.';
    } else if (ahead && last) {
      reason = 'To be submitted again.';
    }
    return { step, status: 'todo', outcome: null, reason, href: null };
  });
}

const positionCache = new Map<number, Map<string, string>>();
function positionStatements(version: number): Map<string, string> {
  let map = positionCache.get(version);
  if (!map) {
    const doc = configVersion('positions', version) ?? activeConfig().docs.positions;
    map = new Map(doc.positions.map((p) => [p.key, p.statement]));
    positionCache.set(version, map);
  }
  return map;
}

/** The conditions staff attached to an approval, read from its record's inputs. */
export function approvalConditions(record: Pick<DecisionRecord, 'inputs'>): string[] {
  try {
    return approvalConditionsOf(JSON.parse(record.inputs));
  } catch {
    // A record whose inputs are not JSON shows no conditions rather than failing the page.
    return [];
  }
}

/** approvalConditions, for inputs already parsed. */
export function approvalConditionsOf(inputs: unknown): string[] {
  const conditions = (inputs as { command?: { conditions?: unknown } } | null)?.command?.conditions;
  return Array.isArray(conditions) ? conditions.filter((c): c is string => typeof c === 'string') : [];
}

export function proposalView(proposalId: number, viewer?: ActingUser): ProposalView | null {
  const proposal = proposalById(proposalId);
  if (!proposal) return null;
  const partnerRow = partnerById(proposal.partner_id)!;
  const persisted = JSON.parse(proposal.workflow) as PersistedVetting;
  const context = contextOf(persisted);
  const records = recordsOfProposal(proposalId);
  const canEdit = viewer ? can(viewer, 'proposal.edit', proposal).ok : false;
  // What this person may send now: the policy's rights (with the chapter scope) and the statechart together.
  const events = viewer ? availableEvents(persisted, viewer, proposal.chapter_id) : [];
  const steps = computeSteps(proposalId, proposal.state, context, records, true);
  const currentStep = currentStepOf(proposal.state);

  let changeRequest: ChangeRequest | null = null;
  const returnedTo = (context.returnedTo ?? (proposal.returned_to as Step | null)) || null;
  if (returnedTo) {
    const request = [...records].reverse().find((r) => r.outcome === 'changes_requested');
    if (request) {
      changeRequest = { step: returnedTo, rationale: request.rationale, actorName: request.actor_name, at: request.at, seq: request.seq };
    }
  }

  let approval: ProposalView['approval'] = null;
  if (wasApproved(proposal.state)) {
    const record = [...records].reverse().find((r) => r.outcome === 'approved');
    if (record) {
      const conditions = approvalConditions(record);
      approval = { until: proposal.approved_until, conditions, rationale: record.rationale, actorName: record.actor_name, at: record.at, seq: record.seq };
    }
  }

  let closing: ProposalView['closing'] = null;
  if (isRejected(proposal.state) || isWithdrawn(proposal.state)) {
    const record = [...records].reverse().find((r) => r.outcome === 'rejected' || r.outcome === 'withdrawn');
    if (record) {
      closing = { outcome: record.outcome === 'rejected' ? 'rejected' : 'withdrawn', rationale: record.rationale, actorName: record.actor_name, at: record.at, seq: record.seq };
    }
  }

  const agendaItems: AgendaMapItem[] = currentAgendaItems(proposalId).map((a) => ({
    id: a.id,
    text: a.text,
    scope: a.scope,
    classification: a.classification,
    positionKey: a.position_key,
    positionStatement: a.position_key ? (positionStatements(a.positions_version).get(a.position_key) ?? null) : null,
  }));

  const riskItems = currentRiskItems(proposalId).map((r) => ({
    id: r.id,
    label: r.description,
    kind: r.kind === 'benefit' ? ('benefit' as const) : ('risk' as const),
    category: r.category,
    description: r.description,
    likelihood: r.likelihood,
    impact: r.impact,
    mitigation: r.mitigation,
    residualLikelihood: r.residual_likelihood,
    residualImpact: r.residual_impact,
    score: r.score,
    band: r.band,
    residualScore: r.residual_score,
    residualBand: r.residual_band,
  }));
  const submissions = latestSubmissions(proposalId);
  const matrix = riskMatrixJudgedBy(records, submissions.risk?.decision_seq) ?? activeConfig().docs.risk_matrix;

  return {
    proposal,
    partner: {
      id: partnerRow.id,
      name: partnerRow.name,
      website: partnerRow.website,
      country: partnerRow.country,
      description: partnerRow.description,
      publicPositions: publicPositionsOf(partnerRow),
    },
    context,
    steps,
    records: records.map(toTimeline),
    submissions,
    agendaItems,
    riskItems,
    riskMatrix: { bands: matrix.bands, likelihoodLabels: matrix.likelihoodLabels, impactLabels: matrix.impactLabels },
    returnedTo,
    changeRequest,
    approval,
    closing,
    expiredAsOf: expiredAsOf(proposal.state, proposal.approved_until, new Date().toISOString().slice(0, 10)),
    currentStep,
    viewer: viewer
      ? {
          canEdit,
          canWithdraw: events.includes('WITHDRAW'),
          canAskPartner: can(viewer, 'partner_link.create', proposal).ok && partnerLinkStateRefusal(proposal.state) === null,
          events,
        }
      : null,
  };
}

/** The risk matrix the recorded risk step was judged with, so an old record keeps its colours after the bands change. */
function riskMatrixJudgedBy(records: DecisionRecord[], seq: number | undefined): ConfigDocs['risk_matrix'] | undefined {
  const record = seq === undefined ? undefined : records.find((r) => r.seq === seq);
  if (!record) return undefined;
  try {
    const version = (JSON.parse(record.config_versions) as Record<string, unknown>).risk_matrix;
    return typeof version === 'number' ? configVersion('risk_matrix', version) : undefined;
  } catch {
    return undefined;
  }
}
