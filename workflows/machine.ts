// The vetting statechart. Pure: the service restores a persisted snapshot, sends one event,
// and writes one decision record per entry of `records` (the transitions of that event only).
import { and, assign, createActor, getNextTransitions, setup } from 'xstate';
import {
  AGENDA_CLASSIFICATIONS,
  AGENDA_OUTCOMES,
  PERCEPTION_OUTCOMES,
  RISK_OUTCOMES,
  STATE_LABELS,
  STEPS,
  VALUES_OUTCOMES,
  type Actor,
  type AgendaClassification,
  type AgendaOutcome,
  type PerceptionOutcome,
  type ProposalState,
  type RecordStep,
  type RiskOutcome,
  type Step,
  type ValuesOutcome,
} from './types';
import {
  OVERRIDABLE_OUTCOMES,
  REJECT_OUTCOME,
  actorRefusal,
  returnStepRefusal,
  stepLabel,
  type PolicySubject,
} from './policy';

export type TransitionRecord = {
  step: RecordStep;
  outcome: string;
  from: ProposalState;
  to: ProposalState;
  /** The rule that produced this record when a rule (not a person) decided it, e.g. a skip. */
  rule: string | null;
  bySystem: boolean;
};

export type VettingContext = {
  proposerId: number;
  lastChangedById: number | null;
  perceptionRequired: boolean;
  perceptionReasons: string[];
  /** e.g. 'Values: incompatible'; replaced whenever that step is recorded again. */
  recommendReject: string[];
  /** Set by REQUEST_CHANGES, cleared when the lead resubmits that step. */
  returnedTo: Step | null;
  mouNotNeededReason: string | null;
  /** Set by REQUEST_CHANGES { requireMou: true }: staff require an MOU, so MOU_NOT_NEEDED is refused. */
  mouRequired: boolean;
  /** The records produced by the LAST event only. */
  transitions: TransitionRecord[];
};

type WithActor = { actor: Actor };
export type VettingEvent =
  | ({ type: 'SUBMIT_PROPOSAL' } & WithActor)
  | ({ type: 'SUBMIT_VALUES'; outcome: ValuesOutcome } & WithActor)
  | ({ type: 'SUBMIT_AGENDA'; outcome: AgendaOutcome; perceptionRequired: boolean; perceptionReasons: string[] } & WithActor)
  | ({ type: 'SUBMIT_RISK'; outcome: RiskOutcome } & WithActor)
  | ({ type: 'SUBMIT_PERCEPTION'; outcome: PerceptionOutcome } & WithActor)
  | ({ type: 'SUBMIT_MOU'; mouVersion: number } & WithActor)
  | ({ type: 'MOU_NOT_NEEDED'; reason: string } & WithActor)
  | ({ type: 'APPROVE'; endDate: string; conditions: string[] } & WithActor)
  | ({ type: 'REJECT'; rationale: string } & WithActor)
  | ({ type: 'REQUEST_CHANGES'; step: Step; rationale: string; requireMou?: boolean } & WithActor)
  | ({ type: 'OVERRIDE_OUTCOME'; step: Step; outcome: string; rationale: string } & WithActor)
  | ({
      type: 'CLASSIFY_AGENDA_ITEM';
      itemId: number;
      classification: AgendaClassification;
      positionKey: string | null;
      /** Optional: the agenda re-evaluated after this classification (evaluateAgenda), to update the perception flag. */
      perceptionRequired?: boolean;
      perceptionReasons?: string[];
    } & WithActor)
  | ({ type: 'WITHDRAW'; reason: string } & WithActor)
  | ({ type: 'EXPIRE' } & WithActor)
  | ({ type: 'REOPEN_FOR_REVIEW'; reason: string } & WithActor);
export type VettingEventType = VettingEvent['type'];

export const VETTING_EVENT_TYPES = [
  'SUBMIT_PROPOSAL',
  'SUBMIT_VALUES',
  'SUBMIT_AGENDA',
  'SUBMIT_RISK',
  'SUBMIT_PERCEPTION',
  'SUBMIT_MOU',
  'MOU_NOT_NEEDED',
  'APPROVE',
  'REJECT',
  'REQUEST_CHANGES',
  'OVERRIDE_OUTCOME',
  'CLASSIFY_AGENDA_ITEM',
  'WITHDRAW',
  'EXPIRE',
  'REOPEN_FOR_REVIEW',
] as const satisfies readonly VettingEventType[];

export const SKIP_RULES = {
  valuesIncompatible: 'Values incompatible: remaining steps skipped',
  perceptionNotRequired:
    'Perception review not required: no perception-sensitive agenda item and the partner profile does not call for it',
  perceptionUnacceptable: 'Perception unacceptable: MOU skipped',
  mouEditedAfterApproval: 'Editing an approved MOU voids the approval',
} as const;

const STEP_LABEL: Record<Step, string> = Object.fromEntries(STEPS.map((s) => [s, stepLabel(s)])) as Record<Step, string>;

const blank = (s: unknown) => typeof s !== 'string' || s.trim().length === 0;

/**
 * Why the event is refused regardless of the state (the policy's rights, then the payload), or null.
 * The machine's single `permitted` guard is exactly `eventRefusal(...) === null`, so the sentence shown
 * to a person and the guard can never disagree. The statechart does not know chapters: the app passes
 * the proposal's chapter to refusalReason so the chapter scope is checked too.
 */
export function eventRefusal(ctx: VettingContext, event: VettingEvent, chapterId?: number | null): string | null {
  const subject: PolicySubject = { proposerId: ctx.proposerId, lastChangedById: ctx.lastChangedById, ...(chapterId !== undefined ? { chapterId } : {}) };
  return actorRefusal(subject, event?.actor, event?.type) ?? payloadRefusal(ctx, event);
}

/** Why the event's content is refused (outcomes, rationale, the perception check), whoever sends it, or null. */
export function payloadRefusal(ctx: VettingContext, event: VettingEvent): string | null {
  switch (event.type) {
    case 'EXPIRE':
    case 'SUBMIT_PROPOSAL':
    case 'WITHDRAW':
    case 'REOPEN_FOR_REVIEW':
      return null;
    case 'SUBMIT_VALUES':
      return (VALUES_OUTCOMES as readonly string[]).includes(event.outcome) ? null : `Unknown values outcome "${event.outcome}".`;
    case 'SUBMIT_AGENDA':
      return (AGENDA_OUTCOMES as readonly string[]).includes(event.outcome) ? null : `Unknown agenda outcome "${event.outcome}".`;
    case 'SUBMIT_RISK':
      return (RISK_OUTCOMES as readonly string[]).includes(event.outcome) ? null : `Unknown risk outcome "${event.outcome}".`;
    case 'SUBMIT_PERCEPTION':
      return (PERCEPTION_OUTCOMES as readonly string[]).includes(event.outcome)
        ? null
        : `Unknown perception outcome "${event.outcome}".`;
    case 'SUBMIT_MOU':
      return Number.isInteger(event.mouVersion) && event.mouVersion > 0 ? null : 'The MOU version must be a positive whole number.';
    case 'MOU_NOT_NEEDED':
      if (ctx.mouRequired) return 'Staff require an MOU for this proposal: draft one instead.';
      return typeof event.reason === 'string' && event.reason.trim().length >= 10
        ? null
        : 'Say in at least 10 characters why no MOU is needed.';
    case 'APPROVE':
      return typeof event.endDate !== 'string' || Number.isNaN(Date.parse(event.endDate))
        ? 'Give an end date for the approval.'
        : !Array.isArray(event.conditions) || event.conditions.some(blank)
          ? 'A condition cannot be empty.'
          : null;
    case 'REJECT':
      return blank(event.rationale) ? 'A rejection needs a rationale.' : null;
    case 'REQUEST_CHANGES':
      return returnStepRefusal(event.step, ctx.perceptionRequired) ?? (blank(event.rationale) ? 'Say why changes are requested.' : null);
    case 'CLASSIFY_AGENDA_ITEM':
      if (!Number.isInteger(event.itemId)) return 'Name the agenda item to classify.';
      return AGENDA_CLASSIFICATIONS.includes(event.classification) ? null : `Unknown classification "${event.classification}".`;
    case 'OVERRIDE_OUTCOME': {
      if (!(STEPS as readonly string[]).includes(event.step)) return 'Name the step whose outcome is overridden.';
      if (event.step === 'perception' && !ctx.perceptionRequired)
        return 'This proposal needs no perception review, so there is no perception outcome to override.';
      const allowed = OVERRIDABLE_OUTCOMES[event.step];
      if (allowed.length === 0) return `The ${STEP_LABEL[event.step]} step has no outcome to override: request changes instead.`;
      if (!allowed.includes(event.outcome)) return `"${event.outcome}" is not an outcome of the ${STEP_LABEL[event.step]} step.`;
      return blank(event.rationale) ? 'An override needs a rationale.' : null;
    }
    default:
      return `Unknown event "${(event as { type?: unknown }).type}".`;
  }
}

// ---- Context reducer: every transition's effect on the context, and its records ----

const NEXT: Record<Step, ProposalState> = { values: 'agenda', agenda: 'risk', risk: 'perception', perception: 'mou', mou: 'review' };

function rec(step: RecordStep, outcome: string, from: ProposalState, to: ProposalState, rule: string | null = null, bySystem = false): TransitionRecord {
  return { step, outcome, from, to, rule, bySystem };
}

/** A record per step, each skipped (or not applicable) by a rule; the chain runs step -> next step. */
function systemRecords(steps: Step[], outcome: string, rule: string): TransitionRecord[] {
  return steps.map((s) => rec(s, outcome, s, NEXT[s], rule, true));
}

/** recommendReject without the reasons about these steps (they are being recorded afresh). */
function withoutSteps(reasons: string[], steps: Step[]): string[] {
  const prefixes = steps.map((s) => `${STEP_LABEL[s]}:`);
  return reasons.filter((r) => !prefixes.some((p) => r.startsWith(p)));
}

function reasonFor(step: Step, outcome: string): string[] {
  return REJECT_OUTCOME[step] === outcome ? [`${STEP_LABEL[step]}: ${outcome}`] : [];
}

/** A lead's (re)submission of a step clears a pending change request on it. */
function clearReturn(ctx: VettingContext, step: Step): Step | null {
  return ctx.returnedTo === step ? null : ctx.returnedTo;
}

/** The new context for `event` taken from state `from`; `to` is the machine's target. */
export function reduceVetting(ctx: VettingContext, event: VettingEvent, from: ProposalState, to: ProposalState): VettingContext {
  const by = event.actor.id;
  switch (event.type) {
    case 'SUBMIT_PROPOSAL':
      return { ...ctx, lastChangedById: by, transitions: [rec('proposal', 'submitted', from, to)] };

    case 'SUBMIT_VALUES': {
      const skip: Step[] = event.outcome === 'incompatible' ? ['agenda', 'risk', 'perception', 'mou'] : [];
      return {
        ...ctx,
        lastChangedById: by,
        returnedTo: clearReturn(ctx, 'values'),
        recommendReject: [...withoutSteps(ctx.recommendReject, ['values', ...skip]), ...reasonFor('values', event.outcome)],
        transitions: [
          rec('values', event.outcome, from, NEXT.values),
          ...systemRecords(skip, 'skipped', SKIP_RULES.valuesIncompatible),
        ],
      };
    }

    case 'SUBMIT_AGENDA':
      return {
        ...ctx,
        lastChangedById: by,
        returnedTo: clearReturn(ctx, 'agenda'),
        perceptionRequired: event.perceptionRequired === true,
        perceptionReasons: Array.isArray(event.perceptionReasons) ? [...event.perceptionReasons] : [],
        recommendReject: withoutSteps(ctx.recommendReject, ['agenda']),
        transitions: [rec('agenda', event.outcome, from, to)],
      };

    case 'SUBMIT_RISK': {
      const skip: Step[] = ctx.perceptionRequired ? [] : ['perception'];
      return {
        ...ctx,
        lastChangedById: by,
        returnedTo: clearReturn(ctx, 'risk'),
        recommendReject: withoutSteps(ctx.recommendReject, ['risk', ...skip]),
        transitions: [
          rec('risk', event.outcome, from, NEXT.risk),
          ...systemRecords(skip, 'not_applicable', SKIP_RULES.perceptionNotRequired),
        ],
      };
    }

    case 'SUBMIT_PERCEPTION': {
      const skip: Step[] = event.outcome === 'unacceptable' ? ['mou'] : [];
      return {
        ...ctx,
        lastChangedById: by,
        returnedTo: clearReturn(ctx, 'perception'),
        recommendReject: [
          ...withoutSteps(ctx.recommendReject, ['perception', ...skip]),
          ...reasonFor('perception', event.outcome),
        ],
        transitions: [
          rec('perception', event.outcome, from, NEXT.perception),
          ...systemRecords(skip, 'skipped', SKIP_RULES.perceptionUnacceptable),
        ],
      };
    }

    case 'SUBMIT_MOU':
    case 'MOU_NOT_NEEDED': {
      const notNeeded = event.type === 'MOU_NOT_NEEDED';
      return {
        ...ctx,
        lastChangedById: by,
        returnedTo: clearReturn(ctx, 'mou'),
        mouNotNeededReason: notNeeded ? event.reason.trim() : null,
        recommendReject: withoutSteps(ctx.recommendReject, ['mou']),
        transitions: [rec('mou', notNeeded ? 'mou_not_needed' : 'submitted', from, to)],
      };
    }

    case 'APPROVE':
      return { ...ctx, transitions: [rec('decision', 'approved', from, to)] };
    case 'REJECT':
      return { ...ctx, transitions: [rec('decision', 'rejected', from, to)] };
    case 'REQUEST_CHANGES':
      return {
        ...ctx,
        returnedTo: event.step,
        mouRequired: ctx.mouRequired || event.requireMou === true,
        transitions: [rec('decision', 'changes_requested', from, to)],
      };

    case 'OVERRIDE_OUTCOME':
      // The override replaces the step's standing outcome, so its reject recommendation follows it.
      // It is a change: the overrider becomes the last changer and may not also decide (four-eyes).
      return {
        ...ctx,
        lastChangedById: by,
        recommendReject: [...withoutSteps(ctx.recommendReject, [event.step]), ...reasonFor(event.step, event.outcome)],
        transitions: [rec(event.step, 'overridden', from, to)],
      };
    case 'CLASSIFY_AGENDA_ITEM':
      return {
        ...ctx,
        lastChangedById: by,
        ...(typeof event.perceptionRequired === 'boolean'
          ? { perceptionRequired: event.perceptionRequired, perceptionReasons: [...(event.perceptionReasons ?? [])] }
          : {}),
        transitions: [rec('agenda', 'classified', from, to)],
      };

    case 'WITHDRAW':
      return { ...ctx, transitions: [rec('proposal', 'withdrawn', from, to)] };
    case 'EXPIRE':
      return { ...ctx, transitions: [rec('proposal', 'expired', from, to, null, true)] };
    case 'REOPEN_FOR_REVIEW':
      return {
        ...ctx,
        lastChangedById: by,
        transitions: [rec('proposal', 'reopened', from, to, SKIP_RULES.mouEditedAfterApproval)],
      };
  }
}

// ---- The machine ----

type Hop = { from: ProposalState; to: ProposalState };
const hop = (from: ProposalState, to: ProposalState) => ({ type: 'apply' as const, params: { from, to } satisfies Hop });
const withdraw = (from: ProposalState) => ({ target: 'withdrawn' as const, guard: 'permitted' as const, actions: hop(from, 'withdrawn') });

export const vettingMachine = setup({
  types: {} as {
    context: VettingContext;
    events: VettingEvent;
    input: { proposerId: number };
  },
  guards: {
    permitted: ({ context, event }) => eventRefusal(context, event) === null,
    valuesIncompatible: ({ event }) => event.type === 'SUBMIT_VALUES' && event.outcome === 'incompatible',
    perceptionRequired: ({ context }) => context.perceptionRequired,
    perceptionUnacceptable: ({ event }) => event.type === 'SUBMIT_PERCEPTION' && event.outcome === 'unacceptable',
    returnsTo: ({ event }, params: { step: Step }) => event.type === 'REQUEST_CHANGES' && event.step === params.step,
  },
  actions: {
    apply: assign(({ context, event }, params: Hop) => reduceVetting(context, event, params.from, params.to)),
  },
}).createMachine({
  id: 'vetting',
  initial: 'draft',
  context: ({ input }) => ({
    proposerId: input.proposerId,
    lastChangedById: null,
    perceptionRequired: false,
    perceptionReasons: [],
    recommendReject: [],
    returnedTo: null,
    mouNotNeededReason: null,
    mouRequired: false,
    transitions: [],
  }),
  states: {
    draft: {
      on: {
        SUBMIT_PROPOSAL: { target: 'values', guard: 'permitted', actions: hop('draft', 'values') },
        WITHDRAW: withdraw('draft'),
      },
    },
    values: {
      on: {
        SUBMIT_VALUES: [
          // Incompatible: agenda, risk, perception and mou are recorded as skipped by the reducer.
          { target: 'review', guard: and(['permitted', 'valuesIncompatible']), actions: hop('values', 'review') },
          { target: 'agenda', guard: 'permitted', actions: hop('values', 'agenda') },
        ],
        WITHDRAW: withdraw('values'),
      },
    },
    agenda: {
      on: {
        SUBMIT_AGENDA: { target: 'risk', guard: 'permitted', actions: hop('agenda', 'risk') },
        WITHDRAW: withdraw('agenda'),
      },
    },
    risk: {
      on: {
        SUBMIT_RISK: [
          { target: 'perception', guard: and(['permitted', 'perceptionRequired']), actions: hop('risk', 'perception') },
          // Perception recorded as not applicable by the reducer.
          { target: 'mou', guard: 'permitted', actions: hop('risk', 'mou') },
        ],
        WITHDRAW: withdraw('risk'),
      },
    },
    perception: {
      on: {
        SUBMIT_PERCEPTION: [
          { target: 'review', guard: and(['permitted', 'perceptionUnacceptable']), actions: hop('perception', 'review') },
          { target: 'mou', guard: 'permitted', actions: hop('perception', 'mou') },
        ],
        WITHDRAW: withdraw('perception'),
      },
    },
    mou: {
      on: {
        SUBMIT_MOU: { target: 'review', guard: 'permitted', actions: hop('mou', 'review') },
        MOU_NOT_NEEDED: { target: 'review', guard: 'permitted', actions: hop('mou', 'review') },
        WITHDRAW: withdraw('mou'),
      },
    },
    review: {
      on: {
        APPROVE: { target: 'approved', guard: 'permitted', actions: hop('review', 'approved') },
        REJECT: { target: 'rejected', guard: 'permitted', actions: hop('review', 'rejected') },
        REQUEST_CHANGES: STEPS.map((step) => ({
          target: step,
          guard: and(['permitted', { type: 'returnsTo', params: { step } }]),
          actions: hop('review', step),
        })),
        // Self-transitions: a record each, the proposal stays in review.
        OVERRIDE_OUTCOME: { guard: 'permitted', actions: hop('review', 'review') },
        CLASSIFY_AGENDA_ITEM: { guard: 'permitted', actions: hop('review', 'review') },
        WITHDRAW: withdraw('review'),
      },
    },
    approved: {
      on: {
        EXPIRE: { target: 'expired', guard: 'permitted', actions: hop('approved', 'expired') },
        REOPEN_FOR_REVIEW: { target: 'review', guard: 'permitted', actions: hop('approved', 'review') },
      },
    },
    rejected: { type: 'final' },
    withdrawn: { type: 'final' },
    expired: { type: 'final' },
  },
});

// ---- Persistence API ----

/** What getPersistedSnapshot returns for this machine, typed: plain JSON. */
export type PersistedVetting = {
  status: 'active' | 'done' | 'error' | 'stopped';
  value: ProposalState;
  context: VettingContext;
  [key: string]: unknown;
};

export type TransitionResult =
  | { ok: true; state: ProposalState; persisted: PersistedVetting; context: VettingContext; records: TransitionRecord[] }
  | { ok: false; reason: string };

/** Event types each state handles at all (before guards), read off the machine once. */
const HANDLED: Record<ProposalState, ReadonlySet<string>> = Object.fromEntries(
  Object.entries(vettingMachine.states).map(([key, node]) => [key, new Set(Object.keys(node.on))]),
) as unknown as Record<ProposalState, ReadonlySet<string>>;

const PHRASE: Record<VettingEventType, string> = {
  SUBMIT_PROPOSAL: 'be submitted',
  SUBMIT_VALUES: 'take a values check',
  SUBMIT_AGENDA: 'take an agenda mapping',
  SUBMIT_RISK: 'take a risk assessment',
  SUBMIT_PERCEPTION: 'take a perception review',
  SUBMIT_MOU: 'take an MOU',
  MOU_NOT_NEEDED: 'be marked as needing no MOU',
  APPROVE: 'be approved',
  REJECT: 'be rejected',
  REQUEST_CHANGES: 'be sent back for changes',
  OVERRIDE_OUTCOME: 'have a step outcome overridden',
  CLASSIFY_AGENDA_ITEM: 'have its agenda items classified',
  WITHDRAW: 'be withdrawn',
  EXPIRE: 'expire',
  REOPEN_FOR_REVIEW: 'be reopened for review',
};

function restore(p: PersistedVetting) {
  // The persisted shape is exactly what getPersistedSnapshot produced; xstate types it loosely.
  // input is required by the machine's typing but ignored when a snapshot is given.
  return createActor(vettingMachine, { snapshot: p as never, input: { proposerId: p.context.proposerId } });
}

/** The initial snapshot's JSON per proposer: starting an actor costs more than creating the proposal's rows. */
const initialJson = new Map<number, string>();

export function initialVetting(proposerId: number): PersistedVetting {
  if (!Number.isInteger(proposerId)) throw new TypeError(`proposerId must be an integer, got ${proposerId}.`);
  let json = initialJson.get(proposerId);
  if (json === undefined) {
    json = JSON.stringify(createActor(vettingMachine, { input: { proposerId } }).getPersistedSnapshot());
    // Bounded: a proposer id is a user id, but a long-running server need not keep them all.
    if (initialJson.size >= 1000) initialJson.clear();
    initialJson.set(proposerId, json);
  }
  // A fresh copy each time: callers own what they get.
  return JSON.parse(json) as PersistedVetting;
}

export function stateOf(p: PersistedVetting): ProposalState {
  return p.value;
}

export function contextOf(p: PersistedVetting): VettingContext {
  return p.context;
}

/** Why the event cannot be taken from this persisted proposal, or null when it can. */
export function refusalReason(p: PersistedVetting, event: VettingEvent, chapterId?: number | null): string | null {
  const state = p.value;
  const handled = HANDLED[state];
  if (!handled) return `Unknown proposal state "${String(state)}".`;
  if (!handled.has(event?.type)) {
    const phrase = PHRASE[event?.type as VettingEventType];
    return phrase ? `A proposal at “${STATE_LABELS[state]}” cannot ${phrase}.` : `Unknown event "${String(event?.type)}".`;
  }
  return eventRefusal(p.context, event, chapterId);
}

export function canTransition(p: PersistedVetting, event: VettingEvent): boolean {
  if (refusalReason(p, event) !== null) return false; // cheap pre-check; also keeps malformed events away from the guards
  return restore(p).getSnapshot().can(event);
}

/**
 * The scope the machine computes a transition in. The machine has no side effects
 * (its only actions are assign), so nothing is ever executed through it; one
 * scope serves every call. Computing the step on the machine directly costs a
 * third of starting an actor for it (bench -- decisions), and gives the same snapshot.
 */
let inertScope: Parameters<typeof vettingMachine.transition>[2] | undefined;
function scope(): Parameters<typeof vettingMachine.transition>[2] {
  if (!inertScope) {
    const self = createActor(vettingMachine, { input: { proposerId: 0 } });
    const none = () => {};
    inertScope = {
      self,
      system: self.system,
      id: '',
      sessionId: '',
      defer: none,
      logger: none,
      stopChild: none,
      emit: none,
      actionExecutor: none,
    } as unknown as Parameters<typeof vettingMachine.transition>[2];
  }
  return inertScope;
}

export function transition(p: PersistedVetting, event: VettingEvent): TransitionResult {
  const reason = refusalReason(p, event);
  if (reason !== null) return { ok: false, reason };
  const step = DIRECT_STEPS.get(p.value)?.get(event.type);
  return step ? directTransition(p, event, step) : machineTransition(p, event);
}

/** The step computed by XState itself: restore the snapshot, send the event, persist the result. */
export function machineTransition(p: PersistedVetting, event: VettingEvent): TransitionResult {
  const snapshot = vettingMachine.resolveState({ value: p.value, context: p.context, historyValue: p.historyValue } as never);
  if (!snapshot.can(event)) return { ok: false, reason: cannot(p.value, event) };
  const next = vettingMachine.transition(snapshot, event, scope());
  if (next.status === 'error') throw next.error;
  const persisted = vettingMachine.getPersistedSnapshot(next) as unknown as PersistedVetting;
  return {
    ok: true,
    state: persisted.value,
    persisted,
    context: persisted.context,
    records: persisted.context.transitions,
  };
}

const cannot = (state: ProposalState, event: VettingEvent) => `A proposal in "${state}" cannot ${PHRASE[event.type]}.`;

// ---- The same step without XState's snapshot machinery ----
//
// Restoring a snapshot, resolving it and persisting the result cost more per decision
// than the rest of the rules together (bench -- decisions). Every state of this chart is
// atomic, with no entry, exit, eventless or delayed transitions, and every action is
// `apply`: so a step is the first candidate transition (in the machine's own order)
// whose guards pass, then reduceVetting for its hop. The candidates, their guards and
// their hops are read off the machine below, never written out again; whatever the
// reading does not recognise is left to machineTransition. A test replays every
// reachable state with every event through both and compares the JSON.

type GuardCall = { type: string; params: unknown };
type DirectCandidate = { target: ProposalState | null; guards: GuardCall[]; hop: Hop };

/** A guard as the machine holds it, as a list of named guards that must all pass; null when it is anything else. */
function guardCalls(guard: unknown): GuardCall[] | null {
  if (guard === undefined) return [];
  if (typeof guard === 'string') return [{ type: guard, params: undefined }];
  if (typeof guard === 'function') {
    // and([...]) is a function carrying its parts; or() and not() are left to XState.
    const { check, guards } = guard as { check?: { name?: string }; guards?: unknown[] };
    if (check?.name !== 'checkAnd' || !Array.isArray(guards)) return null;
    const parts = guards.map(guardCalls);
    return parts.every((g): g is GuardCall[] => g !== null) ? parts.flat() : null;
  }
  if (guard && typeof guard === 'object' && typeof (guard as GuardCall).type === 'string') {
    const { type, params } = guard as GuardCall;
    return [{ type, params }];
  }
  return null;
}

function directCandidate(definition: { target?: readonly { key: string }[]; guard?: unknown; actions?: unknown[]; reenter?: boolean }): DirectCandidate | null {
  const guards = guardCalls(definition.guard);
  const actions = definition.actions ?? [];
  const action = actions[0] as { type?: unknown; params?: Hop } | undefined;
  if (!guards || actions.length !== 1 || action?.type !== 'apply' || !action.params) return null;
  const targets = definition.target ?? [];
  if (targets.length > 1 || definition.reenter) return null;
  const implemented = vettingMachine.implementations.guards as Record<string, unknown>;
  if (!guards.every((g) => typeof implemented[g.type] === 'function')) return null;
  return { target: (targets[0]?.key as ProposalState | undefined) ?? null, guards, hop: action.params };
}

type StateNodeShape = {
  type: string;
  transitions: Map<string, { target?: readonly { key: string }[]; guard?: unknown; actions?: unknown[]; reenter?: boolean }[]>;
  entry: unknown[];
  exit: unknown[];
  always?: unknown;
  after?: unknown[];
  states: Record<string, unknown>;
};

/** Per state and event type, the machine's candidate transitions in order; absent where XState must compute the step. */
const DIRECT_STEPS: Map<string, Map<string, DirectCandidate[]>> = (() => {
  const steps = new Map<string, Map<string, DirectCandidate[]>>();
  const root = vettingMachine.root as unknown as StateNodeShape;
  if (root.entry.length > 0 || root.exit.length > 0 || root.transitions.size > 0) return steps;
  for (const [key, value] of Object.entries(vettingMachine.states)) {
    const node = value as unknown as StateNodeShape;
    const simple =
      (node.type === 'atomic' || node.type === 'final') &&
      node.entry.length === 0 &&
      node.exit.length === 0 &&
      !node.always &&
      (node.after ?? []).length === 0 &&
      Object.keys(node.states).length === 0;
    if (!simple) continue;
    const byEvent = new Map<string, DirectCandidate[]>();
    for (const [eventType, definitions] of node.transitions) {
      const candidates = definitions.map(directCandidate);
      if (!eventType.includes('*') && candidates.every((c): c is DirectCandidate => c !== null)) byEvent.set(eventType, candidates);
    }
    steps.set(key, byEvent);
  }
  return steps;
})();

const FINAL_STATES: ReadonlySet<string> = new Set(
  Object.entries(vettingMachine.states)
    .filter(([, node]) => (node as unknown as StateNodeShape).type === 'final')
    .map(([key]) => key),
);

/** Whether transition() computes this step itself rather than through XState (tests make sure it always does). */
export function isDirectStep(state: ProposalState, eventType: VettingEventType): boolean {
  return DIRECT_STEPS.get(state)?.has(eventType) ?? false;
}

function directTransition(p: PersistedVetting, event: VettingEvent, candidates: DirectCandidate[]): TransitionResult {
  const guards = vettingMachine.implementations.guards as Record<string, (args: { context: VettingContext; event: VettingEvent }, params: unknown) => boolean>;
  const args = { context: p.context, event };
  const chosen = candidates.find((c) => c.guards.every((g) => guards[g.type]!(args, g.params)));
  if (!chosen) return { ok: false, reason: cannot(p.value, event) };
  const state = chosen.target ?? p.value;
  const context = reduceVetting(p.context, event, chosen.hop.from, chosen.hop.to);
  // The shape (and key order) of getPersistedSnapshot: the stored JSON is hashed into the record.
  const persisted: PersistedVetting = {
    status: FINAL_STATES.has(state) ? 'done' : 'active',
    value: state,
    historyValue: p.historyValue ?? {},
    context,
    children: {},
  };
  return { ok: true, state, persisted, context, records: context.transitions };
}

/** A representative valid payload per event type: availability depends on state and actor, not on form input. */
function sampleEvent(type: VettingEventType, actor: Actor): VettingEvent {
  switch (type) {
    case 'SUBMIT_PROPOSAL':
    case 'EXPIRE':
      return { type, actor };
    case 'SUBMIT_VALUES':
      return { type, actor, outcome: 'compatible' };
    case 'SUBMIT_AGENDA':
      return { type, actor, outcome: 'aligned', perceptionRequired: false, perceptionReasons: [] };
    case 'SUBMIT_RISK':
      return { type, actor, outcome: 'benefits_outweigh' };
    case 'SUBMIT_PERCEPTION':
      return { type, actor, outcome: 'no_perception_risk' };
    case 'SUBMIT_MOU':
      return { type, actor, mouVersion: 1 };
    case 'MOU_NOT_NEEDED':
      return { type, actor, reason: 'a reason long enough' };
    case 'APPROVE':
      return { type, actor, endDate: '2000-01-01', conditions: [] };
    case 'REJECT':
      return { type, actor, rationale: 'x' };
    case 'REQUEST_CHANGES':
      return { type, actor, step: 'values', rationale: 'x' };
    case 'OVERRIDE_OUTCOME':
      return { type, actor, step: 'values', outcome: 'compatible', rationale: 'x' };
    case 'CLASSIFY_AGENDA_ITEM':
      return { type, actor, itemId: 1, classification: 'aligned', positionKey: null };
    case 'WITHDRAW':
    case 'REOPEN_FOR_REVIEW':
      return { type, actor, reason: 'x' };
  }
}

/** Event types this actor can send now (for the UI). MOU_NOT_NEEDED is listed unless staff require an MOU. */
export function availableEvents(p: PersistedVetting, actor: Actor, chapterId?: number | null): VettingEventType[] {
  if (!HANDLED[p.value] || HANDLED[p.value].size === 0) return [];
  const snapshot = restore(p).getSnapshot();
  // The machine's own list of what this state handles, each asked with a valid payload.
  const handled = new Set(getNextTransitions(snapshot).map((t) => t.eventType));
  return VETTING_EVENT_TYPES.filter((type) => {
    if (!handled.has(type)) return false;
    const event = sampleEvent(type, actor);
    return refusalReason(p, event, chapterId) === null && snapshot.can(event);
  });
}
