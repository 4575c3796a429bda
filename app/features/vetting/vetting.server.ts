import {
  evaluateAgenda,
  evaluatePerception,
  evaluateRisk,
  riskSubmitProblems,
  evaluateValues,
  initialVetting,
  transition,
  type PersistedVetting,
  type TransitionRecord,
  type VettingEvent,
} from '../../../workflows';
import type { AgendaClassification, ProposalState, Step } from '../../../workflows/types';
import { activeConfig, type ActiveConfig } from '../../../db/config';
import { nowIso, transaction } from '../../../db/connection';
import { appendRecords, type RecordDraft } from '../../../db/decision-log';
import { upsertMouView } from '../../../db/mou-views';
import { notificationFactsOfRow, notificationFactsOnce } from '../../../db/outside';
import { partnerById, publicPositionsOf } from '../../../db/partners';
import {
  advanceProposal,
  classifyAgendaItem,
  currentAgendaItems,
  deleteStepDraft,
  insertProposal,
  insertStepSubmission,
  latestProposalForPartner,
  latestMouVersionNumber,
  latestStepOutcomes,
  mouVersion,
  proposalForDecision,
  type ProposalForDecision,
  replaceAgendaItems,
  replaceRiskItems,
  type ProposalStatePatch,
} from '../../../db/proposals';
import { canonicalJson, hashOfText } from '../../../db/record-hash';
import type { DecisionRecord, Proposal } from '../../../db/schema';
import { commandSchema, fieldErrorsOf, type Command } from './payloads.server';
import { actionOf, can, isDecided, isInReview, OVERRIDABLE_OUTCOMES, roleFor, type ActingUser } from '../../../workflows/policy';
import { notifyInbox } from '../inbox/inbox.server';
import { enqueueNotifications } from '../../jobs/outbox.server';
import { screeningStanding } from '../outside/screening.server';
import { withEnvReadOnce } from '../../utils/env.server';
import { formatDate } from '../../utils/labels';

export type DecisionErrorKind = 'not_found' | 'stale' | 'forbidden' | 'not_allowed' | 'invalid';

/** Why a decision was refused. Nothing was written when one of these is returned. */
export class DecisionError extends Error {
  constructor(
    readonly kind: DecisionErrorKind,
    message: string,
    readonly fieldErrors: Record<string, string[]> = {},
    readonly currentVersion: number | null = null,
  ) {
    super(message);
    this.name = 'DecisionError';
  }
}

export type DecideResult =
  | { ok: true; proposal: Proposal; records: DecisionRecord[] }
  | { ok: false; error: DecisionError };

const invalid = (message: string, fieldErrors: Record<string, string[]> = {}) =>
  new DecisionError('invalid', message, fieldErrors);

/** An approval's rationale when staff gave none: the leads read it in their inbox and on the record. */
function defaultApprovalRationale(endDate: string, conditions: number): string {
  const terms = conditions === 0 ? '' : ` with ${conditions} condition${conditions === 1 ? '' : 's'}`;
  return `Approved until ${formatDate(endDate)}${terms}.`;
}

function addMonths(isoDay: string, months: number): string {
  const d = new Date(`${isoDay}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

type Prepared = {
  event: VettingEvent;
  /** What the main record says was judged, besides the command itself. */
  judged: Record<string, unknown>;
  rationale: string;
  /** Writes that belong to this step, run in the same transaction after the records. */
  write: (mainRecord: DecisionRecord, at: string) => void;
  patch?: { approved_until?: string | null };
  /** The MOU version the dossier digest read (staff decisions), so the decider's view is recorded without reading it again. */
  dossierMouVersion?: number | null;
};

/**
 * The one entry point for every decision: validate, authorize, run the pure
 * transition, then write step data, records and the proposal's new state in
 * ONE transaction. A refusal returns a DecisionError and writes nothing.
 */
export function decide(args: {
  proposalId: number;
  expectedVersion: number;
  actor: ActingUser;
  command: unknown;
}): DecideResult {
  try {
    return { ok: true, ...decideOrThrow(args) };
  } catch (error) {
    if (error instanceof DecisionError) return { ok: false, error };
    throw error;
  }
}

function decideOrThrow(args: {
  proposalId: number;
  expectedVersion: number;
  actor: ActingUser;
  command: unknown;
}): { proposal: Proposal; records: DecisionRecord[] } {
  // The command's shape needs no database: checked before the lock, reported after not_found.
  const parsed = commandSchema.safeParse(args.command);

  // Everything from here runs in the decision's one write transaction: the proposal, the chain
  // heads and the configuration stamp are read in one statement under the lock, so the checks
  // below and the writes see one state; a refusal rolls back and writes nothing.
  return withEnvReadOnce(() =>
    transaction(() => {
      const start = proposalForDecision(args.proposalId);
      if (!start) throw new DecisionError('not_found', 'There is no such proposal.');
      const { proposal } = start;
      if (!parsed.success) throw invalid('Some fields need attention.', fieldErrorsOf(parsed.error));
      const command = parsed.data;

      const action = actionOf(command.type);
      const permission = can(args.actor, action, proposal);
      if (!permission.ok) throw new DecisionError('forbidden', permission.reason);

      if (proposal.version !== args.expectedVersion) {
        throw new DecisionError(
          'stale',
          'This proposal was changed after you opened it, by someone else or by you in another tab. Your input is kept below; review the changes and submit again.',
          {},
          proposal.version,
        );
      }
      return decideLocked(args, start, command, action);
    }),
  );
}

function decideLocked(
  args: { proposalId: number; expectedVersion: number; actor: ActingUser },
  start: ProposalForDecision,
  command: Command,
  action: ReturnType<typeof actionOf>,
): { proposal: Proposal; records: DecisionRecord[] } {
  const { actor } = args;
  const { proposal } = start;
  const config = activeConfig(start.newestConfigId);
  // Cited by every record and step submission of this decision.
  const configVersions = config.versionsJson;
  const prepared = prepare(command, proposal, actor, config, configVersions, start.hasDrafts);
  const persisted = JSON.parse(proposal.workflow) as PersistedVetting;
  const next = transition(persisted, prepared.event);
  if (!next.ok) throw new DecisionError('not_allowed', next.reason);

  const at = nowIso();
  const role = roleFor(actor, action);
  const proposalFacts = {
    reference: proposal.reference,
    partnerId: proposal.partner_id,
    eventTitle: proposal.event_title,
    eventDate: proposal.event_date,
    version: proposal.version,
  };
  const workflow = JSON.stringify(next.persisted);
  // The snapshot holds the proposer and the last changer (four-eyes): its hash
  // goes into the record, so an edited snapshot no longer verifies.
  const workflowSha256 = hashOfText(workflow);
  const drafts: RecordDraft[] = next.records.map((r: TransitionRecord, index: number) => {
    // The event's own record (even a system one, like EXPIRE) carries the command and
    // its rationale; the records after it are the rules' consequences.
    const main = index === 0;
    return {
      proposalId: proposal.id,
      partnerId: proposal.partner_id,
      chapterId: proposal.chapter_id,
      campaignId: proposal.campaign_id,
      step: r.step,
      outcome: r.outcome,
      actorId: r.bySystem ? null : actor.id || null,
      actorName: r.bySystem ? 'Cosponsor rules' : actor.name,
      actorRole: r.bySystem ? 'system' : role,
      rationale: main ? prepared.rationale : (r.rule ?? ''),
      inputs: canonicalJson(
        main ? { command, judged: prepared.judged, proposal: proposalFacts, workflowSha256 } : { rule: r.rule, proposal: proposalFacts },
      ),
      configVersions,
      fromState: r.from,
      toState: r.to,
    };
  });

  const context = next.context;
  const state = next.state as ProposalState;
  const patch: ProposalStatePatch = {
    state,
    workflow,
    recommend_reject: context.recommendReject.length > 0 ? 1 : 0,
    perception_required: context.perceptionRequired ? 1 : 0,
    returned_to: context.returnedTo,
    last_changed_by: context.lastChangedById,
    ...(isInReview(state) && !isInReview(proposal.state) ? { submitted_at: at } : {}),
    ...(isDecided(state) ? { decided_at: at } : {}),
    ...prepared.patch,
  };
  const moved = advanceProposal(proposal.id, args.expectedVersion, patch, at);
  if (!moved) {
    throw new DecisionError(
      'stale',
      'This proposal was changed at the same moment, by someone else or by you in another tab. Your input is kept below; review the changes and submit again.',
    );
  }
  const records = appendRecords(drafts, at, start.heads);
  prepared.write(records[0]!, at);
  // A staff decision is taken on the MOU as it stands: the decider has read that version.
  const mou =
    action !== 'proposal.decide' ? null : prepared.dossierMouVersion !== undefined ? prepared.dossierMouVersion : latestMouVersionNumber(proposal.id);
  if (mou !== null) upsertMouView(actor.id, proposal.id, mou, at);
  // The row as it now stands: the version check above proves nobody else changed it
  // since it was read (every write to a proposal moves its version), so it is the
  // row read plus what advanceProposal set; no second read.
  const now: Proposal = { ...proposal, version: args.expectedVersion + 1, updated_at: at };
  for (const [column, value] of Object.entries(patch)) if (value !== undefined) (now as Record<string, unknown>)[column] = value;
  // Queued in this transaction, delivered after commit (docs/decisions/0030). The
  // e-mails, channel messages and inbox rows quote the same names, read with the proposal.
  const factsOf = notificationFactsOnce(start.names ? notificationFactsOfRow(now, start.names) : undefined);
  enqueueNotifications(records, factsOf);
  notifyInbox(proposal, records, factsOf);
  return { proposal: now, records };
}

function prepare(
  command: Command,
  proposal: Proposal,
  actor: ActingUser,
  config: ActiveConfig,
  configVersions: string,
  hasDrafts: boolean,
): Prepared {
  // The same configuration the records will cite: read once per decision.
  const { docs, versions } = config;
  const base = { actor: { id: actor.id, roles: actor.roles } };
  const noWrite = () => {};
  const submission = (step: Step, data: unknown, result: unknown, outcome: string) => (record: DecisionRecord, at: string) => {
    const id = insertStepSubmission({
      proposalId: proposal.id,
      step,
      data,
      result,
      outcome,
      configVersions,
      submittedBy: actor.id,
      submittedAt: at,
      decisionSeq: record.seq,
    });
    // A delete that finds nothing still costs a statement in the write transaction.
    if (hasDrafts) deleteStepDraft(proposal.id, step);
    return id;
  };

  // Staff decisions only: their screenings are read once, for the check here and the record below.
  const staffDecision =
    command.type === 'APPROVE' || command.type === 'REJECT' || command.type === 'REQUEST_CHANGES'
      ? { standing: screeningStanding(proposal.id), acknowledgement: command.screeningAcknowledgement }
      : null;
  if (staffDecision) {
    // A screening hit is weighed, not obeyed: staff must say how (docs/outside-services.md).
    const problem = staffDecision.standing.acknowledgementProblem(staffDecision.acknowledgement);
    if (problem) {
      throw invalid('This partner has screening hits: acknowledge them with your reasoning before deciding.', {
        screeningAcknowledgement: [problem],
      });
    }
  }
  const screening = () => ({
    screening: staffDecision ? staffDecision.standing.inputs() : null,
    screeningAcknowledgement: 'screeningAcknowledgement' in command ? (command.screeningAcknowledgement ?? null) : null,
  });

  switch (command.type) {
    case 'SUBMIT_PROPOSAL':
      return { event: { type: 'SUBMIT_PROPOSAL', ...base }, judged: {}, rationale: 'Proposal submitted for vetting.', write: noWrite };

    case 'SUBMIT_VALUES': {
      const errors: Record<string, string[]> = {};
      for (const criterion of docs.values_criteria.criteria) {
        if (!command.input.ratings[criterion.key]) errors[`ratings.${criterion.key}.rating`] = [`Rate “${criterion.label}”.`];
      }
      if (Object.keys(errors).length) throw invalid('Rate every criterion (use “unknown” when you do not know).', errors);
      const result = evaluateValues(docs.values_criteria.criteria, command.input);
      return {
        event: { type: 'SUBMIT_VALUES', outcome: result.outcome, ...base },
        judged: { result, criteria: docs.values_criteria.criteria },
        rationale: result.summary,
        write: (record, at) => void submission('values', command.input, result, result.outcome)(record, at),
      };
    }

    case 'SUBMIT_AGENDA': {
      const positionKeys = new Set(docs.positions.positions.map((p) => p.key));
      const errors: Record<string, string[]> = {};
      command.input.items.forEach((item, i) => {
        if (item.positionKey && !positionKeys.has(item.positionKey)) {
          errors[`items.${i}.positionKey`] = ['This position is not in the current catalog.'];
        }
      });
      if (Object.keys(errors).length) throw invalid('Some agenda items need attention.', errors);
      const publicPositions = publicPositionsOf(partnerById(proposal.partner_id)!);
      const result = evaluateAgenda(command.input.items, docs.positions.positions, { publicPositions });
      return {
        event: {
          type: 'SUBMIT_AGENDA',
          outcome: result.outcome,
          perceptionRequired: result.perceptionRequired,
          perceptionReasons: result.perceptionReasons,
          ...base,
        },
        judged: { result, partnerPublicPositions: publicPositions },
        rationale: result.summary,
        write: (record, at) => {
          const id = submission('agenda', command.input, result, result.outcome)(record, at);
          replaceAgendaItems(proposal.id, id, command.input.items, versions.positions);
        },
      };
    }

    case 'SUBMIT_RISK': {
      const problems = riskSubmitProblems(command.input.items);
      // The categories are the matrix's, as an agenda item's position is the catalog's.
      const categories = new Set(docs.risk_matrix.categories);
      command.input.items.forEach((item, index) => {
        if (!categories.has(item.category)) problems.push({ index, field: 'category', message: 'Choose a category from the list.' });
      });
      if (problems.length > 0) {
        const errors: Record<string, string[]> = {};
        for (const p of problems) {
          const key = p.index === null ? 'items' : `items.${p.index}.${p.field ?? 'description'}`;
          (errors[key] ??= []).push(p.message);
        }
        throw invalid(problems.map((p) => p.message).join(' '), errors);
      }
      const result = evaluateRisk(command.input.items, docs.risk_matrix);
      return {
        event: { type: 'SUBMIT_RISK', outcome: result.outcome, ...base },
        judged: { result },
        rationale: result.arithmetic,
        write: (record, at) => {
          const id = submission('risk', command.input, result, result.outcome)(record, at);
          replaceRiskItems(proposal.id, id, result.items);
        },
      };
    }

    case 'SUBMIT_PERCEPTION': {
      const result = evaluatePerception(docs.perception_checklist, command.input);
      if (result.unanswered.length > 0) {
        const errors: Record<string, string[]> = {};
        for (const key of result.unanswered) errors[`answers.${key}.answer`] = ['Answer this item.'];
        throw invalid('Answer every item of the checklist.', errors);
      }
      return {
        event: { type: 'SUBMIT_PERCEPTION', outcome: result.outcome, ...base },
        judged: { result, checklist: docs.perception_checklist },
        rationale: result.summary,
        write: (record, at) => void submission('perception', command.input, result, result.outcome)(record, at),
      };
    }

    case 'SUBMIT_MOU': {
      const mou = mouVersion(proposal.id);
      if (!mou) throw invalid('Save a draft of the MOU before submitting it.', { form: ['There is no saved MOU yet.'] });
      return {
        event: { type: 'SUBMIT_MOU', mouVersion: mou.version, ...base },
        judged: { mouVersion: mou.version, sections: mou.sections, removedConditions: mou.removed_conditions },
        rationale: `MOU version ${mou.version} submitted with the proposal.`,
        write: (record, at) =>
          void submission('mou', { mouVersion: mou.version }, { mouVersion: mou.version }, 'drafted')(record, at),
      };
    }

    case 'MOU_NOT_NEEDED':
      return {
        event: { type: 'MOU_NOT_NEEDED', reason: command.reason, ...base },
        judged: {},
        rationale: command.reason,
        write: (record, at) =>
          void submission('mou', { notNeeded: command.reason }, { notNeeded: true }, 'mou_not_needed')(record, at),
      };

    case 'APPROVE': {
      const today = nowIso().slice(0, 10);
      const endDate = command.endDate ?? proposal.event_date;
      const latest = addMonths(today, 12);
      if (endDate < today) throw invalid('The end date is in the past.', { endDate: ['Choose today or a later date.'] });
      if (endDate > latest) {
        throw invalid('An approval lasts at most 12 months.', { endDate: [`Choose a date on or before ${formatDate(latest)}.`] });
      }
      const dossier = dossierDigest(proposal.id);
      return {
        event: { type: 'APPROVE', endDate, conditions: command.conditions, ...base },
        judged: { endDate, conditions: command.conditions, dossier, ...screening() },
        rationale: command.rationale || defaultApprovalRationale(endDate, command.conditions.length),
        write: noWrite,
        patch: { approved_until: endDate },
        dossierMouVersion: dossier.mouVersion,
      };
    }

    case 'REJECT': {
      const dossier = dossierDigest(proposal.id);
      return {
        event: { type: 'REJECT', rationale: command.rationale, ...base },
        judged: { dossier, ...screening() },
        rationale: command.rationale,
        write: noWrite,
        dossierMouVersion: dossier.mouVersion,
      };
    }

    case 'REQUEST_CHANGES': {
      if (command.step === 'perception' && !proposal.perception_required) {
        throw invalid('This proposal needs no perception review.', { step: ['Choose a step this proposal went through.'] });
      }
      const dossier = dossierDigest(proposal.id);
      return {
        event: { type: 'REQUEST_CHANGES', step: command.step, rationale: command.rationale, requireMou: command.requireMou === true, ...base },
        judged: { step: command.step, requireMou: command.requireMou === true, dossier, ...screening() },
        rationale: command.rationale,
        write: noWrite,
        dossierMouVersion: dossier.mouVersion,
      };
    }

    case 'WITHDRAW':
      return { event: { type: 'WITHDRAW', reason: command.reason, ...base }, judged: {}, rationale: command.reason, write: noWrite };

    case 'EXPIRE':
      return {
        event: { type: 'EXPIRE', ...base },
        judged: { approvedUntil: proposal.approved_until },
        rationale: `The approval ended on ${proposal.approved_until}; the partnership needs re-vetting.`,
        write: noWrite,
      };

    case 'OVERRIDE_OUTCOME': {
      if (!OVERRIDABLE_OUTCOMES[command.step].includes(command.outcome)) {
        throw invalid('That outcome does not exist for this step.', { outcome: ['Choose one of the step’s outcomes.'] });
      }
      return {
        event: { type: 'OVERRIDE_OUTCOME', step: command.step, outcome: command.outcome, rationale: command.rationale, ...base },
        judged: { step: command.step, outcome: command.outcome },
        rationale: command.rationale,
        write: noWrite,
      };
    }

    case 'CLASSIFY_AGENDA_ITEM': {
      const item = currentAgendaItems(proposal.id).find((i) => i.id === command.itemId);
      if (!item) throw invalid('That agenda item is not part of this proposal.', { itemId: ['Unknown item.'] });
      if (command.positionKey && !docs.positions.positions.some((p) => p.key === command.positionKey)) {
        throw invalid('That position is not in the current catalog.', { positionKey: ['Unknown position.'] });
      }
      // Re-judge the whole agenda with this item classified: a no-position item
      // tied to a perception-sensitive movement now calls for the perception review.
      const partner = partnerById(proposal.partner_id)!;
      const reassessed = evaluateAgenda(
        currentAgendaItems(proposal.id).map((i) => ({
          text: i.text,
          scope: i.scope as 'general' | 'event',
          classification: (i.id === item.id ? command.classification : i.classification) as AgendaClassification,
          positionKey: i.id === item.id ? command.positionKey : i.position_key,
        })),
        docs.positions.positions,
        { publicPositions: publicPositionsOf(partner) },
      );
      return {
        event: {
          type: 'CLASSIFY_AGENDA_ITEM',
          itemId: command.itemId,
          classification: command.classification,
          positionKey: command.positionKey,
          perceptionRequired: reassessed.perceptionRequired,
          perceptionReasons: reassessed.perceptionReasons,
          ...base,
        },
        judged: {
          item: { id: item.id, text: item.text, before: item.classification },
          positionsVersion: versions.positions,
          agendaAfter: { outcome: reassessed.outcome, perceptionRequired: reassessed.perceptionRequired },
        },
        rationale: command.rationale || `“${item.text}” classified as ${command.classification.replace('_', ' ')}.`,
        write: (_record, at) =>
          classifyAgendaItem(item.id, {
            classification: command.classification,
            position_key: command.positionKey,
            positions_version: versions.positions,
            classified_by: actor.id,
            classified_at: at,
          }),
      };
    }

    case 'REOPEN_FOR_REVIEW':
      return {
        event: { type: 'REOPEN_FOR_REVIEW', reason: command.reason, ...base },
        judged: { mouVersion: latestMouVersionNumber(proposal.id) },
        rationale: command.reason,
        write: noWrite,
        patch: { approved_until: null },
      };
  }
}

/** What staff had in front of them: the record each step's data came from. */
function dossierDigest(proposalId: number) {
  const submissions = latestStepOutcomes(proposalId);
  return {
    steps: Object.fromEntries(
      Object.entries(submissions).map(([step, s]) => [step, { outcome: s!.outcome, recordSeq: s!.decision_seq }]),
    ),
    mouVersion: latestMouVersionNumber(proposalId),
  };
}

export type NewProposalInput = {
  partnerId: number;
  campaignId: number;
  eventTitle: string;
  eventDate: string;
  eventPlace: string;
  eventDescription: string;
  kind: string;
};

/** Opens a proposal in draft, with the record of its creation. */
export function createProposal(actor: ActingUser, input: NewProposalInput, options: { creationToken?: string } = {}): { id: number; reference: string } {
  const permission = can(actor, 'proposal.create');
  if (!permission.ok) throw new DecisionError('forbidden', permission.reason);
  const partner = partnerById(input.partnerId);
  if (!partner) throw invalid('Choose a partner.', { partnerId: ['Unknown partner.'] });
  const config = activeConfig();
  const at = nowIso();
  const workflow = JSON.stringify(initialVetting(actor.id));
  return transaction(() => {
    const previous = latestProposalForPartner(input.partnerId);
    const created = insertProposal({
      ...input,
      chapterId: actor.chapterId!,
      proposerId: actor.id,
      workflow,
      previousProposalId: previous?.id ?? null,
      createdAt: at,
      creationToken: options.creationToken ?? null,
    });
    appendRecords(
      [
        {
          proposalId: created.id,
          partnerId: input.partnerId,
          chapterId: actor.chapterId!,
          campaignId: input.campaignId,
          step: 'proposal',
          outcome: 'created',
          actorId: actor.id,
          actorName: actor.name,
          actorRole: 'chapter_lead',
          rationale: `Proposed co-sponsoring “${input.eventTitle}” with ${partner.name}.`,
          inputs: canonicalJson({
            proposal: { reference: created.reference, ...input, partnerName: partner.name },
            previousProposalId: previous?.id ?? null,
            workflowSha256: hashOfText(workflow),
          }),
          configVersions: config.versionsJson,
          fromState: null,
          toState: 'draft',
        },
      ],
      at,
    );
    return created;
  });
}

