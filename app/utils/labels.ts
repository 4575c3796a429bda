import { isApproved, isExpired, isInReview, isRejected } from '../../workflows/policy';
import { STATE_LABELS } from '../../workflows/types';
// Words people read for the codes the database stores. Shared by every page.

const ROLE: Record<string, string> = {
  chapter_lead: 'Chapter lead',
  staff: 'Staff',
  reviewer: 'Reviewer',
  admin: 'Admin',
  system: 'System rule',
  partner: 'Partner (own answers)',
};
export const roleLabel = (role: string) => ROLE[role] ?? role;

export const stateLabel = (state: string) => (STATE_LABELS as Record<string, string>)[state] ?? state;

const STEP: Record<string, string> = {
  proposal: 'Proposal',
  values: 'Values compatibility',
  agenda: 'Agenda mapping',
  risk: 'Risk scoring',
  perception: 'BDS-perception review',
  mou: 'MOU draft',
  decision: 'Staff decision',
  partner: 'Partner’s own answers',
  screening: 'Designation screening',
};
export const stepLabel = (step: string) => STEP[step] ?? step;

const OUTCOME: Record<string, string> = {
  created: 'Created',
  partner_link_created: 'Questionnaire link sent',
  partner_link_revoked: 'Questionnaire link revoked',
  partner_answered: 'Answered by the partner',
  submitted: 'Submitted',
  compatible: 'Compatible',
  compatible_with_concerns: 'Compatible with concerns',
  incompatible: 'Incompatible',
  aligned: 'Aligned',
  manageable_divergence: 'Manageable divergence',
  conflict: 'Conflict',
  benefits_outweigh: 'Benefits outweigh risks',
  needs_staff_acceptance: 'Needs staff acceptance',
  risks_outweigh: 'Risks outweigh benefits',
  no_perception_risk: 'No perception risk',
  acceptable_with_conditions: 'Acceptable with conditions',
  unacceptable: 'Unacceptable',
  drafted: 'MOU drafted',
  mou_not_needed: 'MOU not needed',
  approved: 'Approved',
  rejected: 'Rejected',
  changes_requested: 'Changes requested',
  withdrawn: 'Withdrawn',
  expired: 'Expired',
  reopened: 'Returned to review',
  overridden: 'Outcome overridden',
  classified: 'Item classified',
  not_a_true_match: 'Not a true match',
  skipped: 'Skipped',
  not_applicable: 'Not applicable',
  // A live preview before the inputs a verdict rests on exist.
  undetermined: 'Not determined yet',
};
export const outcomeLabel = (outcome: string) => OUTCOME[outcome] ?? outcome.replace(/_/g, ' ');

/** A tone for badges: good, warn, bad or neutral. */
export function outcomeTone(outcome: string): 'good' | 'warn' | 'bad' | 'neutral' {
  if (['compatible', 'aligned', 'benefits_outweigh', 'no_perception_risk', 'approved', 'drafted'].includes(outcome)) return 'good';
  if (['incompatible', 'conflict', 'risks_outweigh', 'unacceptable', 'rejected', 'expired'].includes(outcome)) return 'bad';
  if (['compatible_with_concerns', 'manageable_divergence', 'needs_staff_acceptance', 'acceptable_with_conditions', 'changes_requested', 'reopened', 'overridden'].includes(outcome)) return 'warn';
  return 'neutral';
}

export function stateTone(state: string): 'good' | 'warn' | 'bad' | 'neutral' {
  if (isApproved(state)) return 'good';
  if (isRejected(state) || isExpired(state)) return 'bad';
  if (isInReview(state)) return 'warn';
  return 'neutral';
}

/** A partner's public-position tag in words: "supports_bds" -> "Publicly supports BDS". */
export function publicPositionLabel(tag: string): string {
  const m = /^supports_(.+)$/.exec(tag.trim());
  if (!m) return tag.replace(/_/g, ' ');
  const movement = m[1]!.replace(/_/g, ' ');
  // Movement names are acronyms (BDS) or proper names.
  return `Publicly supports ${movement.length <= 4 ? movement.toUpperCase() : movement.replace(/\b\w/g, (c) => c.toUpperCase())}`;
}

const KIND: Record<string, string> = {
  co_listing: 'Co-listing',
  co_hosting: 'Co-hosting',
  speaker: 'Speaker',
  shared_materials: 'Shared materials',
};
export const kindLabel = (kind: string) => KIND[kind] ?? kind;

// Formatters are costly to build; one of each serves every request.
const dateFormat = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Mar 3, 2027", as dateFormat writes it; written out directly, since lists and every decision's messages format many dates. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  const year = date.getUTCFullYear();
  // Years of other widths (and an invalid date, which throws) are left to Intl.
  if (!(year >= 1000 && year <= 9999)) return dateFormat.format(date);
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${year}`;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return `${dateTimeFormat.format(new Date(iso))} UTC`;
}
