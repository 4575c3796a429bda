import { describe, expect, it } from 'vitest';
import {
  LAST_CHANGER_DECIDES,
  PROPOSER_DECIDES,
  SKIP_RULES,
  SYSTEM_ACTOR,
  availableEvents,
  canTransition,
  contextOf,
  initialVetting,
  stateOf,
  transition,
  type Actor,
  type PersistedVetting,
  type VettingEvent,
} from '../../workflows';

const LEAD: Actor = { id: 1, roles: ['chapter_lead'] };
const STAFF: Actor = { id: 2, roles: ['staff'] };
const LEAD_STAFF: Actor = { id: 1, roles: ['chapter_lead', 'staff'] };
const REVIEWER: Actor = { id: 3, roles: ['reviewer'] };
const STAFF2: Actor = { id: 4, roles: ['staff'] };
const LEAD_AND_STAFF: Actor = { id: 5, roles: ['chapter_lead', 'staff'] };

/** Apply events in order, failing loudly on a refusal; JSON round trip in between, as the service stores it. */
function run(p: PersistedVetting, ...events: VettingEvent[]): PersistedVetting {
  for (const e of events) {
    const r = transition(p, e);
    if (!r.ok) throw new Error(`${e.type} refused in ${stateOf(p)}: ${r.reason}`);
    p = JSON.parse(JSON.stringify(r.persisted));
  }
  return p;
}
function refusal(p: PersistedVetting, e: VettingEvent): string {
  const r = transition(p, e);
  if (r.ok) throw new Error(`${e.type} was accepted`);
  return r.reason;
}

const submit: VettingEvent = { type: 'SUBMIT_PROPOSAL', actor: LEAD };
const values = (outcome: 'compatible' | 'compatible_with_concerns' | 'incompatible', actor = LEAD): VettingEvent => ({
  type: 'SUBMIT_VALUES',
  actor,
  outcome,
});
const agenda = (perceptionRequired: boolean): VettingEvent => ({
  type: 'SUBMIT_AGENDA',
  actor: LEAD,
  outcome: perceptionRequired ? 'manageable_divergence' : 'aligned',
  perceptionRequired,
  perceptionReasons: perceptionRequired ? ['The partner publicly supports BDS.'] : [],
});
const risk: VettingEvent = { type: 'SUBMIT_RISK', actor: LEAD, outcome: 'benefits_outweigh' };
const perception = (outcome: 'no_perception_risk' | 'acceptable_with_conditions' | 'unacceptable'): VettingEvent => ({
  type: 'SUBMIT_PERCEPTION',
  actor: LEAD,
  outcome,
});
const mou: VettingEvent = { type: 'SUBMIT_MOU', actor: LEAD, mouVersion: 1 };
const approve = (actor: Actor): VettingEvent => ({ type: 'APPROVE', actor, endDate: '2026-05-01', conditions: [] });

const inReview = () => run(initialVetting(1), submit, values('compatible'), agenda(false), risk, mou);

describe('initial state and persistence', () => {
  it('starts in draft with a clean context, and round-trips through JSON', () => {
    const p = initialVetting(7);
    expect(stateOf(p)).toBe('draft');
    expect(contextOf(p)).toEqual({
      proposerId: 7,
      lastChangedById: null,
      perceptionRequired: false,
      perceptionReasons: [],
      recommendReject: [],
      returnedTo: null,
      mouNotNeededReason: null,
      mouRequired: false,
      transitions: [],
    });
    expect(JSON.parse(JSON.stringify(p))).toEqual(JSON.parse(JSON.stringify(p)));
    expect(() => initialVetting(1.5)).toThrow(TypeError);
  });

  it('returns only the records of the last event', () => {
    const p = run(initialVetting(1), submit);
    const r = transition(p, values('compatible'));
    expect(r.ok && r.records).toEqual([{ step: 'values', outcome: 'compatible', from: 'values', to: 'agenda', rule: null, bySystem: false }]);
    expect(r.ok && r.context.lastChangedById).toBe(1);
  });
});

describe('the happy path and its records (case 1: BDS-supporting campus group)', () => {
  it('goes through perception when the agenda calls for it, and staff approve', () => {
    let p = run(initialVetting(1), submit, values('compatible'), agenda(true));
    expect(contextOf(p).perceptionRequired).toBe(true);
    expect(contextOf(p).perceptionReasons).toEqual(['The partner publicly supports BDS.']);
    const r = transition(p, risk);
    expect(r.ok && r.state).toBe('perception');
    expect(r.ok && r.records).toHaveLength(1);
    p = run(p, risk, perception('acceptable_with_conditions'), mou);
    expect(stateOf(p)).toBe('review');
    const a = transition(p, { type: 'APPROVE', actor: STAFF, endDate: '2026-05-01', conditions: ['Disclaimer on the listing'] });
    expect(a.ok && a.state).toBe('approved');
    expect(a.ok && a.records).toEqual([{ step: 'decision', outcome: 'approved', from: 'review', to: 'approved', rule: null, bySystem: false }]);
  });

  it('records perception as not applicable, with the rule, when nothing calls for it', () => {
    const p = run(initialVetting(1), submit, values('compatible'), agenda(false));
    const r = transition(p, risk);
    expect(r.ok && r.state).toBe('mou');
    expect(r.ok && r.records).toEqual([
      { step: 'risk', outcome: 'benefits_outweigh', from: 'risk', to: 'perception', rule: null, bySystem: false },
      { step: 'perception', outcome: 'not_applicable', from: 'perception', to: 'mou', rule: SKIP_RULES.perceptionNotRequired, bySystem: true },
    ]);
  });
});

describe('rules that skip steps', () => {
  it('values incompatible skips agenda, risk, perception and MOU, recommending reject (case 4)', () => {
    const p = run(initialVetting(1), submit);
    const r = transition(p, values('incompatible'));
    if (!r.ok) throw new Error(r.reason);
    expect(r.state).toBe('review');
    expect(r.records.map((x) => [x.step, x.outcome, x.from, x.to, x.bySystem])).toEqual([
      ['values', 'incompatible', 'values', 'agenda', false],
      ['agenda', 'skipped', 'agenda', 'risk', true],
      ['risk', 'skipped', 'risk', 'perception', true],
      ['perception', 'skipped', 'perception', 'mou', true],
      ['mou', 'skipped', 'mou', 'review', true],
    ]);
    expect(r.records.slice(1).every((x) => x.rule === 'Values incompatible: remaining steps skipped')).toBe(true);
    expect(r.context.recommendReject).toEqual(['Values: incompatible']);
    // staff reject it
    const rej = transition(r.persisted, { type: 'REJECT', actor: STAFF, rationale: 'Independence not met: a party campaign.' });
    expect(rej.ok && rej.state).toBe('rejected');
  });

  it('perception unacceptable skips the MOU, recommending reject', () => {
    const p = run(initialVetting(1), submit, values('compatible'), agenda(true), risk);
    const r = transition(p, perception('unacceptable'));
    if (!r.ok) throw new Error(r.reason);
    expect(r.state).toBe('review');
    expect(r.records).toEqual([
      { step: 'perception', outcome: 'unacceptable', from: 'perception', to: 'mou', rule: null, bySystem: false },
      { step: 'mou', outcome: 'skipped', from: 'mou', to: 'review', rule: 'Perception unacceptable: MOU skipped', bySystem: true },
    ]);
    expect(r.context.recommendReject).toEqual(['Perception: unacceptable']);
  });
});

describe('MOU not needed', () => {
  const atMou = () => run(initialVetting(1), submit, values('compatible'), agenda(false), risk);

  it('needs a reason of at least 10 characters', () => {
    expect(refusal(atMou(), { type: 'MOU_NOT_NEEDED', actor: LEAD, reason: ' too short ' })).toMatch(/at least 10/);
    const p = run(atMou(), { type: 'MOU_NOT_NEEDED', actor: LEAD, reason: '  One-off co-listing on the calendar. ' });
    expect(stateOf(p)).toBe('review');
    expect(contextOf(p).mouNotNeededReason).toBe('One-off co-listing on the calendar.');
    expect(contextOf(p).transitions[0].outcome).toBe('mou_not_needed');
  });

  it('staff may still require one: then "not needed" is refused until the lead drafts it', () => {
    let p = run(atMou(), { type: 'MOU_NOT_NEEDED', actor: LEAD, reason: 'One-off co-listing.' });
    p = run(p, { type: 'REQUEST_CHANGES', actor: STAFF, step: 'mou', rationale: 'A co-hosted event needs an MOU.', requireMou: true });
    expect(stateOf(p)).toBe('mou');
    expect(refusal(p, { type: 'MOU_NOT_NEEDED', actor: LEAD, reason: 'Still a one-off.' })).toMatch(/require an MOU/);
    expect(availableEvents(p, LEAD)).not.toContain('MOU_NOT_NEEDED');
    p = run(p, mou);
    expect(contextOf(p).mouNotNeededReason).toBeNull();
    expect(contextOf(p).returnedTo).toBeNull();
  });
});

describe('who may decide', () => {
  it('the proposer can never decide, even holding the staff role', () => {
    const p = inReview();
    expect(refusal(p, approve(LEAD_STAFF))).toBe(PROPOSER_DECIDES);
    expect(refusal(p, { type: 'REJECT', actor: LEAD_STAFF, rationale: 'x' })).toBe(PROPOSER_DECIDES);
    expect(refusal(p, { type: 'REQUEST_CHANGES', actor: LEAD, step: 'values', rationale: 'x' })).toBe('Only staff can decide a proposal.');
    expect(canTransition(p, approve(LEAD_STAFF))).toBe(false);
  });

  it('only staff decide; reviewers change nothing', () => {
    const p = inReview();
    expect(refusal(p, approve({ id: 9, roles: ['chapter_lead'] }))).toBe('Only staff can decide a proposal.');
    expect(refusal(p, approve(REVIEWER))).toBe('A reviewer can read a proposal but cannot change it.');
    expect(refusal(p, { type: 'WITHDRAW', actor: REVIEWER, reason: 'x' })).toMatch(/reviewer/);
    expect(availableEvents(p, REVIEWER)).toEqual([]);
  });

  it('the person who last changed the proposal cannot decide it', () => {
    // staff classify an agenda item, which changes the proposal: another staff member decides
    const p = run(inReview(), { type: 'CLASSIFY_AGENDA_ITEM', actor: STAFF, itemId: 3, classification: 'compatible', positionKey: null });
    expect(stateOf(p)).toBe('review');
    expect(contextOf(p).lastChangedById).toBe(2);
    expect(contextOf(p).transitions).toEqual([
      { step: 'agenda', outcome: 'classified', from: 'review', to: 'review', rule: null, bySystem: false },
    ]);
    expect(refusal(p, approve(STAFF))).toBe(LAST_CHANGER_DECIDES);
    expect(stateOf(run(p, approve(STAFF2)))).toBe('approved');
  });

  it('decisions need their content', () => {
    const p = inReview();
    expect(refusal(p, { type: 'REJECT', actor: STAFF, rationale: '   ' })).toBe('A rejection needs a rationale.');
    expect(refusal(p, { type: 'APPROVE', actor: STAFF, endDate: 'soon', conditions: [] })).toMatch(/end date/);
    expect(refusal(p, { type: 'APPROVE', actor: STAFF, endDate: '2026-05-01', conditions: [''] })).toMatch(/condition/);
    expect(refusal(p, { type: 'REQUEST_CHANGES', actor: STAFF, step: 'risk', rationale: '' })).toMatch(/why/);
  });

  it('an event in the wrong state gets a sentence naming the state', () => {
    const p = run(initialVetting(1), submit, values('compatible'), agenda(false));
    expect(refusal(p, approve(STAFF))).toBe('A proposal at “Risk scoring” cannot be approved.');
    expect(refusal(run(inReview(), approve(STAFF)), { type: 'WITHDRAW', actor: LEAD, reason: 'x' })).toBe(
      'A proposal at “Approved” cannot be withdrawn.',
    );
  });
});

describe('changes requested', () => {
  it('returns to the named step, then the flow continues forward and the old recommendation clears', () => {
    let p = run(initialVetting(1), submit, values('incompatible'));
    expect(contextOf(p).recommendReject).toEqual(['Values: incompatible']);
    const r = transition(p, { type: 'REQUEST_CHANGES', actor: STAFF, step: 'values', rationale: 'Evidence was about another group.' });
    expect(r.ok && r.state).toBe('values');
    expect(r.ok && r.records).toEqual([
      { step: 'decision', outcome: 'changes_requested', from: 'review', to: 'values', rule: null, bySystem: false },
    ]);
    p = run(r.ok ? r.persisted : p, values('compatible_with_concerns'));
    expect(contextOf(p).returnedTo).toBeNull();
    expect(contextOf(p).recommendReject).toEqual([]);
    expect(stateOf(p)).toBe('agenda');
    p = run(p, agenda(false), risk, mou);
    expect(stateOf(p)).toBe('review');
  });

  it('a later step keeps returnedTo until that step is resubmitted', () => {
    let p = run(inReview(), { type: 'REQUEST_CHANGES', actor: STAFF, step: 'risk', rationale: 'Add a safety risk.' });
    expect(stateOf(p)).toBe('risk');
    expect(contextOf(p).returnedTo).toBe('risk');
    p = run(p, risk);
    expect(contextOf(p).returnedTo).toBeNull();
  });

  it('perception can be named only when perception review applies', () => {
    expect(refusal(inReview(), { type: 'REQUEST_CHANGES', actor: STAFF, step: 'perception', rationale: 'x' })).toMatch(/no perception review/);
    const p = run(initialVetting(1), submit, values('compatible'), agenda(true), risk, perception('no_perception_risk'), mou);
    expect(stateOf(run(p, { type: 'REQUEST_CHANGES', actor: STAFF, step: 'perception', rationale: 'x' }))).toBe('perception');
  });
});

describe('staff adjustments in review', () => {
  it('an override is one record, stays in review, and moves the recommendation with it', () => {
    const p = run(initialVetting(1), submit, values('incompatible'));
    const r = transition(p, {
      type: 'OVERRIDE_OUTCOME',
      actor: STAFF,
      step: 'values',
      outcome: 'compatible_with_concerns',
      rationale: 'The designation is politically motivated (seed 003).',
    });
    if (!r.ok) throw new Error(r.reason);
    expect(r.state).toBe('review');
    expect(r.records).toEqual([{ step: 'values', outcome: 'overridden', from: 'review', to: 'review', rule: null, bySystem: false }]);
    expect(r.context.recommendReject).toEqual([]);
    // an override is a change: the overrider is the last changer, so another staff member must decide
    expect(r.context.lastChangedById).toBe(STAFF.id);
    expect(refusal(r.persisted, approve(STAFF))).toMatch(/last changed/);
    expect(stateOf(run(r.persisted, approve(STAFF2)))).toBe('approved');
  });

  it('the proposer cannot override or classify; outcomes must belong to the step', () => {
    const p = inReview();
    expect(refusal(p, { type: 'OVERRIDE_OUTCOME', actor: LEAD_STAFF, step: 'values', outcome: 'compatible', rationale: 'x' })).toMatch(
      /proposer/,
    );
    expect(refusal(p, { type: 'CLASSIFY_AGENDA_ITEM', actor: LEAD, itemId: 1, classification: 'aligned', positionKey: null })).toMatch(
      /Only staff/,
    );
    expect(refusal(p, { type: 'OVERRIDE_OUTCOME', actor: STAFF, step: 'risk', outcome: 'compatible', rationale: 'x' })).toMatch(
      /not an outcome of the Risk step/,
    );
    expect(refusal(p, { type: 'OVERRIDE_OUTCOME', actor: STAFF, step: 'mou', outcome: 'submitted', rationale: 'x' })).toMatch(
      /request changes/,
    );
  });

  it('a classification may carry the re-evaluated perception flag', () => {
    const p = run(inReview(), {
      type: 'CLASSIFY_AGENDA_ITEM',
      actor: STAFF,
      itemId: 5,
      classification: 'no_position',
      positionKey: 'bds',
      perceptionRequired: true,
      perceptionReasons: ['Agenda item "Boycott" maps to "the BDS movement", on which the organization takes no position (BDS).'],
    });
    expect(contextOf(p).perceptionRequired).toBe(true);
    expect(stateOf(run(p, { type: 'REQUEST_CHANGES', actor: STAFF2, step: 'perception', rationale: 'Review it.' }))).toBe('perception');
  });
});

describe('withdrawal, expiry, reopening', () => {
  it('the lead may withdraw from any state before a decision', () => {
    for (const p of [initialVetting(1), run(initialVetting(1), submit), inReview()]) {
      const r = transition(p, { type: 'WITHDRAW', actor: LEAD, reason: 'The event was cancelled.' });
      expect(r.ok && r.state).toBe('withdrawn');
      expect(r.ok && r.records[0]).toMatchObject({ step: 'proposal', outcome: 'withdrawn' });
    }
  });

  it('final states accept nothing', () => {
    const p = run(initialVetting(1), { type: 'WITHDRAW', actor: LEAD, reason: 'x' });
    expect(p.status).toBe('done');
    for (const a of [LEAD, STAFF, SYSTEM_ACTOR]) expect(availableEvents(p, a)).toEqual([]);
  });

  it('approvals expire by the system', () => {
    const p = run(inReview(), approve(STAFF));
    expect(refusal(p, { type: 'EXPIRE', actor: LEAD })).toMatch(/expire/);
    const r = transition(p, { type: 'EXPIRE', actor: SYSTEM_ACTOR });
    expect(r.ok && r.records).toEqual([{ step: 'proposal', outcome: 'expired', from: 'approved', to: 'expired', rule: null, bySystem: true }]);
  });

  it('editing an approved MOU reopens the review, and the editor cannot then decide', () => {
    const p = run(inReview(), approve(STAFF));
    // A chapter lead of the proposal's chapter who also holds the staff role edits the MOU.
    const r = transition(p, { type: 'REOPEN_FOR_REVIEW', actor: LEAD_AND_STAFF, reason: 'MOU clause 4 edited.' });
    if (!r.ok) throw new Error(r.reason);
    expect(r.state).toBe('review');
    expect(r.records).toEqual([
      { step: 'proposal', outcome: 'reopened', from: 'approved', to: 'review', rule: SKIP_RULES.mouEditedAfterApproval, bySystem: false },
    ]);
    expect(refusal(r.persisted, approve(LEAD_AND_STAFF))).toMatch(/last changed/);
    expect(stateOf(run(r.persisted, approve(STAFF)))).toBe('approved');
  });
});

describe('availableEvents', () => {
  it('offers each role what it may do in review', () => {
    const p = inReview();
    // Withdrawing is the chapter's decision, not staff's: staff send it back or reject instead.
    expect(availableEvents(p, STAFF)).toEqual(['APPROVE', 'REJECT', 'REQUEST_CHANGES', 'OVERRIDE_OUTCOME', 'CLASSIFY_AGENDA_ITEM']);
    expect(availableEvents(p, LEAD)).toEqual(['WITHDRAW']);
    expect(availableEvents(p, LEAD_STAFF)).toEqual(['WITHDRAW']);
  });

  it('offers the lead the step at hand', () => {
    expect(availableEvents(initialVetting(1), LEAD)).toEqual(['SUBMIT_PROPOSAL', 'WITHDRAW']);
    const atMou = run(initialVetting(1), submit, values('compatible'), agenda(false), risk);
    expect(availableEvents(atMou, LEAD)).toEqual(['SUBMIT_MOU', 'MOU_NOT_NEEDED', 'WITHDRAW']);
  });

  it('rejects malformed events with a sentence instead of throwing', () => {
    const p = inReview();
    expect(refusal(p, { type: 'NOPE', actor: STAFF } as unknown as VettingEvent)).toBe('Unknown event "NOPE".');
    expect(refusal(p, { type: 'APPROVE', endDate: '2026-01-01', conditions: [] } as unknown as VettingEvent)).toBe(
      'The event names no acting person.',
    );
    expect(refusal(run(initialVetting(1), submit), { type: 'SUBMIT_VALUES', actor: LEAD, outcome: 'great' } as unknown as VettingEvent)).toBe(
      'Unknown values outcome "great".',
    );
  });
});
