// Screening that remembers (issue 17, item 3): staff judge a hit "not a true match" with a reason,
// which is a decision record; later screenings of the same partner keep that judgment for the
// same listed entity and show new hits only. Partners with open or approved proposals are screened
// again on a schedule; a new hit on an approved partnership raises an alert in the review queue and
// a message in staff inboxes, and never changes a proposal's state.
import { z } from 'zod';
import { nowIso, transaction } from '../../../db/connection';
import { appendRecords } from '../../../db/decision-log';
import { activeUserIdsWithRole, insertInboxRows, type InboxRowInput } from '../../../db/inbox';
import { partnerById } from '../../../db/partners';
import { proposalRow } from '../../../db/proposals';
import { canonicalJson, hashOfText } from '../../../db/record-hash';
import {
  insertScreeningAlert,
  NOT_A_TRUE_MATCH,
  openScreeningAlerts,
  partnersDueForRescan,
  proposalsOfPartnerIn,
  SCREENING_STEP,
  screeningJudgmentsOfPartner,
  screeningAlertsOfProposal,
} from '../../../db/screening-memory';
import { activeConfig } from '../../../db/config';
import { can, isApproved, isRescanned, roleFor, type ActingUser } from '../../../workflows/policy';
import { STATES } from '../../../workflows/types';
import { env } from '../../utils/env.server';
import {
  copyScreening,
  screenPartner,
  screeningConfig,
  screeningsOfProposal,
  type Screening,
  type ScreeningResult,
} from '../outside/screening.server';

export const JUDGMENT_REASON_MIN = 10;
export const JUDGMENT_REASON_MAX = 2000;

/** The form that marks one hit "not a true match". */
export const judgeHitSchema = z.object({
  entityId: z
    .string({ error: 'Choose the hit you judge.' })
    .trim()
    .min(1, 'Choose the hit you judge.')
    .max(200, 'That is not an entity id the screening service gave.'),
  reason: z
    .string({ error: `Say why this is not the partner, in at least ${JUDGMENT_REASON_MIN} characters.` })
    .trim()
    .min(JUDGMENT_REASON_MIN, `Say why this is not the partner, in at least ${JUDGMENT_REASON_MIN} characters.`)
    .max(JUDGMENT_REASON_MAX, `Keep the reason under ${JUDGMENT_REASON_MAX} characters.`),
});
export type JudgeHit = z.infer<typeof judgeHitSchema>;

export type ScreeningJudgment = { seq: number; proposalId: number; by: string; at: string; reason: string };
export type JudgedHit = ScreeningResult & { judgment: ScreeningJudgment };

/** A partner's judgments by entity id (the first judgment of an entity is the one that holds). */
function judgmentsOf(partnerId: number): Map<string, ScreeningJudgment> {
  const judged = new Map<string, ScreeningJudgment>();
  for (const j of screeningJudgmentsOfPartner(partnerId)) {
    if (!j.entity_id || judged.has(j.entity_id)) continue;
    judged.set(j.entity_id, { seq: j.seq, proposalId: j.proposal_id, by: j.actor_name, at: j.at, reason: j.rationale });
  }
  return judged;
}

/** The screening staff weigh: the latest, or the last answer the service gave when the latest check failed. */
function weighedScreening(proposalId: number): Screening | null {
  const screenings = screeningsOfProposal(proposalId);
  const latest = screenings[0] ?? null;
  if (latest && (latest.status === 'error' || latest.status === 'off')) {
    return screenings.find((s) => s.status === 'hits' || s.status === 'clear') ?? latest;
  }
  return latest;
}

/** A screening's hits split into the new ones (to weigh) and those judged "not a true match" (kept, shown on demand). */
export function splitHits(partnerId: number, hits: ScreeningResult[]): { newHits: ScreeningResult[]; judgedHits: JudgedHit[] } {
  const judged = judgmentsOf(partnerId);
  const newHits: ScreeningResult[] = [];
  const judgedHits: JudgedHit[] = [];
  for (const hit of hits) {
    const judgment = judged.get(hit.entityId);
    if (judgment) judgedHits.push({ ...hit, judgment });
    else newHits.push(hit);
  }
  return { newHits, judgedHits };
}

/** What the dossier and the screening page show of a proposal's screening memory. */
export function screeningMemory(proposalId: number, viewer: ActingUser) {
  const proposal = proposalRow(proposalId);
  if (!proposal) return null;
  const weighed = weighedScreening(proposalId);
  const hits = weighed?.status === 'hits' ? weighed.hits : [];
  const { newHits, judgedHits } = splitHits(proposal.partner_id, hits);
  const permission = can(viewer, 'screening.judge', proposal);
  const mayJudge: { ok: true } | { ok: false; reason: string } = !permission.ok
    ? permission
    : isRescanned(proposal.state)
      ? { ok: true }
      : { ok: false, reason: 'This proposal is closed: its screening hits are no longer judged.' };
  return {
    partnerName: partnerById(proposal.partner_id)?.name ?? 'the partner',
    weighed,
    newHits,
    judgedHits,
    alerts: screeningAlertsOfProposal(proposalId).map((a) => ({ entityId: a.entity_id, caption: a.caption, raisedAt: a.raised_at })),
    mayJudge,
  };
}

export type JudgeResult =
  | { ok: true; seq: number; message: string }
  | { ok: false; kind: 'not_found' | 'forbidden' | 'not_allowed' | 'invalid'; message: string; fieldErrors: Record<string, string[]> };

/**
 * Records that a hit of the proposal's latest screening is not the partner: one decision record
 * (step "screening", outcome "not_a_true_match") that leaves the proposal where it is. Refused,
 * writing nothing, when the hit is not among the proposal's hits or was judged before.
 */
export function judgeScreeningHit(actor: ActingUser, proposalId: number, input: JudgeHit): JudgeResult {
  const refuse = (kind: Exclude<JudgeResult, { ok: true }>['kind'], message: string, fieldErrors: Record<string, string[]> = {}): JudgeResult => ({
    ok: false,
    kind,
    message,
    fieldErrors,
  });
  const proposal = proposalRow(proposalId);
  if (!proposal) return refuse('not_found', 'There is no such proposal.');
  const permission = can(actor, 'screening.judge', proposal);
  if (!permission.ok) return refuse('forbidden', permission.reason);
  if (!isRescanned(proposal.state)) return refuse('not_allowed', `${proposal.reference} is closed: its screening hits are no longer judged.`);
  return transaction(() => {
    // Read under the write lock: two people judging the same hit at once write one record.
    const weighed = weighedScreening(proposalId);
    const hit = weighed?.status === 'hits' ? weighed.hits.find((h) => h.entityId === input.entityId) : undefined;
    if (!weighed || !hit) {
      return refuse('invalid', 'That hit is not in this proposal’s latest screening.', { entityId: ['Choose one of the hits shown.'] });
    }
    const earlier = judgmentsOf(proposal.partner_id).get(hit.entityId);
    if (earlier) {
      return refuse('not_allowed', `${earlier.by} already judged “${hit.caption}” not a true match for this partner (record #${earlier.seq}).`);
    }
    const at = nowIso();
    const partner = partnerById(proposal.partner_id);
    const [record] = appendRecords(
      [
        {
          proposalId: proposal.id,
          partnerId: proposal.partner_id,
          chapterId: proposal.chapter_id,
          campaignId: proposal.campaign_id,
          step: SCREENING_STEP,
          outcome: NOT_A_TRUE_MATCH,
          actorId: actor.id,
          actorName: actor.name,
          actorRole: roleFor(actor, 'screening.judge'),
          rationale: input.reason,
          inputs: canonicalJson({
            command: { type: 'JUDGE_SCREENING_HIT', entityId: hit.entityId, reason: input.reason },
            // What was judged, as the service described it: the record stands on its own.
            judged: {
              screeningId: weighed.id,
              checkedAt: weighed.checkedAt,
              source: weighed.source,
              hit: {
                entityId: hit.entityId,
                caption: hit.caption,
                schema: hit.schema,
                score: hit.score,
                datasets: hit.datasets,
                lists: hit.lists,
                authority: hit.authority,
                listedOn: hit.listedOn,
                countries: hit.countries,
              },
            },
            proposal: { reference: proposal.reference, partnerId: proposal.partner_id, partnerName: partner?.name ?? null, version: proposal.version },
            // The workflow is unchanged; its digest keeps the record chain's check of the snapshot whole.
            workflowSha256: hashOfText(proposal.workflow),
          }),
          configVersions: activeConfig().versionsJson,
          // A judgment on a listing informs the decision; it never moves the proposal.
          fromState: proposal.state,
          toState: proposal.state,
        },
      ],
      at,
    );
    return {
      ok: true as const,
      seq: record!.seq,
      message: `Recorded as #${record!.seq}: “${hit.caption}” is not a true match for ${partner?.name ?? 'this partner'}. Later screenings keep this judgment.`,
    };
  });
}

// ---- The scheduled rescan ----

const DAY_MS = 86_400_000;
/** A partner whose screening failed is not asked again before this. */
const RESCAN_RETRY_MS = 60 * 60_000;
/** Partners rescanned per run at most: each call is bounded by its deadline, the run by this. */
export const RESCAN_BATCH = 100;

const RESCANNED_STATES = STATES.filter((s) => isRescanned(s));
const APPROVED_STATES = STATES.filter((s) => isApproved(s));

export type RescanSummary = { partners: number; alerts: number; failures: number };

/**
 * Screens again every partner with an open or approved proposal whose last answer is older than
 * SCREENING_RESCAN_DAYS (one call per partner, stored for each of its proposals). A hit nobody
 * judged "not a true match", found on an approved partnership and not already weighed when it was
 * approved, raises one alert for that proposal and entity and one message per staff member; the
 * same hit on the next rescan raises nothing. Never throws for a service problem.
 */
export async function rescanDuePartners(now: number = Date.now()): Promise<RescanSummary> {
  const summary: RescanSummary = { partners: 0, alerts: 0, failures: 0 };
  if (!screeningConfig().enabled) return summary;
  const days = env().SCREENING_RESCAN_DAYS;
  const answeredBefore = new Date(now - days * DAY_MS).toISOString();
  const triedBefore = new Date(now - Math.min(RESCAN_RETRY_MS, days * DAY_MS)).toISOString();
  for (const partnerId of partnersDueForRescan(RESCANNED_STATES, answeredBefore, triedBefore, RESCAN_BATCH)) {
    try {
      const raised = await rescanPartner(partnerId);
      summary.partners += 1;
      summary.alerts += raised.alerts;
      if (raised.failed) summary.failures += 1;
    } catch (error) {
      // One partner's trouble (say a busy database) does not stop the others.
      summary.failures += 1;
      console.error(`Scheduled rescan of partner ${partnerId} failed:`, error);
    }
  }
  return summary;
}

/** One partner's rescan: the service once, the answer kept for each proposal, alerts for new hits on approvals. */
export async function rescanPartner(partnerId: number): Promise<{ alerts: number; failed: boolean }> {
  const proposals = proposalsOfPartnerIn(partnerId, RESCANNED_STATES);
  const [first, ...others] = proposals;
  if (!first) return { alerts: 0, failed: false };
  const outcome = await screenPartner({ partnerId, proposalId: first.id, stage: 'rescan' });
  for (const other of others) copyScreening(outcome, other.id);
  if (outcome.status !== 'hits') return { alerts: 0, failed: outcome.failure !== null };
  const { newHits } = splitHits(partnerId, outcome.hits);
  const approved = proposals.filter((p) => APPROVED_STATES.includes(p.state as (typeof APPROVED_STATES)[number]));
  if (newHits.length === 0 || approved.length === 0) return { alerts: 0, failed: false };
  const partner = partnerById(partnerId);
  let alerts = 0;
  transaction(() => {
    const at = nowIso();
    const staff = activeUserIdsWithRole('staff');
    const rows: InboxRowInput[] = [];
    for (const proposal of approved) {
      // Hits already on screen when staff approved were weighed in that decision: not new to it.
      const weighedAtApproval = new Set(
        screeningsOfProposal(proposal.id)
          .filter((s) => s.id !== outcome.id && proposal.decided_at !== null && s.checkedAt <= proposal.decided_at)
          .flatMap((s) => s.hits.map((h) => h.entityId)),
      );
      for (const hit of newHits) {
        if (weighedAtApproval.has(hit.entityId)) continue;
        const fresh = insertScreeningAlert({
          proposalId: proposal.id,
          partnerId,
          entityId: hit.entityId,
          caption: hit.caption,
          screeningId: outcome.id,
          raisedAt: at,
        });
        if (!fresh) continue;
        alerts += 1;
        const message =
          `New screening hit on an approved partnership: “${hit.caption}” (${hit.lists.join(', ') || 'a list'}${hit.listedOn ? `, listed ${hit.listedOn}` : ''}) ` +
          `may be ${partner?.name ?? 'the partner'} of “${proposal.event_title}” (${proposal.reference}). The approval stands; judge the hit on its screening page.`;
        for (const userId of staff) {
          if (userId === proposal.proposer_id) continue;
          rows.push({ userId, proposalId: proposal.id, decisionSeq: null, kind: 'screening_alert', message, createdAt: at });
        }
      }
    }
    insertInboxRows(rows);
  });
  return { alerts, failed: false };
}

/** The queue's list: approved partnerships with a rescan hit nobody has judged yet. */
export function openAlerts(limit = 50) {
  return openScreeningAlerts(APPROVED_STATES, limit).map((a) => ({
    proposalId: a.proposal_id,
    reference: a.reference,
    eventTitle: a.event_title,
    partnerName: a.partner_name,
    chapterName: a.chapter_name,
    entityId: a.entity_id,
    caption: a.caption,
    raisedAt: a.raised_at,
  }));
}
