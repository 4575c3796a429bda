import { first, qb } from '../../db/connection';
import { proposalRow } from '../../db/proposals';
import { userByEmail } from '../../db/users';
import { demoProposals, demoUsers } from '../../db/seed-data/demo';
import { runDemoProposal } from '../../scripts/seed/demo';
import type { ActingUser } from '../../workflows/policy';

// Proposals for the MOU tests, sent through the real decision service by the
// demo seed's own plans, stopped just before their MOU step.

export function actor(email: string): ActingUser {
  const u = userByEmail(email);
  if (!u) throw new Error(`No user ${email}`);
  return { id: u.id, name: u.name, roles: u.roles, chapterId: u.chapter_id };
}

let counter = 0;

/** A copy of a demo case (default case 1: perception conditions and risk mitigations), left at the MOU step. */
export function proposalAtMouStep(caseKey = 'case1'): number {
  const plan = demoProposals.find((p) => p.key === caseKey);
  if (!plan) throw new Error(`No demo plan ${caseKey}`);
  const users = Object.fromEntries(demoUsers.map((u) => [u.key, actor(u.email)]));
  // The seed already ran this plan: its proposal names the partner's id.
  const seeded = first(qb().selectFrom('proposals').select('partner_id').where('event_title', '=', plan.eventTitle));
  if (!seeded) throw new Error(`The demo seed has no proposal for ${caseKey}`);
  const partners = { [plan.partnerKey]: seeded.partner_id };
  const id = runDemoProposal(
    { ...plan, key: `${plan.key}-mou-${++counter}`, eventTitle: `${plan.eventTitle} (MOU test ${counter})`, steps: plan.steps.filter((s) => s.step !== 'mou'), decision: null, withdraw: undefined },
    users,
    partners,
  );
  const state = proposalRow(id)!.state;
  if (state !== 'mou') throw new Error(`The ${caseKey} copy ended in ${state}, not at the MOU step.`);
  return id;
}

/** The demo seed's approved case 1 (found by its partner). */
export function approvedCase1(): number {
  const row = first(
    qb()
      .selectFrom('proposals as p')
      .innerJoin('partners as pa', 'pa.id', 'p.partner_id')
      .select('p.id')
      .where('pa.name', '=', 'Lakeshore University Students for Palestinian Rights')
      .where('p.state', '=', 'approved'),
  );
  if (!row) throw new Error('The demo seed has no approved case 1.');
  return row.id;
}

/** The demo seed's case 1 itself, whatever its state now. */
export function seededCase1(): number {
  const plan = demoProposals.find((p) => p.key === 'case1')!;
  const row = first(qb().selectFrom('proposals').select('id').where('event_title', '=', plan.eventTitle));
  if (!row) throw new Error('The demo seed has no case 1.');
  return row.id;
}
