// Page services of the chapter lead's journey: the grouped list, partner search with
// history, starting a proposal, and the step forms (initial values, drafts, submits).
import { activeConfig, listCampaigns } from '../../../db/config';
import { dataCache } from '../../../db/read-cache';
import { countByGroup, proposalListPage, type ListCursor, type ProposalListFilter, type ProposalListGroup, type ProposalListRow } from '../../../db/proposal-list';
import { transaction } from '../../../db/connection';
import { listChapters } from '../../../db/users';
import { createPartner, findPartnerCandidates, partnerById, publicPositionsOf } from '../../../db/partners';
import {
  proposalByCreationToken,
  updateDraftDetails,
  proposalsForPartners,
  saveStepDraft,
  stepDraft,
  latestSubmissions,
  type ProposalDetail,
} from '../../../db/proposals';
import { STATES, type Step } from '../../../workflows/types';
import { latestRecordOfProposal } from '../../../db/decision-log';
import type { Proposal } from '../../../db/schema';
import { formKey } from './step-forms';
import { readValuesTyped } from './step-typed-values';
import { emptyAgendaItem, readAgendaTyped } from './step-typed-agenda';
import { emptyRiskItem, readRiskTyped } from './step-typed-risk';
import { readPerceptionTyped } from './step-typed-perception';
import { formatEin, lookupOrganization, normalizeEin, prefillPartner, registryConfig, searchRegistry, looksLikeEin } from '../outside/registry.server';
import { screenPartner, screeningConfig } from '../outside/screening.server';
import { can, isAtStep, isBeforeStep, isDraft, isInReview, isPrecedent, seesEveryChapter, stateAsOf, type ActingUser } from '../../../workflows/policy';
import { createProposal, decide, DecisionError } from './vetting.server';
import { parseWholeNumber, positiveWholeNumber } from '../../utils/whole-number';
import { stateLabel, stepLabel } from '../../utils/labels';

// ---- /proposals ----

export type ProposalGroupKey = 'changes' | 'drafts' | 'in_progress' | 'waiting' | 'decided';
const GROUPS: { key: ProposalGroupKey; title: string; hint: string }[] = [
  { key: 'changes', title: 'Changes requested', hint: 'Staff sent these back: fix the named step and resubmit.' },
  { key: 'drafts', title: 'Drafts', hint: 'Not yet submitted for vetting.' },
  { key: 'in_progress', title: 'In progress', hint: 'Vetting steps still to complete.' },
  { key: 'waiting', title: 'Waiting for staff', hint: 'Complete: staff will approve, reject or ask for changes.' },
  { key: 'decided', title: 'Decided', hint: 'Approved, rejected, withdrawn or expired.' },
];

export function groupOf(p: Pick<ProposalDetail, 'state' | 'returned_to'>): ProposalGroupKey {
  if (isAtStep(p.state) && p.returned_to) return 'changes';
  if (isDraft(p.state)) return 'drafts';
  if (isAtStep(p.state)) return 'in_progress';
  if (isInReview(p.state)) return 'waiting';
  return 'decided';
}

/** What the list shows: one group or all, filters, and a keyset position. */
export type ProposalListQuery = {
  group: ProposalGroupKey | null;
  chapterId: number | null;
  campaignId: number | null;
  text: string | null;
  after: ListCursor | null;
  before: ListCursor | null;
};

const GROUP_KEYS = GROUPS.map((g) => g.key);
// The cards each group shows on the overview, and on a page of one group.
const GROUP_PREVIEW = 6;
const GROUP_PAGE_SIZE = 20;
const MAX_TEXT = 200;

/** "updated_at_id", as the page links carry it. */
const cursorParam = (c: ListCursor) => `${c.updatedAt}_${c.id}`;

function readCursor(value: string | null): ListCursor | null {
  const match = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)_(\d{1,12})$/.exec(value ?? '');
  return match ? { updatedAt: match[1], id: Number(match[2]) } : null;
}

export function parseProposalListQuery(url: URL): ProposalListQuery {
  const id = (key: string) => positiveWholeNumber(url.searchParams.get(key));
  const group = url.searchParams.get('group');
  const text = (url.searchParams.get('q') ?? '').trim().slice(0, MAX_TEXT);
  return {
    group: (GROUP_KEYS as readonly string[]).includes(group ?? '') ? (group as ProposalGroupKey) : null,
    chapterId: id('chapter'),
    campaignId: id('campaign'),
    text: text || null,
    after: readCursor(url.searchParams.get('after')),
    before: readCursor(url.searchParams.get('before')),
  };
}

// Each group as states, asked of the policy's state questions (no state strings compared here).
const stepStates = STATES.filter((s) => isAtStep(s));
const GROUP_STATES: Record<ProposalGroupKey, ProposalListGroup> = {
  changes: { states: stepStates, returned: true },
  drafts: { states: STATES.filter((s) => isDraft(s)), returned: null },
  in_progress: { states: stepStates, returned: false },
  waiting: { states: STATES.filter((s) => isInReview(s)), returned: null },
  decided: { states: STATES.filter((s) => !isDraft(s) && !isAtStep(s) && !isInReview(s)), returned: null },
};

/**
 * The proposals a person may see, grouped by what needs the lead's action first: every group's
 * count under the filters, and either the first few cards of each group or one keyset page of one.
 */
export function proposalGroups(user: ActingUser, query: ProposalListQuery, today: string = new Date().toISOString().slice(0, 10)) {
  const seesAll = seesEveryChapter(user);
  const filter: ProposalListFilter = {
    // Chapter leads see their own chapter whatever the address says.
    chapterId: seesAll ? query.chapterId : (user.chapterId ?? -1),
    campaignId: query.campaignId,
    text: query.text,
  };
  const key = JSON.stringify([seesAll, filter.chapterId, filter.campaignId, filter.text, query.group, query.after, query.before, today]);
  return overviews.read(key, () => buildProposalGroups(seesAll, filter, query, today));
}

// The overview is where leads and staff land, read again and again between writes (16 queries
// for its groups and one for its counts at 20,000 proposals: a third of the page's time). It is
// kept until the next write to the database (db/read-cache.ts); the key holds all else it
// depends on: whether the person sees every chapter, the filters as applied (a lead's own
// chapter whatever the address says), the group and page, and the day (stateAsOf).
const overviews = dataCache<ReturnType<typeof buildProposalGroups>>(64);

function buildProposalGroups(seesAll: boolean, filter: ProposalListFilter, query: ProposalListQuery, today: string) {
  const counts = countByGroup(filter, GROUP_STATES);
  const card = (p: ProposalListRow) => ({
    id: p.id,
    reference: p.reference,
    partner: p.partner_name,
    chapter: p.chapter_name,
    event: p.event_title,
    eventDate: p.event_date,
    kind: p.kind,
    // An approval past its end date reads as expired; the sweep in server.ts records it.
    state: stateAsOf(p.state, p.approved_until, today),
    returnedTo: p.returned_to,
    recommendReject: p.recommend_reject === 1,
    updatedAt: p.updated_at,
  });
  const shown = query.group ? GROUPS.filter((g) => g.key === query.group) : GROUPS;
  const groups = shown.map((g) => {
    const page = query.group
      ? proposalListPage(filter, GROUP_STATES[g.key], { after: query.after, before: query.before, limit: GROUP_PAGE_SIZE })
      : proposalListPage(filter, GROUP_STATES[g.key], { limit: GROUP_PREVIEW });
    return {
      ...g,
      count: counts[g.key],
      proposals: page.rows.map(card),
      newer: query.group && page.newer ? cursorParam(page.newer) : null,
      older: query.group && page.older ? cursorParam(page.older) : null,
    };
  });
  const total = GROUPS.reduce((sum, g) => sum + counts[g.key], 0);
  return {
    seesAll,
    groups,
    counts: GROUPS.map((g) => ({ key: g.key, title: g.title, count: counts[g.key] })),
    total,
    choices: {
      chapters: seesAll ? listChapters().map((c) => ({ id: c.id, name: c.name })) : [],
      campaigns: listCampaigns(false).map((c) => ({ id: c.id, name: c.name })),
    },
  };
}

// ---- /proposals/new ----

export type DraftDetails = {
  version: number;
  eventTitle: string;
  eventDate: string;
  eventPlace: string;
  eventDescription: string;
  kind: string;
  campaignId: number;
};
export type EditDetailsResult = { ok: true } | { ok: false; kind: 'not_draft' | 'unknown_campaign' | 'stale' };

/** Saves a draft's event details, unless someone changed it since the form was read. */
export function editDraftDetails(actor: ActingUser, proposal: Pick<Proposal, 'id' | 'state'>, v: DraftDetails): EditDetailsResult {
  if (!isDraft(proposal.state)) return { ok: false, kind: 'not_draft' };
  if (!campaignOptions().some((c) => c.id === v.campaignId)) return { ok: false, kind: 'unknown_campaign' };
  const saved = updateDraftDetails(
    proposal.id,
    v.version,
    {
      event_title: v.eventTitle,
      event_date: v.eventDate,
      event_place: v.eventPlace,
      event_description: v.eventDescription,
      kind: v.kind,
      campaign_id: v.campaignId,
    },
    actor.id,
  );
  return saved ? { ok: true } : { ok: false, kind: 'stale' };
}

export type PartnerHistoryEntry = {
  /** Null for another chapter's proposal: the viewer learns its outcome, never its contents. */
  id: number | null;
  reference: string | null;
  event: string | null;
  eventDate: string | null;
  state: string;
  chapter: string;
  decidedAt: string | null;
  /** The rationale of the deciding record, for decided precedent; else null. */
  reason: string | null;
};

const HISTORY_SHOWN = 20;
// Proposals read per query while filling the history lists.
const HISTORY_BATCH = 100;

/**
 * Earlier proposals with these partners as this viewer may see them: every
 * proposal they may open, and other chapters' decided ones as precedent only
 * (outcome, date, reason), never their drafts or work in progress.
 * The one rule for precedent: the partner search, a proposal's home and values
 * step, and the partner page all read it from here.
 */
export function partnerHistory(
  partnerIds: number[],
  viewer: ActingUser,
  options: { exceptProposalId?: number; limitPerPartner?: number } = {},
): Map<number, PartnerHistoryEntry[]> {
  // Bounded: a much-asked partner has thousands of proposals; the newest say enough, and the partner page has the rest.
  const limit = options.limitPerPartner ?? HISTORY_SHOWN;
  const byPartner = new Map<number, PartnerHistoryEntry[]>(partnerIds.map((id) => [id, []]));
  // Read newest first a batch at a time, until every partner's list is full or the proposals end.
  let beforeId: number | undefined;
  for (;;) {
    const batch = proposalsForPartners(partnerIds, { limit: HISTORY_BATCH, beforeId });
    for (const h of batch) {
      const list = byPartner.get(h.partner_id);
      if (!list || list.length >= limit || h.id === options.exceptProposalId) continue;
      const mayOpen = can(viewer, 'proposal.view', h).ok;
      if (!mayOpen && !isPrecedent(h.state)) continue;
      const reason = isPrecedent(h.state) ? (latestRecordOfProposal(h.id)?.rationale ?? null) : null;
      const common = { state: h.state, chapter: h.chapter_name, decidedAt: h.decided_at, reason };
      list.push(
        mayOpen
          ? { id: h.id, reference: h.reference, event: h.event_title, eventDate: h.event_date, ...common }
          : { id: null, reference: null, event: null, eventDate: null, ...common },
      );
    }
    if (batch.length < HISTORY_BATCH || [...byPartner.values()].every((list) => list.length >= limit)) break;
    beforeId = batch[batch.length - 1]!.id;
  }
  return byPartner;
}

/** Known partners like `q`, each with its history as this viewer may see it (see partnerHistory). */
export function partnerCandidates(q: string, viewer: ActingUser) {
  const candidates = findPartnerCandidates(q);
  const history = partnerHistory(
    candidates.map((c) => c.id),
    viewer,
  );
  return candidates.map((c) => ({
    id: c.id,
    name: c.name,
    website: c.website,
    country: c.country,
    description: c.description,
    publicPositions: publicPositionsOf(c),
    match: c.match.kind,
    history: history.get(c.id) ?? [],
  }));
}

/** The other proposals with this proposal's partner, as its viewer may see them (precedent for the lead). */
export const precedentFor = (partnerId: number, viewer: ActingUser, exceptProposalId?: number) =>
  partnerHistory([partnerId], viewer, { exceptProposalId }).get(partnerId) ?? [];

export function partnerSummary(id: number) {
  const p = partnerById(id);
  return p
    ? { id: p.id, name: p.name, website: p.website, country: p.country, description: p.description, publicPositions: publicPositionsOf(p) }
    : null;
}

export const campaignOptions = () => listCampaigns().map((c) => ({ id: c.id, name: c.name }));

export type StartProposalValue = {
  partnerId?: number;
  partnerName?: string;
  partnerWebsite?: string;
  partnerCountry?: string;
  partnerDescription?: string;
  /** "12-3456789" or nine digits. */
  partnerEin?: string;
  /** Tags of recorded movements the partner publicly supports (supportsTag). */
  publicPositions?: string[];
  confirmNew?: 'on';
  /** Registry data to keep with a new partner (see registryRecordFor). */
  registry?: Record<string, unknown> | null;
  /** The form's one-time token (see proposalByCreationToken). */
  creationToken?: string;
  eventTitle: string;
  eventDate: string;
  eventPlace: string;
  eventDescription: string;
  kind: string;
  campaignId: number;
};

export type StartResult =
  | { ok: true; id: number; reference: string; partnerName: string; partnerId: number; repeated?: boolean }
  | { ok: false; formError: string; fieldErrors: Record<string, string[]>; duplicates?: ReturnType<typeof partnerCandidates> };

/** Creates the partner when new (unless it looks like a known one), then the draft proposal. */
function startProposal(actor: ActingUser, v: StartProposalValue): StartResult {
  const repeated = v.creationToken ? alreadyCreated(actor, v.creationToken) : null;
  if (repeated) return repeated;
  if (!listCampaigns().some((c) => c.id === v.campaignId)) {
    return { ok: false, formError: 'Choose one of the campaigns.', fieldErrors: { campaignId: ['Choose one of the campaigns.'] } };
  }
  if (v.partnerId === undefined) {
    const duplicates = partnerCandidates(v.partnerName ?? '', actor).filter((c) => c.match !== 'contains');
    if (duplicates.length > 0 && v.confirmNew !== 'on') {
      return {
        ok: false,
        formError: 'A partner with a very similar name is already known. Choose it, or confirm that this is a different group.',
        fieldErrors: { partnerName: ['Very close to a known partner’s name.'] },
        duplicates,
      };
    }
  } else if (!partnerById(v.partnerId)) {
    return { ok: false, formError: 'That partner no longer exists: search again.', fieldErrors: {} };
  }
  try {
    return transaction(() => {
      // Checked again inside the transaction: a second post of the same form may have waited on an outside call meanwhile.
      const repeatedMeanwhile = v.creationToken ? alreadyCreated(actor, v.creationToken) : null;
      if (repeatedMeanwhile) return repeatedMeanwhile;
      const partnerId =
        v.partnerId ??
        createPartner(
          {
            name: v.partnerName!,
            website: v.partnerWebsite || null,
            country: v.partnerCountry!,
            description: v.partnerDescription!,
            publicPositions: [...new Set(v.publicPositions ?? [])],
            ein: v.partnerEin ? formatEin(normalizeEin(v.partnerEin)!) : null,
            registry: v.registry ?? undefined,
          },
          actor.id,
        );
      const created = createProposal(
        actor,
        {
          partnerId,
          campaignId: v.campaignId,
          eventTitle: v.eventTitle,
          eventDate: v.eventDate,
          eventPlace: v.eventPlace,
          eventDescription: v.eventDescription,
          kind: v.kind,
        },
        { creationToken: v.creationToken },
      );
      return { ok: true as const, ...created, partnerName: partnerById(partnerId)!.name, partnerId };
    });
  } catch (error) {
    if (error instanceof DecisionError) {
      return { ok: false, formError: error.message, fieldErrors: mapFieldErrors(error.fieldErrors) };
    }
    throw error;
  }
}

/** The proposal this user's form already created with this token, as a success (a repeated post). */
function alreadyCreated(actor: ActingUser, token: string): Extract<StartResult, { ok: true }> | null {
  const existing = proposalByCreationToken(token);
  if (!existing || existing.proposer_id !== actor.id) return null;
  return { ok: true, id: existing.id, reference: existing.reference, partnerName: partnerById(existing.partner_id)?.name ?? '', partnerId: existing.partner_id, repeated: true };
}

// ---- Outside services at creation: registry lookup and screening ----

type RegistryRow = {
  ein: string;
  einFormatted: string;
  name: string;
  city: string | null;
  state: string | null;
  nteeCode: string | null;
  /** Only known when the lookup was by EIN: the registry's search gives no revenue. */
  latestRevenue: { amount: number; taxPeriod: string | null } | null;
};

export type RegistryPanel =
  | { enabled: false }
  | {
      enabled: true;
      query: string;
      state: string;
      page: number;
      /** null until someone searched. */
      search:
        | null
        | { ok: true; rows: RegistryRow[]; totalResults: number; numPages: number; page: number; note: string | null }
        | { ok: false; message: string };
      chosen: null | { ok: true; prefill: RegistryPrefillView; note: string | null } | { ok: false; message: string };
    };

type RegistryPrefillView = {
  name: string;
  ein: string;
  city: string | null;
  state: string | null;
  nteeCode: string | null;
  latestRevenue: number | null;
  latestRevenuePeriod: string | null;
  subsectionCode: number | null;
  url: string;
  /** The description the new-partner form starts with. */
  description: string;
};

const usd = (n: number) => `$${Math.round(n).toLocaleString('en-US')}`;

/** The registry's facts as the first line of the partner's description; the lead adds who they are. */
function registryDescription(p: { city: string | null; state: string | null; ein: string; nteeCode: string | null; latestRevenue: number | null; latestRevenuePeriod: string | null; subsectionCode: number | null }) {
  const place = [p.city, p.state].filter(Boolean).join(', ');
  const facts = [
    p.subsectionCode !== null ? `501(c)(${p.subsectionCode})` : null,
    `EIN ${p.ein}`,
    p.nteeCode ? `NTEE ${p.nteeCode}` : null,
    p.latestRevenue !== null ? `latest revenue ${usd(p.latestRevenue)}${p.latestRevenuePeriod ? ` (${p.latestRevenuePeriod})` : ''}` : null,
  ].filter(Boolean);
  return `US nonprofit${place ? ` in ${place}` : ''} (${facts.join('; ')}, per the IRS registry). `;
}

/**
 * The lookup box of the new-partner form: a search by name or EIN (GET
 * parameters rq, rstate, rpage) and the organization chosen with "Use this"
 * (ein). Nothing when the registry is off; a failure is a message, never a throw.
 */
export async function registryPanel(params: URLSearchParams): Promise<RegistryPanel> {
  if (!registryConfig().enabled) return { enabled: false };
  const query = (params.get('rq') ?? '').trim().slice(0, 200);
  const state = (params.get('rstate') ?? '').trim().toUpperCase();
  const validState = /^[A-Z]{2}$/.test(state) ? state : '';
  const page = Math.min(400, parseWholeNumber(params.get('rpage')) ?? 0);
  const einParam = normalizeEin(params.get('ein') ?? '');

  let search: Extract<RegistryPanel, { enabled: true }>['search'] = null;
  if (query) {
    if (looksLikeEin(query)) {
      // One organization: its profile, with revenue, in one call.
      const found = await lookupOrganization(query);
      if (found.ok) {
        const o = found.organization;
        search = {
          ok: true,
          rows: [{ ...o, latestRevenue: o.latestRevenue ? { amount: o.latestRevenue.amount, taxPeriod: o.latestRevenue.taxPeriod } : null }],
          totalResults: 1,
          numPages: 1,
          page: 0,
          note: found.warning,
        };
      } else if (found.kind === 'not_found') {
        search = { ok: true, rows: [], totalResults: 0, numPages: 0, page: 0, note: found.message };
      } else {
        search = { ok: false, message: found.message };
      }
    } else {
      const found = await searchRegistry({ query, state: validState || null, page });
      search = found.ok
        ? {
            ok: true,
            rows: found.organizations.map((o) => ({ ...o, latestRevenue: null })),
            totalResults: found.totalResults,
            numPages: found.numPages,
            page: found.page,
            note: found.warning,
          }
        : { ok: false, message: found.message };
    }
  }

  let chosen: Extract<RegistryPanel, { enabled: true }>['chosen'] = null;
  if (einParam) {
    const found = await prefillPartner(einParam);
    if (found.ok) {
      const p = found.prefill;
      const view = {
        name: p.name,
        ein: p.ein,
        city: p.city,
        state: p.state,
        nteeCode: p.nteeCode,
        latestRevenue: p.latestRevenue,
        latestRevenuePeriod: p.latestRevenuePeriod,
        subsectionCode: p.registry.subsectionCode,
        url: p.registry.url,
      };
      chosen = { ok: true, prefill: { ...view, description: registryDescription(view) }, note: found.warning };
    } else {
      chosen = { ok: false, message: found.message };
    }
  }
  return { enabled: true, query, state: validState, page, search, chosen };
}

/**
 * The registry data kept with a new partner (partners.registry), fetched
 * again on submit (from the cache, normally) rather than trusted from the
 * form. Only when the EIN typed is still the one chosen; null when the
 * registry cannot say.
 */
async function registryRecordFor(registryEin: string, partnerEin: string | undefined): Promise<Record<string, unknown> | null> {
  const chosen = normalizeEin(registryEin);
  if (!chosen || !partnerEin || normalizeEin(partnerEin) !== chosen) return null;
  const found = await prefillPartner(chosen);
  if (!found.ok) return null;
  const p = found.prefill;
  return {
    source: p.registry.source,
    ein: p.ein,
    city: p.city,
    state: p.state,
    nteeCode: p.nteeCode,
    latestRevenue: p.latestRevenue,
    latestRevenuePeriod: p.latestRevenuePeriod,
    subsectionCode: p.registry.subsectionCode,
    rulingDate: p.registry.rulingDate,
    url: p.registry.url,
    fetchedAt: p.registry.fetchedAt,
  };
}

/** How long creating a proposal waits for its screening before redirecting; a slower one is stored when it ends. */
const CREATION_SCREENING_WAIT_MS = 2000;

/**
 * Screens a new proposal's partner. Never throws and never holds the page
 * longer than `waitMs`: a failure is stored as an error screening, and a slow
 * answer finishes in the background (the service has its own timeout).
 */
async function screenAtCreation(partnerId: number, proposalId: number, waitMs = CREATION_SCREENING_WAIT_MS): Promise<void> {
  if (!screeningConfig().enabled) return;
  const screening = screenPartner({ partnerId, proposalId, stage: 'creation' }).then(
    () => undefined,
    (error: unknown) => console.error(`Screening proposal ${proposalId} at creation failed:`, error),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, waitMs);
  });
  await Promise.race([screening, waited]);
  clearTimeout(timer);
}

/** startProposal with the outside services: registry data kept with a new partner, then screening. */
export async function startProposalWithChecks(
  actor: ActingUser,
  v: Omit<StartProposalValue, 'registry'> & { registryEin?: string },
): Promise<StartResult> {
  const { registryEin, ...value } = v;
  const registry = value.partnerId === undefined && registryEin ? await registryRecordFor(registryEin, value.partnerEin) : null;
  const result = startProposal(actor, { ...value, registry });
  if (result.ok && !result.repeated) await screenAtCreation(result.partnerId, result.id);
  return result;
}

// ---- Step forms ----

export type StepTypedValues = {
  values: ReturnType<typeof readValuesTyped>;
  agenda: ReturnType<typeof readAgendaTyped>;
  risk: ReturnType<typeof readRiskTyped>;
  perception: ReturnType<typeof readPerceptionTyped>;
};
export type FormStep = keyof StepTypedValues;

/** Service error paths ("input.items.2.residualImpact") as form field names ("items[2].residualImpact"). */
export function mapFieldErrors(errors: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(errors)) (out[formKey(k)] ??= []).push(...v);
  return out;
}

export function readTyped<S extends FormStep>(step: S, raw: unknown): StepTypedValues[S] {
  const { docs } = activeConfig();
  switch (step) {
    case 'values':
      return readValuesTyped(raw, docs.values_criteria.criteria.map((c) => c.key)) as StepTypedValues[S];
    case 'agenda':
      return readAgendaTyped(raw) as StepTypedValues[S];
    case 'risk':
      return readRiskTyped(raw) as StepTypedValues[S];
    default:
      return readPerceptionTyped(raw, docs.perception_checklist.items.map((i) => i.key)) as StepTypedValues[S];
  }
}

function emptyTyped<S extends FormStep>(step: S): StepTypedValues[S] {
  if (step === 'agenda') return { items: [emptyAgendaItem()] } as StepTypedValues[S];
  if (step === 'risk') return { items: [emptyRiskItem('risk'), emptyRiskItem('benefit')] } as StepTypedValues[S];
  return readTyped(step, {});
}

/** Where the form starts: the saved draft, else the last submission (a step sent back), else empty. */
function initialStepValues<S extends FormStep>(proposalId: number, step: S) {
  const draft = stepDraft(proposalId, step);
  if (draft) return { source: 'draft' as const, savedAt: draft.saved_at, values: readTyped(step, draft.data) };
  const submitted = latestSubmissions(proposalId)[step];
  if (submitted) return { source: 'submission' as const, savedAt: submitted.submitted_at, values: readTyped(step, submitted.data) };
  return { source: 'empty' as const, savedAt: null, values: emptyTyped(step) };
}

/** When the step's stored draft was saved, or null when it has none. */
export function draftSavedAt(proposalId: number, step: Step): string | null {
  return stepDraft(proposalId, step)?.saved_at ?? null;
}

export function saveDraft(proposalId: number, step: Step, typed: unknown, actor: ActingUser): void {
  saveStepDraft(proposalId, step, typed, actor.id);
}

const COMMAND_OF: Record<FormStep, 'SUBMIT_VALUES' | 'SUBMIT_AGENDA' | 'SUBMIT_RISK' | 'SUBMIT_PERCEPTION'> = {
  values: 'SUBMIT_VALUES',
  agenda: 'SUBMIT_AGENDA',
  risk: 'SUBMIT_RISK',
  perception: 'SUBMIT_PERCEPTION',
};

export type StepSubmitResult =
  | { ok: true; state: string; outcome: string; rationale: string }
  | { ok: false; kind: DecisionError['kind']; message: string; fieldErrors: Record<string, string[]> };

export function submitStep(proposalId: number, expectedVersion: number, actor: ActingUser, step: FormStep, input: unknown): StepSubmitResult {
  const result = decide({ proposalId, expectedVersion, actor, command: { type: COMMAND_OF[step], input } });
  if (!result.ok) {
    return { ok: false, kind: result.error.kind, message: result.error.message, fieldErrors: mapFieldErrors(result.error.fieldErrors) };
  }
  const main = result.records[0]!;
  return { ok: true, state: result.proposal.state, outcome: main.outcome, rationale: main.rationale };
}

/** Whether this user may work on this step of this proposal now. */
export function stepEditable(user: ActingUser, proposal: { state: string; proposer_id: number; chapter_id: number; last_changed_by: number | null }, step: Step) {
  return can(user, 'proposal.edit', proposal).ok && proposal.state === step;
}


// ---- The step pages' loader and action, shared by the four step routes ----

export function stepPage<S extends FormStep>(user: ActingUser, proposal: Proposal, step: S) {
  const editable = stepEditable(user, proposal, step);
  const initial = editable ? initialStepValues(proposal.id, step) : readOnlyValues(proposal.id, step);
  const readOnlyReason = editable ? null : stepReadOnlyReason(user, proposal, step);
  return { proposalId: proposal.id, version: proposal.version, state: proposal.state, editable, readOnlyReason, initial };
}

/** Why this person cannot change this step now, in words that say what to do (or that nobody can). */
function stepReadOnlyReason(user: ActingUser, proposal: Proposal, step: Step): string {
  const may = can(user, 'proposal.edit', proposal);
  if (!may.ok) return `This step is read-only for you. ${may.reason}`;
  if (isDraft(proposal.state)) return 'This proposal is a draft: submit it for vetting, and the steps open one after another.';
  if (isBeforeStep(proposal.state, step)) return `This step opens after ${stepLabel(proposal.state)}, the proposal’s current step.`;
  if (isAtStep(proposal.state)) return `This step is done: the proposal has moved on to ${stepLabel(proposal.state)}.`;
  if (isInReview(proposal.state)) return 'The proposal is with staff for review: its steps change again only if staff ask for changes.';
  return `The proposal is ${stateLabel(proposal.state).toLowerCase()}: its steps are kept as they were submitted.`;
}

function readOnlyValues<S extends FormStep>(proposalId: number, step: S) {
  const submitted = latestSubmissions(proposalId)[step];
  return submitted
    ? { source: 'submission' as const, savedAt: submitted.submitted_at, values: readTyped(step, submitted.data) }
    : { source: 'empty' as const, savedAt: null, values: emptyTyped(step) };
}
