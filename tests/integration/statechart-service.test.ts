// Every route through the vetting statechart, replayed through the decision
// service on a real database: the service must take the same route and write
// exactly the records the pure statechart says that route produces.
import { beforeAll, describe, expect, it } from 'vitest';
import { first, qb } from '../../db/connection';
import { recordsOfProposal, verifyLog } from '../../db/decision-log';
import { proposalRow } from '../../db/proposals';
import { userByEmail } from '../../db/users';
import type { ActingUser } from '../../workflows/policy';
import { createProposal, decide } from '../../app/features/vetting/vetting.server';
import {
  initialVetting,
  transition,
  type PersistedVetting,
  type ProposalState,
  type Step,
  type TransitionRecord,
  type VettingEvent,
} from '../../workflows';

let lead: ActingUser;
let staff: ActingUser;
let partnerId: number;
let campaignId: number;

beforeAll(() => {
  const acting = (email: string): ActingUser => {
    const u = userByEmail(email)!;
    return { id: u.id, name: u.name, roles: u.roles, chapterId: u.chapter_id };
  };
  lead = acting('lead@cosponsor.test');
  staff = acting('staff@cosponsor.test');
  // A partner with no public positions: only the agenda decides whether perception is reviewed.
  partnerId = first(qb().selectFrom('partners').select('id').where('name', '=', 'Northside Film Collective'))!.id;
  campaignId = first(qb().selectFrom('campaigns').select('id').where('key', '=', 'israel_opt'))!.id;
});

// ---- The moves: a statechart event and the service command that produces it ----

type Move = { label: string; by: 'lead' | 'staff'; event: (actor: { id: number; roles: ActingUser['roles'] }) => VettingEvent; command: unknown };

const CRITERIA = ['independence', 'non_discrimination', 'human_rights_standards', 'mutual_respect', 'transparency'];
const ratings = (over: Record<string, string>) =>
  Object.fromEntries(CRITERIA.map((k) => [k, { rating: over[k] ?? 'meets', evidence: '', links: [] }]));
const item = (text: string, classification: string, positionKey: string | null) => ({ text, scope: 'event', classification, positionKey });
const risk = (l: number, i: number, rl: number, ri: number) => ({
  kind: 'risk', category: 'reputation', description: 'Misreported as an endorsement.', likelihood: l, impact: i,
  mitigation: 'Agreed talking points.', residualLikelihood: rl, residualImpact: ri,
});
const benefit = (l: number, i: number) => ({
  kind: 'benefit', category: 'mission_impact', description: 'New audience.', likelihood: l, impact: i,
  mitigation: null, residualLikelihood: null, residualImpact: null,
});
const PERCEPTION_KEYS = [
  'no_boycott_call_in_name', 'not_on_bds_materials', 'logo_not_beside_bds', 'speakers_no_bds_advocacy',
  'no_bds_signup', 'approved_talking_points', 'disclaimer_on_listing', 'written_acceptance',
];
const answers = (last: string) =>
  Object.fromEntries(PERCEPTION_KEYS.map((k, i) => [k, { answer: i === PERCEPTION_KEYS.length - 1 ? last : 'met', note: '' }]));

const BDS_REASON = 'Agenda item "Support the BDS call" maps to';

const MOVES: Move[] = [
  { label: 'submit', by: 'lead', event: (actor) => ({ type: 'SUBMIT_PROPOSAL', actor }), command: { type: 'SUBMIT_PROPOSAL' } },
  ...(
    [
      ['compatible', {}],
      ['compatible_with_concerns', { transparency: 'concern' }],
      ['incompatible', { independence: 'not_met' }],
    ] as const
  ).map(([outcome, over]): Move => ({
    label: `values:${outcome}`,
    by: 'lead',
    event: (actor) => ({ type: 'SUBMIT_VALUES', actor, outcome }),
    command: { type: 'SUBMIT_VALUES', input: { ratings: ratings(over) } },
  })),
  {
    label: 'agenda:aligned',
    by: 'lead',
    event: (actor) => ({ type: 'SUBMIT_AGENDA', actor, outcome: 'aligned', perceptionRequired: false, perceptionReasons: [] }),
    command: { type: 'SUBMIT_AGENDA', input: { items: [item('Stop home demolitions', 'aligned', 'cancel_evictions_demolitions')] } },
  },
  {
    label: 'agenda:bds',
    by: 'lead',
    event: (actor) => ({ type: 'SUBMIT_AGENDA', actor, outcome: 'manageable_divergence', perceptionRequired: true, perceptionReasons: [BDS_REASON] }),
    command: { type: 'SUBMIT_AGENDA', input: { items: [item('Support the BDS call', 'no_position', 'bds_movement')] } },
  },
  {
    label: 'agenda:conflict',
    by: 'lead',
    event: (actor) => ({ type: 'SUBMIT_AGENDA', actor, outcome: 'conflict', perceptionRequired: false, perceptionReasons: [] }),
    command: { type: 'SUBMIT_AGENDA', input: { items: [item('Endorse our candidate for alderman', 'conflicting', null)] } },
  },
  ...(
    [
      ['benefits_outweigh', [risk(3, 3, 1, 3), benefit(4, 4)]],
      ['needs_staff_acceptance', [risk(5, 5, 4, 4), benefit(4, 4)]],
      ['risks_outweigh', [risk(3, 3, 3, 3), benefit(1, 1)]],
    ] as const
  ).map(([outcome, items]): Move => ({
    label: `risk:${outcome}`,
    by: 'lead',
    event: (actor) => ({ type: 'SUBMIT_RISK', actor, outcome }),
    command: { type: 'SUBMIT_RISK', input: { items } },
  })),
  ...(
    [
      ['no_perception_risk', 'met'],
      ['acceptable_with_conditions', 'condition'],
      ['unacceptable', 'cannot_meet'],
    ] as const
  ).map(([outcome, last]): Move => ({
    label: `perception:${outcome}`,
    by: 'lead',
    event: (actor) => ({ type: 'SUBMIT_PERCEPTION', actor, outcome }),
    command: { type: 'SUBMIT_PERCEPTION', input: { answers: answers(last) } },
  })),
  {
    label: 'mou:not_needed',
    by: 'lead',
    event: (actor) => ({ type: 'MOU_NOT_NEEDED', actor, reason: 'A one-off co-listing only.' }),
    command: { type: 'MOU_NOT_NEEDED', reason: 'A one-off co-listing only.' },
  },
  {
    label: 'approve',
    by: 'staff',
    event: (actor) => ({ type: 'APPROVE', actor, endDate: '2099-01-01', conditions: [] }),
    command: { type: 'APPROVE', conditions: [], endDate: null, rationale: '' },
  },
  {
    label: 'reject',
    by: 'staff',
    event: (actor) => ({ type: 'REJECT', actor, rationale: 'The partner does not meet the criteria.' }),
    command: { type: 'REJECT', rationale: 'The partner does not meet the criteria.' },
  },
  ...(['values', 'agenda', 'risk', 'perception', 'mou'] as Step[]).map(
    (step): Move => ({
      label: `return:${step}`,
      by: 'staff',
      event: (actor) => ({ type: 'REQUEST_CHANGES', actor, step, rationale: 'Please look at this step again.' }),
      command: { type: 'REQUEST_CHANGES', step, rationale: 'Please look at this step again.' },
    }),
  ),
  {
    label: 'withdraw',
    by: 'lead',
    event: (actor) => ({ type: 'WITHDRAW', actor, reason: 'The event was cancelled.' }),
    command: { type: 'WITHDRAW', reason: 'The event was cancelled.' },
  },
];

// ---- The routes, found with the pure statechart ----

type Route = { moves: Move[]; records: TransitionRecord[]; state: ProposalState };
const FINAL = new Set<ProposalState>(['approved', 'rejected', 'withdrawn']);

/**
 * Depth-first over the pure statechart. Bounds keep it small and still cover
 * every move: at most one change request per route, a withdrawal only as the
 * first move from a state entered for the first time, and every outcome
 * variant of a step after a return only once.
 */
function routes(): Route[] {
  const actorOf = (by: Move['by']) => (by === 'lead' ? { id: lead.id, roles: lead.roles } : { id: staff.id, roles: staff.roles });
  const found: Route[] = [];
  const walk = (p: PersistedVetting, route: Route, returned: boolean) => {
    if (FINAL.has(p.value)) return void found.push(route);
    for (const move of MOVES) {
      if (move.label === 'withdraw' && route.moves.some((m) => m.label === 'withdraw' || m.label.startsWith('return:'))) continue;
      if (move.label.startsWith('return:') && returned) continue;
      const next = transition(p, move.event(actorOf(move.by)));
      if (!next.ok) continue;
      const extended = { moves: [...route.moves, move], records: [...route.records, ...next.records], state: next.state };
      if (move.label === 'withdraw') found.push(extended);
      else walk(next.persisted, extended, returned || move.label.startsWith('return:'));
    }
  };
  walk(initialVetting(lead.id), { moves: [], records: [], state: 'draft' }, false);
  return found;
}

describe('the service follows the statechart on every route', () => {
  it('writes exactly the records of the pure statechart, route by route', () => {
    const all = routes();
    // Every move is taken on some route, and every final state is reached.
    expect(new Set(all.flatMap((r) => r.moves.map((m) => m.label)))).toEqual(new Set(MOVES.map((m) => m.label)));
    expect(new Set(all.map((r) => r.state))).toEqual(FINAL);
    expect(all.length).toBeGreaterThan(1000);
    // Thousands of routes: replay an evenly spread sample, plus one route for any move it missed.
    const sample = all.filter((_, i) => i % Math.ceil(all.length / 40) === 0);
    for (const label of MOVES.map((m) => m.label)) {
      if (!sample.some((r) => r.moves.some((m) => m.label === label))) sample.push(all.find((r) => r.moves.some((m) => m.label === label))!);
    }

    for (const route of sample) {
      const { id } = createProposal(lead, {
        partnerId,
        campaignId,
        eventTitle: 'Route walk',
        eventDate: new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10),
        eventPlace: 'Hall',
        eventDescription: 'An event.',
        kind: 'co_listing',
      });
      const path = route.moves.map((m) => m.label).join(' > ');
      for (const move of route.moves) {
        const result = decide({
          proposalId: id,
          expectedVersion: proposalRow(id)!.version,
          actor: move.by === 'lead' ? lead : staff,
          command: move.command,
        });
        expect(result.ok ? 'ok' : `${result.error.kind}: ${result.error.message}`, `${path} at ${move.label}`).toBe('ok');
      }
      const written = recordsOfProposal(id)
        .slice(1)
        .map((r) => [r.step, r.outcome, r.from_state, r.to_state, r.actor_role === 'system']);
      const expected = route.records.map((r) => [r.step, r.outcome, r.from, r.to, r.bySystem]);
      expect(written, path).toEqual(expected);
      expect(proposalRow(id)!.state, path).toBe(route.state);
    }
    expect(verifyLog().ok).toBe(true);
  });
});
