import { matchPartnerName, normalizePartnerName, type NameMatch } from '../workflows/partner-names';
import { all, first, insertId, nowIso, prebuilt, qb } from './connection';
import type { Partner } from './schema';

export type PartnerInput = {
  name: string;
  website: string | null;
  country: string;
  description: string;
  publicPositions: string[];
  ein?: string | null;
  registry?: unknown;
};

export function createPartner(input: PartnerInput, createdBy: number | null): number {
  const now = nowIso();
  return insertId(
    qb()
      .insertInto('partners')
      .values({
        name: input.name.trim(),
        normalized_name: normalizePartnerName(input.name),
        website: input.website,
        country: input.country,
        description: input.description,
        public_positions: JSON.stringify(input.publicPositions),
        ein: input.ein ?? null,
        registry: input.registry === undefined ? null : JSON.stringify(input.registry),
        created_by: createdBy,
        created_at: now,
        updated_at: now,
      }),
  );
}

const partnerWithId = prebuilt<{ id: number }, Partner>(['id'], (p) => qb().selectFrom('partners').selectAll().where('id', '=', p.id));

export function partnerById(id: number): Partner | undefined {
  return first(partnerWithId({ id }));
}

export function publicPositionsOf(partner: Pick<Partner, 'public_positions'>): string[] {
  return JSON.parse(partner.public_positions) as string[];
}

export type PartnerCandidate = Partner & { match: NameMatch; proposalCount: number };

/**
 * Known partners whose name matches what was typed, best first. Names are
 * compared after normalization, so case, punctuation, "The" and "Inc." do not
 * matter and a small typo still matches.
 */
export function findPartnerCandidates(typed: string, limit = 8): PartnerCandidate[] {
  const query = normalizePartnerName(typed);
  if (!query) return [];
  const names = all(qb().selectFrom('partners').select(['id', 'normalized_name']));
  const matches: { id: number; match: NameMatch }[] = [];
  for (const row of names) {
    const match = matchPartnerName(query, row.normalized_name);
    if (match) matches.push({ id: row.id, match });
  }
  const rank = { exact: 0, close: 1, contains: 2 } as const;
  matches.sort((a, b) => rank[a.match.kind] - rank[b.match.kind] || a.match.distance - b.match.distance);
  const top = matches.slice(0, limit);
  if (top.length === 0) return [];
  const rows = all(
    qb()
      .selectFrom('partners as p')
      .selectAll('p')
      .select((eb) =>
        eb.selectFrom('proposals').select((e) => e.fn.countAll<number>().as('n')).whereRef('proposals.partner_id', '=', 'p.id').as('proposalCount'),
      )
      .where(
        'p.id',
        'in',
        top.map((t) => t.id),
      ),
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return top.flatMap((t) => {
    const row = byId.get(t.id);
    return row ? [{ ...row, proposalCount: Number(row.proposalCount ?? 0), match: t.match }] : [];
  });
}
