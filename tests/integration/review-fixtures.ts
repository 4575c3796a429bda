import { first, qb } from '../../db/connection';
import { createPartner } from '../../db/partners';
import { proposalRow } from '../../db/proposals';
import { createUser, userByEmail } from '../../db/users';
import { hashPassword } from '../../app/features/auth/password.server';
import { generatedMouFor, saveMouVersion } from '../../app/features/mou/mou.server';
import { createProposal, decide } from '../../app/features/vetting/vetting.server';
import type { ActingUser } from '../../workflows/policy';

// Proposals for the staff-review tests, sent through the real decision
// service step by step, like the demo seed does.

export function actor(email: string): ActingUser {
  const u = userByEmail(email);
  if (!u) throw new Error(`No user ${email}`);
  return { id: u.id, name: u.name, roles: u.roles, chapterId: u.chapter_id };
}

/**
 * A chapter lead of the demo lead's chapter who is staff too, signing in with the demo password:
 * the person four-eyes is about, once they propose. Returns the user's id.
 */
export async function leadWhoIsStaff(email: string, name: string): Promise<number> {
  return createUser({
    email,
    name,
    passwordHash: await hashPassword('cosponsor-demo'),
    chapterId: actor('lead@cosponsor.test').chapterId,
    roles: ['chapter_lead', 'staff'],
  });
}

export const CRITERIA = ['independence', 'non_discrimination', 'human_rights_standards', 'mutual_respect', 'transparency'];
const PERCEPTION_ITEMS = [
  'no_boycott_call_in_name',
  'not_on_bds_materials',
  'logo_not_beside_bds',
  'speakers_no_bds_advocacy',
  'no_bds_signup',
  'approved_talking_points',
  'disclaimer_on_listing',
  'written_acceptance',
];

export function daysFromToday(days: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function campaignId(key: string): number {
  return first(qb().selectFrom('campaigns').select('id').where('key', '=', key))!.id;
}

export function newPartner(name: string, publicPositions: string[] = []): number {
  return createPartner({ name, website: null, country: 'US', description: `${name}, a test partner group.`, publicPositions }, null);
}

export type AgendaItem = { text: string; scope: 'general' | 'event'; classification: string; positionKey: string | null };

export type Plan = {
  lead?: string;
  partnerId: number;
  campaign?: string;
  title?: string;
  eventInDays?: number;
  values?: 'compatible' | 'concerns' | 'incompatible';
  agenda?: AgendaItem[];
  /** Residual likelihood x impact of the one risk (5x5 is critical). */
  residual?: [number, number];
  /** How many perception items are answered "condition" (the partner must support BDS for the step to run). */
  perceptionConditions?: number;
  /** 'draft': the MOU generated from the vetting is saved and submitted (default: "MOU not needed"). */
  mou?: 'draft' | 'not_needed';
};

export const ALIGNED_ITEM: AgendaItem = {
  text: 'Unimpeded humanitarian aid into Gaza',
  scope: 'event',
  classification: 'aligned',
  positionKey: 'unimpeded_humanitarian_aid',
};

function send(id: number, who: ActingUser, command: unknown) {
  const result = decide({ proposalId: id, expectedVersion: proposalRow(id)!.version, actor: who, command });
  if (!result.ok) throw new Error(`${JSON.stringify(command).slice(0, 60)} refused: ${result.error.message} ${JSON.stringify(result.error.fieldErrors)}`);
  return result;
}

/** A proposal carried through every step the plan calls for, ending in review. */
export function proposalInReview(plan: Plan): number {
  const lead = actor(plan.lead ?? 'lead@cosponsor.test');
  const { id } = createProposal(lead, {
    partnerId: plan.partnerId,
    campaignId: campaignId(plan.campaign ?? 'israel_opt'),
    eventTitle: plan.title ?? 'Test teach-in',
    eventDate: daysFromToday(plan.eventInDays ?? 40),
    eventPlace: 'Community hall',
    eventDescription: 'An evening teach-in with the partner group.',
    kind: 'co_listing',
  });
  send(id, lead, { type: 'SUBMIT_PROPOSAL' });
  const ratings: Record<string, { rating: string; evidence: string; links: string[] }> = {};
  for (const key of CRITERIA) ratings[key] = { rating: 'meets', evidence: 'Checked the public record.', links: [] };
  if (plan.values === 'concerns') ratings.transparency!.rating = 'concern';
  if (plan.values === 'incompatible') ratings.independence!.rating = 'not_met';
  send(id, lead, { type: 'SUBMIT_VALUES', input: { ratings } });
  if (proposalRow(id)!.state === 'review') return id;
  send(id, lead, { type: 'SUBMIT_AGENDA', input: { items: plan.agenda ?? [ALIGNED_ITEM] } });
  const [rl, ri] = plan.residual ?? [1, 2];
  send(id, lead, {
    type: 'SUBMIT_RISK',
    input: {
      items: [
        {
          kind: 'risk',
          category: 'reputation',
          description: 'The partner presents the event as endorsing its own campaign.',
          likelihood: Math.max(rl, 2),
          impact: Math.max(ri, 2),
          mitigation: 'Agree the listing text in advance.',
          residualLikelihood: rl,
          residualImpact: ri,
        },
        {
          kind: 'benefit',
          category: 'outreach',
          description: 'Reaches people new to the chapter.',
          likelihood: 4,
          impact: 4,
          mitigation: null,
          residualLikelihood: null,
          residualImpact: null,
        },
      ],
    },
  });
  if (proposalRow(id)!.state === 'perception') {
    const answers: Record<string, { answer: string; note: string }> = {};
    PERCEPTION_ITEMS.forEach((key, i) => {
      answers[key] = { answer: i < (plan.perceptionConditions ?? 0) ? 'condition' : 'met', note: '' };
    });
    send(id, lead, { type: 'SUBMIT_PERCEPTION', input: { answers } });
  }
  if (proposalRow(id)!.state === 'mou') {
    if (plan.mou === 'draft') {
      saveMouVersion({ proposalId: id, actor: lead, sections: generatedMouFor(id), removedConditions: [], note: 'Generated.', baseVersion: null });
      send(id, lead, { type: 'SUBMIT_MOU' });
    } else {
      send(id, lead, { type: 'MOU_NOT_NEEDED', reason: 'A one-off co-listing on the partner’s event page only.' });
    }
  }
  const state = proposalRow(id)!.state;
  if (state !== 'review') throw new Error(`The plan ended in ${state}, not review.`);
  return id;
}

export function decideAs(email: string, id: number, command: unknown) {
  return decide({ proposalId: id, expectedVersion: proposalRow(id)!.version, actor: actor(email), command });
}

export function demoProposalId(title: string): number {
  const row = first(qb().selectFrom('proposals').select('id').where('event_title', 'like', `${title}%`));
  if (!row) throw new Error(`No demo proposal titled ${title}`);
  return row.id;
}
