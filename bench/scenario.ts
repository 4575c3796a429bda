import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { database, first, qb, useDatabase } from '../db/connection';
import { migrateToLatest } from '../db/migrate';
import { createPartner } from '../db/partners';
import { createChapter, createUser } from '../db/users';
import { seedConfiguration } from '../scripts/seed/demo';
import type { ActingUser } from '../workflows/policy';
import type { Role } from '../workflows/types';

// A fresh database holding the configuration, a few people and partners, and
// no proposals: the starting point of both benchmarks.

export type Cast = {
  leads: ActingUser[];
  staff: ActingUser[];
  partners: { plain: number[]; bds: number[] };
  campaignId: number;
};

export function tempFile(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosponsor-bench-'));
  return path.join(dir, name);
}

/** `target`: a SQLite file, or the URL of an empty PostgreSQL database. */
export async function freshBenchDatabase(target: string): Promise<Cast> {
  useDatabase(target);
  await migrateToLatest(database());
  seedConfiguration();
  // The password hash is never checked here; a placeholder keeps setup fast.
  const person = (email: string, name: string, roles: Role[], chapterId: number | null): ActingUser => ({
    id: createUser({ email, name, passwordHash: 'bench:not-a-login', chapterId, roles }),
    name,
    roles,
    chapterId,
  });
  const chicago = createChapter('Bench Chicago Group', 'Midwest');
  const bay = createChapter('Bench Bay Area Chapter', 'West');
  const leads = [
    person('lead-a@bench.test', 'Lead A', ['chapter_lead'], chicago),
    person('lead-b@bench.test', 'Lead B', ['chapter_lead'], bay),
  ];
  const staff = [
    person('staff-a@bench.test', 'Staff A', ['staff'], null),
    person('staff-b@bench.test', 'Staff B', ['staff'], null),
    person('staff-c@bench.test', 'Staff C', ['staff'], null),
  ];
  const partner = (name: string, publicPositions: string[]) =>
    createPartner(
      {
        name,
        website: `https://${name.toLowerCase().replace(/[^a-z]+/g, '-')}.example.org`,
        country: 'US',
        description: `${name}: a community group that co-hosts public events with local chapters.`,
        publicPositions,
      },
      null,
    );
  const plain = ['Northside Film Collective', 'Tenants United', 'Riverside Faith Circle', 'Campus Amnesty Allies'].map((n) =>
    partner(n, []),
  );
  const bds = ['Students for Palestinian Rights', 'Solidarity Network'].map((n) => partner(n, ['supports_bds']));
  const campaign = first(qb().selectFrom('campaigns').select('id').where('key', '=', 'israel_opt'))!;
  return { leads, staff, partners: { plain, bds }, campaignId: campaign.id };
}

export function daysFromToday(days: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const CRITERIA = ['independence', 'non_discrimination', 'human_rights_standards', 'mutual_respect', 'transparency'];

export function valuesInput(kind: 'compatible' | 'concerns' | 'incompatible') {
  const ratings: Record<string, { rating: string; evidence: string; links: string[] }> = {};
  for (const key of CRITERIA) {
    ratings[key] = {
      rating: 'meets',
      evidence: `Reviewed the group's public statements, leadership page and recent events for ${key.replace(/_/g, ' ')}.`,
      links: ['https://example.org/about', 'https://example.org/statements'],
    };
  }
  if (kind === 'concerns') ratings.transparency = { ...ratings.transparency!, rating: 'concern' };
  if (kind === 'incompatible') ratings.independence = { ...ratings.independence!, rating: 'not_met' };
  return { ratings };
}

export function agendaInput(withBds: boolean) {
  const items = [
    { text: 'Stop home demolitions in East Jerusalem', scope: 'event', classification: 'aligned', positionKey: 'cancel_evictions_demolitions' },
    { text: 'Unimpeded humanitarian aid into Gaza', scope: 'general', classification: 'aligned', positionKey: 'unimpeded_humanitarian_aid' },
  ];
  if (withBds) items.push({ text: 'Support the BDS call', scope: 'general', classification: 'no_position', positionKey: 'bds_movement' });
  return { items };
}

export function riskInput() {
  return {
    items: [
      {
        kind: 'risk',
        category: 'reputation',
        description: 'Speakers may present the event as an endorsement of positions the organization does not hold.',
        likelihood: 3,
        impact: 3,
        mitigation: 'Agree talking points in advance and brief every speaker.',
        residualLikelihood: 1,
        residualImpact: 3,
      },
      {
        kind: 'benefit',
        category: 'mission_impact',
        description: 'Reaches students who have not attended a chapter event before.',
        likelihood: 4,
        impact: 4,
        mitigation: null,
        residualLikelihood: null,
        residualImpact: null,
      },
    ],
  };
}

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

export function perceptionInput(conditions: number) {
  const answers: Record<string, { answer: string; note: string }> = {};
  PERCEPTION_ITEMS.forEach((key, i) => {
    answers[key] = { answer: i < conditions ? 'condition' : 'met', note: i < conditions ? 'Agreed with the partner by e-mail.' : '' };
  });
  return { answers };
}
