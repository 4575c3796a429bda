import { randomBytes } from 'node:crypto';
import { CONFIG_KINDS, addConfigVersion } from '../../db/config';
import { all, first, insertId, nowIso, qb, transaction } from '../../db/connection';
import { createPartner, partnerById } from '../../db/partners';
import { catchUpSearchIndex } from '../../db/search-index';
import { withoutNotifications } from '../../app/jobs/outbox.server';
import { proposalRow } from '../../db/proposals';
import { createChapter, createUser } from '../../db/users';
import { seedCampaigns, seedConfig } from '../../db/seed-data/config';
import { demoChapters, demoPartners, demoProposals, demoUsers, type DemoProposal } from '../../db/seed-data/demo';
import { demoDesignationAnswer } from '../../db/seed-data/screening-fixtures';
import type { Role } from '../../workflows/types';
import { generatedMouFor, saveMouVersion } from '../../app/features/mou/mou.server';
import { recordScreeningAnswer, screeningQueryFor } from '../../app/features/outside/screening.server';
import { hashPassword } from '../../app/features/auth/password.server';
import type { ActingUser } from '../../workflows/policy';
import { createProposal, decide } from '../../app/features/vetting/vetting.server';

export const DEMO_PASSWORD = 'cosponsor-demo';

export function isSeeded(): boolean {
  return first(qb().selectFrom('config_versions').select('id').limit(1)) !== undefined;
}

/** Version 1 of every configuration document, and the campaigns. */
export function seedConfiguration(): void {
  transaction(() => {
    for (const kind of CONFIG_KINDS) {
      const exists = first(qb().selectFrom('config_versions').select('id').where('kind', '=', kind).limit(1));
      if (!exists) addConfigVersion(kind, seedConfig[kind], 'Seeded from the organization’s campaign material.', null);
    }
    for (const campaign of seedCampaigns) {
      const exists = first(qb().selectFrom('campaigns').select('id').where('key', '=', campaign.key));
      if (!exists) insertId(qb().insertInto('campaigns').values({ ...campaign, created_at: nowIso() }));
    }
  });
}

export type DemoIds = {
  users: Record<string, ActingUser>;
  chapters: Record<string, number>;
  partners: Record<string, number>;
  proposals: Record<string, number>;
};

/** Chapters, users of every role and proposals sent through the real service. */
export async function seedDemo(options: { passwordHash?: string } = {}): Promise<DemoIds> {
  seedConfiguration();
  const chapters: Record<string, number> = {};
  for (const c of demoChapters) chapters[c.key] = createChapter(c.name, c.region);
  const users: Record<string, ActingUser> = {};
  for (const u of demoUsers) {
    const passwordHash = options.passwordHash ?? (await hashPassword(DEMO_PASSWORD));
    const chapterId = u.chapterKey ? chapters[u.chapterKey]! : null;
    const id = createUser({ email: u.email, name: u.name, passwordHash, chapterId, roles: u.roles });
    users[u.key] = { id, name: u.name, roles: u.roles as Role[], chapterId };
  }
  const partners: Record<string, number> = {};
  for (const p of demoPartners) partners[p.key] = createPartner(p, null);
  const proposals: Record<string, number> = {};
  await withoutNotifications(() => {
    for (const plan of demoProposals) proposals[plan.key] = runDemoProposal(plan, users, partners);
  });
  catchUpSearchIndex();
  seedDemoScreenings(partners, proposals);
  return { users, chapters, partners, proposals };
}

/**
 * Example case 5: the screening answer the service gave for its partner, from a
 * canned fixture, so the dossier shows the listing even with screening off.
 * Stored with source 'demo fixture', never as a live result.
 */
function seedDemoScreenings(partners: Record<string, number>, proposals: Record<string, number>): void {
  const partnerId = partners.al_bayyina;
  const proposalId = proposals.case5;
  if (partnerId === undefined || proposalId === undefined) return;
  const partner = partnerById(partnerId)!;
  recordScreeningAnswer({
    partnerId,
    proposalId,
    stage: 'creation',
    answer: demoDesignationAnswer,
    source: 'demo fixture',
    query: screeningQueryFor(partner),
  });
}

function campaignId(key: string): number {
  const row = first(qb().selectFrom('campaigns').select('id').where('key', '=', key));
  if (!row) throw new Error(`Unknown campaign ${key}`);
  return row.id;
}

function addDays(days: number): string {
  const d = new Date(nowIso());
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Sends one demo proposal through the same service entry point the pages use. */
export function runDemoProposal(
  plan: DemoProposal,
  users: Record<string, ActingUser>,
  partners: Record<string, number>,
): number {
  const lead = users[plan.proposerKey]!;
  const { id } = createProposal(lead, {
    partnerId: partners[plan.partnerKey]!,
    campaignId: campaignId(plan.campaignKey),
    eventTitle: plan.eventTitle,
    eventDate: addDays(plan.eventDateOffsetDays),
    eventPlace: plan.eventPlace,
    eventDescription: plan.eventDescription,
    kind: plan.kind,
  });
  const send = (actor: ActingUser, command: unknown) => {
    const proposal = proposalRow(id)!;
    const result = decide({ proposalId: id, expectedVersion: proposal.version, actor, command });
    if (!result.ok) {
      throw new Error(
        `Demo proposal ${plan.key}: ${JSON.stringify(command).slice(0, 80)} refused: ${result.error.message} ${JSON.stringify(result.error.fieldErrors)}`,
      );
    }
  };
  if (plan.steps.length > 0) send(lead, { type: 'SUBMIT_PROPOSAL' });
  for (const step of plan.steps) {
    const state = proposalRow(id)!.state;
    if (state !== step.step) continue; // a rule skipped this step
    switch (step.step) {
      case 'values':
        send(lead, { type: 'SUBMIT_VALUES', input: step.input });
        break;
      case 'agenda':
        send(lead, { type: 'SUBMIT_AGENDA', input: step.input });
        break;
      case 'risk':
        send(lead, { type: 'SUBMIT_RISK', input: step.input });
        break;
      case 'perception':
        send(lead, { type: 'SUBMIT_PERCEPTION', input: step.input });
        break;
      case 'mou':
        if (step.mou === 'generate') {
          saveMouVersion({
            proposalId: id,
            actor: lead,
            sections: generatedMouFor(id),
            removedConditions: [],
            note: 'Generated from the vetting.',
            baseVersion: null,
          });
          send(lead, { type: 'SUBMIT_MOU' });
        } else {
          send(lead, { type: 'MOU_NOT_NEEDED', reason: step.mou.notNeeded });
        }
        break;
    }
  }
  if (plan.decision) {
    const staff = users[plan.decision.byUserKey]!;
    const d = plan.decision;
    if (d.kind === 'approve') {
      send(staff, { type: 'APPROVE', conditions: d.conditions, endDate: null, rationale: d.rationale });
    } else if (d.kind === 'reject') {
      send(staff, { type: 'REJECT', rationale: d.rationale });
    } else {
      send(staff, { type: 'REQUEST_CHANGES', step: d.step, rationale: d.rationale });
    }
  }
  if (plan.withdraw) send(lead, { type: 'WITHDRAW', reason: plan.withdraw });
  return id;
}

/**
 * A production database: the configuration and one admin, no demo data. The
 * password comes from ADMIN_PASSWORD or is generated and returned once.
 */
export async function seedProduction(email: string, password?: string): Promise<{ email: string; password: string; generated: boolean }> {
  seedConfiguration();
  const existing = all(qb().selectFrom('users').select('id').limit(1));
  if (existing.length > 0) throw new Error('This database already has users; refusing to add a production admin.');
  const generated = !password;
  const finalPassword = password ?? randomBytes(18).toString('base64url');
  if (finalPassword.length < 12) throw new Error('ADMIN_PASSWORD must have at least 12 characters.');
  createUser({ email, name: 'Administrator', passwordHash: await hashPassword(finalPassword), chapterId: null, roles: ['admin'] });
  return { email, password: finalPassword, generated };
}
