// Shared vocabulary of the vetting workflow. Pure types and constants: no I/O.

export const ROLES = ['chapter_lead', 'staff', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The five vetting steps, in order. */
export const STEPS = ['values', 'agenda', 'risk', 'perception', 'mou'] as const;
export type Step = (typeof STEPS)[number];

/** Every state a proposal can be in. */
export const STATES = [
  'draft',
  'values',
  'agenda',
  'risk',
  'perception',
  'mou',
  'review',
  'approved',
  'rejected',
  'withdrawn',
  'expired',
] as const;
export type ProposalState = (typeof STATES)[number];

/** Each state in the words people read (pages, and the rules' refusals). */
export const STATE_LABELS: Record<ProposalState, string> = {
  draft: 'Draft',
  values: 'Values check',
  agenda: 'Agenda mapping',
  risk: 'Risk scoring',
  perception: 'Perception review',
  mou: 'MOU draft',
  review: 'Waiting for staff',
  approved: 'Approved',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  expired: 'Expired',
};

/** What a decision record is about: a vetting step, or the proposal as a whole. */
export type RecordStep = 'proposal' | Step | 'decision';

export const COSPONSORSHIP_KINDS = ['co_listing', 'co_hosting', 'speaker', 'shared_materials'] as const;
export type CosponsorshipKind = (typeof COSPONSORSHIP_KINDS)[number];

/** The person acting, as the workflow needs to know them. */
export type Actor = { id: number; roles: Role[] };

// ---- Configuration documents (each kind versioned on its own) ----

export type ValuesCriterion = {
  key: string;
  label: string;
  description: string;
  /** A required criterion rated "does not meet" makes the partner incompatible. */
  required: boolean;
};
export type ValuesCriteriaDoc = { criteria: ValuesCriterion[] };

export type PositionStance = 'calls_for' | 'no_position' | 'opposes';
export type PositionSource = { seed: string; quote: string };
export type Position = {
  key: string;
  /** null: an organization-wide position, not tied to one campaign. */
  campaignKey: string | null;
  statement: string;
  stance: PositionStance;
  /** Set on no-position entries tied to a perception-sensitive movement, e.g. "BDS". */
  perceptionSensitive?: string;
  keywords: string[];
  sources: PositionSource[];
};
export type PositionsDoc = { positions: Position[] };

export type BandName = 'low' | 'medium' | 'high' | 'critical';
export type RiskBand = { name: BandName; min: number; max: number };
export type RiskMatrixDoc = {
  bands: RiskBand[];
  /** Benefit and residual-risk sums within this percentage of the larger are "close". */
  closeMarginPercent: number;
  likelihoodLabels: [string, string, string, string, string];
  impactLabels: [string, string, string, string, string];
  categories: string[];
};

export type PerceptionItem = {
  key: string;
  label: string;
  /** The MOU clause this item becomes when it is made a condition. */
  condition: string;
};
export type PerceptionChecklistDoc = { movement: string; items: PerceptionItem[] };

export type MouSectionTemplate = { key: string; title: string; body: string };
export type MouTemplateDoc = { sections: MouSectionTemplate[] };

export type ConfigKind = 'values_criteria' | 'positions' | 'risk_matrix' | 'perception_checklist' | 'mou_template';
export type ConfigDocs = {
  values_criteria: ValuesCriteriaDoc;
  positions: PositionsDoc;
  risk_matrix: RiskMatrixDoc;
  perception_checklist: PerceptionChecklistDoc;
  mou_template: MouTemplateDoc;
};
export type ConfigVersions = Record<ConfigKind, number>;

// ---- Step inputs (what the chapter lead submits) ----

export const VALUE_RATINGS = ['meets', 'concern', 'not_met', 'unknown'] as const;
export type ValueRating = (typeof VALUE_RATINGS)[number];
/**
 * A file given as evidence, as the record holds it: named by its SHA-256 in the upload
 * store, so the verifier can check that the file is still the one judged.
 */
export type AttachmentRef = {
  sha256: string;
  size: number;
  /** The type its bytes show (never the name's or the browser's word). */
  type: string;
  name: string;
  /** The date the document speaks for (YYYY-MM-DD), entered by the person; not the upload date. */
  effectiveDate: string;
  uploadedAt: string;
};

export type ValuesInput = {
  ratings: Record<string, { rating: ValueRating; evidence: string; links: string[]; attachments?: AttachmentRef[] }>;
};

export const AGENDA_CLASSIFICATIONS = ['aligned', 'compatible', 'no_position', 'conflicting', 'unknown'] as const;
export type AgendaClassification = (typeof AGENDA_CLASSIFICATIONS)[number];
export type AgendaItemInput = {
  text: string;
  scope: 'general' | 'event';
  classification: AgendaClassification;
  positionKey: string | null;
};
export type AgendaInput = { items: AgendaItemInput[] };
/** Public positions a partner is known to hold, e.g. "supports_bds". */
export type PartnerProfile = { publicPositions: string[] };

export type RiskItemInput = {
  kind: 'risk' | 'benefit';
  category: string;
  description: string;
  likelihood: number; // 1..5
  impact: number; // 1..5
  mitigation: string | null; // risks only
  residualLikelihood: number | null; // risks only
  residualImpact: number | null; // risks only
  attachments?: AttachmentRef[];
};
export type RiskInput = { items: RiskItemInput[] };

export const PERCEPTION_ANSWERS = ['met', 'condition', 'cannot_meet'] as const;
export type PerceptionAnswer = (typeof PERCEPTION_ANSWERS)[number];
export type PerceptionInput = { answers: Record<string, { answer: PerceptionAnswer; note: string; attachments?: AttachmentRef[] }> };

// ---- Step outcomes ----
export type ValuesOutcome = 'compatible' | 'compatible_with_concerns' | 'incompatible';
export type AgendaOutcome = 'aligned' | 'manageable_divergence' | 'conflict';
export type RiskOutcome = 'benefits_outweigh' | 'needs_staff_acceptance' | 'risks_outweigh';
export type PerceptionOutcome = 'no_perception_risk' | 'acceptable_with_conditions' | 'unacceptable';

// Runtime lists of the step outcomes (added for validating outcomes that arrive as plain strings).
export const VALUES_OUTCOMES = ['compatible', 'compatible_with_concerns', 'incompatible'] as const satisfies readonly ValuesOutcome[];
export const AGENDA_OUTCOMES = ['aligned', 'manageable_divergence', 'conflict'] as const satisfies readonly AgendaOutcome[];
export const RISK_OUTCOMES = ['benefits_outweigh', 'needs_staff_acceptance', 'risks_outweigh'] as const satisfies readonly RiskOutcome[];
export const PERCEPTION_OUTCOMES = [
  'no_perception_risk',
  'acceptable_with_conditions',
  'unacceptable',
] as const satisfies readonly PerceptionOutcome[];
