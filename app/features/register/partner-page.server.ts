// The partner page's view of a partner profile: links only for web addresses,
// readable position tags and registry facts, and the register links that page on.
import { formatUtc, toEntryView } from './register-entries';
import type { PartnerProfile } from './register.server';

/** Only web addresses are links: a stored "javascript:" text stays text. */
function safeUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** "supports_bds" (the tag the agenda rules read) -> "Publicly supports BDS"; free text stays as typed. */
function positionLabel(position: string): string {
  const m = /^supports_(.+)$/.exec(position);
  return m ? `Publicly supports ${m[1]!.replace(/_/g, ' ').toUpperCase()}` : position;
}

type RegistryFact = { label: string; value: string; href: string | null };

const REGISTRY_LABEL: Record<string, string> = {
  source: 'Source',
  ein: 'EIN',
  subsectionCode: '501(c) subsection',
  rulingDate: 'Ruling date',
  url: 'Registry page',
  fetchedAt: 'Fetched',
  nteeCode: 'NTEE code',
  latestRevenue: 'Latest revenue',
  latestRevenuePeriod: 'Revenue tax period',
  city: 'City',
  state: 'State',
};

/** The registry data stored with the partner (JSON), as label/value pairs. */
function registryFacts(registry: string | null): RegistryFact[] {
  if (!registry) return [];
  let data: unknown;
  try {
    data = JSON.parse(registry);
  } catch {
    return [{ label: 'Registry data', value: registry, href: null }];
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return [];
  return Object.entries(data as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([key, v]) => {
      const value =
        typeof v === 'object'
          ? JSON.stringify(v)
          : key === 'latestRevenue' && typeof v === 'number'
            ? `$${Math.round(v).toLocaleString('en-US')}`
            : String(v);
      const label = REGISTRY_LABEL[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ');
      return { label: label.charAt(0).toUpperCase() + label.slice(1), value: key === 'fetchedAt' ? formatUtc(value) : value, href: safeUrl(v) };
    });
}

/** What the partner page shows of a profile, for a viewer scoped to one chapter (its name) or to all (null). */
export function partnerPageView(profile: PartnerProfile, scopeChapter: string | null) {
  const p = profile.partner;
  const qs = (params: URLSearchParams | null) => (params ? `/decisions?${params}` : null);
  return {
    partner: {
      id: p.id,
      name: p.name,
      website: p.website,
      websiteHref: safeUrl(p.website),
      country: p.country,
      description: p.description,
      publicPositions: p.publicPositions.map(positionLabel),
      ein: p.ein,
      registry: registryFacts(p.registry),
      createdAt: p.created_at,
    },
    scopeChapter,
    otherChapterProposals: profile.otherChapterProposals,
    proposals: profile.proposals.map((r) => ({
      id: r.id,
      reference: r.reference,
      eventTitle: r.event_title,
      eventDate: r.event_date,
      kind: r.kind,
      state: r.state,
      chapterName: r.chapter_name,
      campaignName: r.campaign_name,
      proposerName: r.proposer_name,
      decidedAt: r.decided_at,
      approvedUntil: r.approved_until,
    })),
    // Keyset pages of the proposals, on this page (plain links: no JavaScript needed).
    newerProposalsHref:
      profile.newerProposalsCursor === null
        ? null
        : `/partners/${p.id}?${new URLSearchParams({ proposals_before: String(profile.newerProposalsCursor) })}#proposals-heading`,
    olderProposalsHref:
      profile.olderProposalsCursor === null
        ? null
        : `/partners/${p.id}?${new URLSearchParams({ proposals_after: String(profile.olderProposalsCursor) })}#proposals-heading`,
    newestProposalsHref: `/partners/${p.id}#proposals-heading`,
    proposalCount: profile.proposalCount,
    proposalStates: profile.proposalStates,
    decisions: profile.decisions.map(toEntryView),
    decisionCount: profile.decisionCount,
    registerHref: qs(profile.registerParams)!,
    // Each proposal has exactly one "created" record: the register lists them all, paged.
    allProposalsHref: `/decisions?${new URLSearchParams({ partner: String(p.id), step: 'proposal', outcome: 'created' })}`,
    olderHref: qs(profile.olderParams),
  };
}
