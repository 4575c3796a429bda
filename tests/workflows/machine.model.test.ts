// Model-based tests: xstate/graph walks the statechart, and every walk is replayed through the
// persisted API (transition/canTransition/availableEvents) that the service actually uses.
import { createTestModel, getAdjacencyMap, getSimplePaths, type StatePath } from 'xstate/graph';
import { getNextTransitions, type SnapshotFrom } from 'xstate';
import { describe, expect, it } from 'vitest';
import {
  STATES,
  STEPS,
  SYSTEM_ACTOR,
  actionOf,
  availableEvents,
  can,
  payloadRefusal,
  refusalReason,
  canTransition,
  initialVetting,
  isDirectStep,
  machineTransition,
  stateOf,
  transition,
  vettingMachine,
  type Actor,
  type ActingUser,
  type PersistedVetting,
  type ProposalState,
  type TransitionRecord,
  type VettingEvent,
} from '../../workflows';

type Snap = SnapshotFrom<typeof vettingMachine>;

const PROPOSER: Actor = { id: 1, roles: ['chapter_lead'] };
const STAFF: Actor = { id: 2, roles: ['staff'] };
const PROPOSER_STAFF: Actor = { id: 1, roles: ['chapter_lead', 'staff'] };
const REVIEWER: Actor = { id: 3, roles: ['reviewer'] };
const OTHER_STAFF: Actor = { id: 4, roles: ['staff'] };
const ACTORS = [PROPOSER, STAFF, PROPOSER_STAFF, REVIEWER, OTHER_STAFF, SYSTEM_ACTOR];
const FINAL: ProposalState[] = ['rejected', 'withdrawn', 'expired'];
const DECISIONS = new Set(['APPROVE', 'REJECT', 'REQUEST_CHANGES']);

/** Every event type, with the actor given (each outcome variant that can change the path). */
function eventsBy(actor: Actor): VettingEvent[] {
  return [
    { type: 'SUBMIT_PROPOSAL', actor },
    { type: 'SUBMIT_VALUES', actor, outcome: 'compatible' },
    { type: 'SUBMIT_VALUES', actor, outcome: 'compatible_with_concerns' },
    { type: 'SUBMIT_VALUES', actor, outcome: 'incompatible' },
    { type: 'SUBMIT_AGENDA', actor, outcome: 'aligned', perceptionRequired: false, perceptionReasons: [] },
    { type: 'SUBMIT_AGENDA', actor, outcome: 'manageable_divergence', perceptionRequired: true, perceptionReasons: ['BDS item'] },
    { type: 'SUBMIT_AGENDA', actor, outcome: 'conflict', perceptionRequired: false, perceptionReasons: [] },
    { type: 'SUBMIT_RISK', actor, outcome: 'benefits_outweigh' },
    { type: 'SUBMIT_RISK', actor, outcome: 'needs_staff_acceptance' },
    { type: 'SUBMIT_RISK', actor, outcome: 'risks_outweigh' },
    { type: 'SUBMIT_PERCEPTION', actor, outcome: 'no_perception_risk' },
    { type: 'SUBMIT_PERCEPTION', actor, outcome: 'acceptable_with_conditions' },
    { type: 'SUBMIT_PERCEPTION', actor, outcome: 'unacceptable' },
    { type: 'SUBMIT_MOU', actor, mouVersion: 1 },
    { type: 'MOU_NOT_NEEDED', actor, reason: 'one-off co-listing on the calendar' },
    { type: 'MOU_NOT_NEEDED', actor, reason: 'short' },
    { type: 'APPROVE', actor, endDate: '2026-06-30', conditions: ['Disclaimer on the listing'] },
    { type: 'REJECT', actor, rationale: 'Spokesperson posted antisemitic content.' },
    ...STEPS.map((step): VettingEvent => ({ type: 'REQUEST_CHANGES', actor, step, rationale: 'Please revisit.' })),
    { type: 'REQUEST_CHANGES', actor, step: 'mou', rationale: 'We need an MOU.', requireMou: true },
    { type: 'OVERRIDE_OUTCOME', actor, step: 'values', outcome: 'compatible_with_concerns', rationale: 'Evidence weak.' },
    { type: 'CLASSIFY_AGENDA_ITEM', actor, itemId: 7, classification: 'compatible', positionKey: null },
    { type: 'WITHDRAW', actor, reason: 'Event cancelled.' },
    { type: 'EXPIRE', actor },
    { type: 'REOPEN_FOR_REVIEW', actor, reason: 'MOU edited after approval.' },
  ];
}

const ROUTE_OUTCOMES = new Set(['compatible', 'incompatible', 'aligned', 'manageable_divergence', 'benefits_outweigh', 'no_perception_risk', 'unacceptable']);
const isOutcomeVariant = (e: VettingEvent) => 'outcome' in e && e.type !== 'OVERRIDE_OUTCOME' && !ROUTE_OUTCOMES.has(e.outcome);

// What the walks offer: the lead does the steps, staff decide, the system expires. Decisions by the
// proposer (with and without the staff role) and every event by a reviewer are offered everywhere:
// the guards must refuse them, so they never become edges.
const OFFERED: VettingEvent[] = [
  ...eventsBy(PROPOSER).filter((e) => !DECISIONS.has(e.type) && e.type !== 'EXPIRE'),
  ...eventsBy(STAFF).filter((e) => DECISIONS.has(e.type) || e.type === 'OVERRIDE_OUTCOME' || e.type === 'CLASSIFY_AGENDA_ITEM'),
  ...eventsBy(PROPOSER_STAFF).filter((e) => DECISIONS.has(e.type)),
  ...eventsBy(PROPOSER).filter((e) => DECISIONS.has(e.type)),
  ...eventsBy(REVIEWER),
  { type: 'EXPIRE', actor: SYSTEM_ACTOR },
];
// Outcome variants that lead to the same next vertex are parallel edges, and parallel edges multiply
// the simple paths (27,000 with every variant everywhere). So two bounded walks:
// - LOOPS: one outcome per route (compatible/incompatible, perception on/off, ok/unacceptable) with
//   change requests and reopening, i.e. every cycle of the chart;
// - FIRST_PASS: every outcome variant of every step, without the cycles.
const LOOP_EVENTS = OFFERED.filter((e) => !isOutcomeVariant(e));
const FIRST_PASS_EVENTS = OFFERED.filter((e) => e.type !== 'REQUEST_CHANGES' && e.type !== 'REOPEN_FOR_REVIEW');
// Every actor with every event: for the per-state checks.
const ALL_EVENTS: VettingEvent[] = ACTORS.flatMap(eventsBy);

// Simple paths are bounded by a coarse vertex: the state plus the flags that change the route
// (perception on or off, a change request pending). The per-event record log is left out.
const coarse = (s: Snap) => `${String(s.value)}|${s.context.perceptionRequired}|${s.context.returnedTo !== null}`;
// The per-state checks use a finer vertex: every context field except the per-event log.
const fine = (s: Snap) => {
  const { transitions: _log, ...rest } = s.context;
  return `${String(s.value)}|${JSON.stringify(rest)}`;
};

const traversal = { input: { proposerId: 1 }, events: LOOP_EVENTS, serializeState: coarse };
const loopPaths: StatePath<Snap, VettingEvent>[] = getSimplePaths(vettingMachine, traversal);
// Parallel edges stay separate paths, so every variant is walked with the same coarse vertex.
const firstPassPaths: StatePath<Snap, VettingEvent>[] = getSimplePaths(vettingMachine, { ...traversal, events: FIRST_PASS_EVENTS });
const paths = [...loopPaths, ...firstPassPaths];
// Every reachable context (up to the per-event log), each offered every event by every actor.
const vertices: Snap[] = Object.values(
  getAdjacencyMap(vettingMachine, { ...traversal, events: [...LOOP_EVENTS, ...FIRST_PASS_EVENTS], serializeState: fine }),
).map((v) => v.state);

// The first step of a path is the machine's own init event.
const realSteps = (path: StatePath<Snap, VettingEvent>) => path.steps.filter((s) => (s.event.type as string) !== 'xstate.init');
const persist = (s: Snap) => JSON.parse(JSON.stringify(vettingMachine.getPersistedSnapshot(s))) as PersistedVetting;
const isSkip = (r: TransitionRecord) => r.outcome === 'skipped' || r.outcome === 'not_applicable';

/** Problems with the records of one accepted event, or [] */
function recordProblems(before: ProposalState, after: ProposalState, records: TransitionRecord[]): string[] {
  const out: string[] = [];
  if (records.length < 1) return ['no record'];
  const skips = records.filter(isSkip);
  if (records.length !== 1 + skips.length) out.push(`${records.length} records, ${skips.length} skipped/not applicable`);
  if (isSkip(records[0])) out.push('the first record is a skip');
  if (records[0].from !== before) out.push(`first record from ${records[0].from}, state was ${before}`);
  if (records[records.length - 1].to !== after) out.push(`last record to ${records[records.length - 1].to}, state is ${after}`);
  records.forEach((r, i) => {
    if (i > 0 && records[i - 1].to !== r.from) out.push(`record ${i} from ${r.from} after one to ${records[i - 1].to}`);
    if (isSkip(r) && (!r.bySystem || !r.rule)) out.push(`skip record ${i} without rule or not by the system`);
  });
  return out;
}

function describeEvent(e: VettingEvent): string {
  return `${e.type}${'outcome' in e ? `(${e.outcome})` : ''}${'step' in e ? `(${e.step})` : ''} by #${e.actor.id} [${e.actor.roles}]`;
}

describe('vetting statechart, model-based', () => {
  it('the generated walks cover every state and every outcome variant', () => {
    expect(loopPaths.length).toBeGreaterThan(100);
    expect(firstPassPaths.length).toBeGreaterThan(100);
    const reached = new Set(paths.map((p) => String(p.state.value)));
    expect([...reached].sort()).toEqual([...STATES].sort());
    const taken = new Set(paths.flatMap((p) => realSteps(p).map((s) => describeEvent(s.event))));
    const offeredOutcomes = OFFERED.filter((e) => e.actor === PROPOSER && e.type.startsWith('SUBMIT_')).map(describeEvent);
    expect(offeredOutcomes.filter((d) => !taken.has(d))).toEqual([]);
  });

  it('every simple path ends in a final state or a state that waits for someone', () => {
    const stuck: string[] = [];
    for (const path of paths) {
      const p = persist(path.state);
      const state = stateOf(p);
      const waiting = ACTORS.some((a) => availableEvents(p, a).length > 0);
      if (FINAL.includes(state)) {
        if (path.state.status !== 'done' || waiting) stuck.push(`final ${state} is not done or still accepts events`);
      } else if (!waiting) stuck.push(`${state} after ${realSteps(path).map((s) => s.event.type).join(' > ')}`);
    }
    expect(stuck).toEqual([]);
  });

  it('replaying every path through transition(): each step accepted, states agree, records chain', () => {
    const problems: string[] = [];
    // Paths share long prefixes: replay each distinct prefix once.
    const replayed = new Map<string, PersistedVetting>();
    for (const path of paths) {
      let p = initialVetting(1);
      let key = '';
      for (const step of realSteps(path)) {
        key += `>${JSON.stringify(step.event)}`;
        const known = replayed.get(key);
        if (known) {
          p = known;
          continue;
        }
        const before = stateOf(p);
        const r = transition(p, step.event);
        if (!r.ok) {
          problems.push(`${describeEvent(step.event)} refused in ${before}: ${r.reason}`);
          break;
        }
        if (r.state !== step.state.value) problems.push(`${describeEvent(step.event)}: ${r.state}, model says ${String(step.state.value)}`);
        for (const m of recordProblems(before, r.state, r.records)) problems.push(`${describeEvent(step.event)} from ${before}: ${m}`);
        // What the service stores is JSON: continue from the round-tripped copy.
        p = JSON.parse(JSON.stringify(r.persisted));
        replayed.set(key, p);
      }
    }
    expect(replayed.size).toBeGreaterThan(500);
    expect(problems).toEqual([]);
  });

  it('no path lets the proposer decide: approved/rejected are reached only by another staff member', () => {
    const problems: string[] = [];
    for (const path of paths) {
      let lastChangedById: number | null = null;
      for (const step of realSteps(path)) {
        const { event } = step;
        if (DECISIONS.has(event.type)) {
          if (event.actor.id === 1) problems.push(`proposer's ${event.type} became an edge`);
          if (!event.actor.roles.includes('staff')) problems.push(`${event.type} by a non-staff actor`);
          if (event.actor.id === lastChangedById) problems.push(`${event.type} by the last person to change it`);
        }
        lastChangedById = step.state.context.lastChangedById;
      }
      const end = String(path.state.value);
      if (end === 'approved' || end === 'rejected') {
        const decisive = realSteps(path).findLast((s) => s.event.type === 'APPROVE' || s.event.type === 'REJECT');
        if (!decisive || decisive.event.actor.id === 1) problems.push(`${end} without a decision by someone else`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('in every reachable state: reviewers change nothing, proposers never decide, canTransition agrees with transition', () => {
    expect(vertices.length).toBeGreaterThan(30);
    const problems: string[] = [];
    for (const snap of vertices) {
      const p = persist(snap);
      const before = stateOf(p);
      for (const event of ALL_EVENTS) {
        const r = transition(p, event);
        const where = `${describeEvent(event)} in ${before}`;
        if (canTransition(p, event) !== r.ok) problems.push(`${where}: canTransition disagrees`);
        if (!r.ok) {
          if (!r.reason || !r.reason.endsWith('.')) problems.push(`${where}: refusal "${r.reason}" is not a sentence`);
          continue;
        }
        if (event.actor === REVIEWER) problems.push(`${where}: a reviewer caused a transition`);
        if (DECISIONS.has(event.type) && event.actor.id === 1) problems.push(`${where}: the proposer decided`);
        for (const m of recordProblems(before, r.state, r.records)) problems.push(`${where}: ${m}`);
      }
      // The UI list is exactly the event types this actor can take here.
      for (const actor of ACTORS) {
        const listed = new Set(availableEvents(p, actor));
        const possible = new Set(eventsBy(actor).filter((e) => canTransition(p, e)).map((e) => e.type));
        if ([...listed].sort().join() !== [...possible].sort().join())
          problems.push(`in ${before} #${actor.id} [${actor.roles}] is offered ${[...listed]} but can ${[...possible]}`);
        if (actor === REVIEWER && listed.size > 0) problems.push(`reviewer offered ${[...listed]} in ${before}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('createTestModel: shortest paths to every state hold on the persisted API', async () => {
    const model = createTestModel(vettingMachine, { ...traversal });
    // Paths contained in longer ones are deduplicated, so count the states visited on the way.
    const testPaths = model.getShortestPaths();
    const visited = new Set(testPaths.flatMap((t) => t.steps.map((s) => String(s.state.value))));
    expect(visited.size).toBe(STATES.length);
    for (const path of testPaths) {
      let sut = initialVetting(1);
      const send = ({ event }: { event: VettingEvent }) => {
        const r = transition(sut, event);
        if (!r.ok) throw new Error(r.reason);
        sut = r.persisted;
      };
      const states = Object.fromEntries(
        STATES.map((s) => [s, () => expect(stateOf(sut), path.description).toBe(s)]),
      );
      const events = Object.fromEntries(eventsBy(PROPOSER).map((e) => [e.type, send]));
      await path.test({ states, events });
    }
  });

  it('every event x role x state: the app’s answer (the policy) and the machine’s guards agree', () => {
    // The app asks can(user, action, proposal) for the person's rights, then the statechart; XState's own
    // snapshot.can evaluates the guards. People of the proposal's chapter (1) and of another one (2).
    const CHAPTER = 1;
    const people: ActingUser[] = [
      ...ACTORS.map((a) => ({ ...a, name: `#${a.id}`, chapterId: a === SYSTEM_ACTOR ? null : CHAPTER })),
      { id: 5, name: 'lead elsewhere', roles: ['chapter_lead'], chapterId: 2 },
      { id: 6, name: 'admin', roles: ['admin'], chapterId: null },
      { id: 7, name: 'lead and reviewer', roles: ['chapter_lead', 'reviewer'], chapterId: CHAPTER },
    ];
    const problems: string[] = [];
    let compared = 0;
    for (const snap of vertices) {
      const p = persist(snap);
      const state = stateOf(p);
      const handled = new Set(getNextTransitions(snap).map((t) => t.eventType));
      const row = { proposer_id: p.context.proposerId, last_changed_by: p.context.lastChangedById, chapter_id: CHAPTER };
      for (const person of people) {
        for (const event of eventsBy(person)) {
          const rights = can(person, actionOf(event.type), row);
          const app = rights.ok && handled.has(event.type) && payloadRefusal(p.context, event) === null;
          const inWords = refusalReason(p, event, CHAPTER);
          const where = `${describeEvent(event)} in ${state}`;
          if (app !== (inWords === null)) problems.push(`${where}: can() says ${app}, refusalReason says "${inWords}"`);
          // The machine does not know chapters: for the proposal's own chapter, its guards must give the same answer.
          if (person.chapterId !== 2) {
            if (snap.can(event) !== app) problems.push(`${where}: the app says ${app}, the machine's guards ${!app}`);
          }
          if (!rights.ok && !rights.reason.endsWith('.')) problems.push(`${where}: refusal "${rights.reason}" is not a sentence`);
          compared += 1;
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
    expect(problems).toEqual([]);
  });

  it('the step computed without XState snapshots gives the same JSON as the machine, in every reachable state for every event', () => {
    const problems: string[] = [];
    let compared = 0;
    for (const snap of vertices) {
      const p = persist(snap);
      // A snapshot persisted without historyValue is restored by XState as well.
      const { historyValue: _history, ...withoutHistory } = p;
      for (const persisted of [p, withoutHistory as PersistedVetting]) {
        for (const event of ALL_EVENTS) {
          const where = `${describeEvent(event)} in ${stateOf(persisted)}`;
          const reason = refusalReason(persisted, event);
          const byMachine = reason === null ? machineTransition(persisted, event) : { ok: false, reason };
          const actual = transition(persisted, event);
          if (JSON.stringify(actual) !== JSON.stringify(byMachine)) {
            problems.push(`${where}: ${JSON.stringify(actual).slice(0, 200)} but the machine gives ${JSON.stringify(byMachine).slice(0, 200)}`);
          }
          if (reason === null && !isDirectStep(persisted.value, event.type)) problems.push(`${where}: left to XState`);
          compared += 1;
        }
      }
    }
    expect(compared).toBeGreaterThan(5_000);
    expect(problems).toEqual([]);
  });
});
