import type { Generated, Insertable, Selectable } from 'kysely';

// The one Database interface. Dates are ISO-8601 UTC strings; JSON columns are TEXT.

export interface ChaptersTable {
  id: Generated<number>;
  name: string;
  region: Generated<string>;
  active: Generated<number>;
  created_at: string;
}
export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  password_hash: string;
  chapter_id: number | null;
  active: Generated<number>;
  /** 1 for an account single sign-on created, until an administrator activates it. */
  awaiting_admin: Generated<number>;
  /** 1 after an administrator's reset, until the person has chosen a new password. */
  password_change_required: Generated<number>;
  /** While set, password_hash is a temporary password that signs in once, until this time. */
  temporary_password_expires_at: Generated<string | null>;
  created_at: string;
  updated_at: string;
}
export interface UserIdentitiesTable {
  issuer: string;
  subject: string;
  user_id: number;
  email: string;
  created_at: string;
  last_sign_in_at: string | null;
}
export interface UserRolesTable {
  user_id: number;
  role: string;
}
export interface SessionsTable {
  id: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  ip: Generated<string>;
  user_agent: Generated<string>;
}
export interface LoginAttemptsTable {
  id: Generated<number>;
  email: string;
  ip: string;
  at: string;
  success: number;
}
export interface AdminLogTable {
  id: Generated<number>;
  actor_id: number;
  action: string;
  target_user_id: number | null;
  target_chapter_id: number | null;
  details: Generated<string>;
  at: string;
}
export interface CampaignsTable {
  id: Generated<number>;
  key: string;
  name: string;
  description: Generated<string>;
  active: Generated<number>;
  created_at: string;
}
export interface ConfigVersionsTable {
  id: Generated<number>;
  kind: string;
  version: number;
  body: string;
  note: Generated<string>;
  created_by: number | null;
  created_at: string;
}
export interface PartnersTable {
  id: Generated<number>;
  name: string;
  normalized_name: string;
  website: string | null;
  country: Generated<string>;
  description: Generated<string>;
  public_positions: Generated<string>;
  ein: string | null;
  registry: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}
export interface ProposalsTable {
  id: Generated<number>;
  reference: string;
  partner_id: number;
  chapter_id: number;
  proposer_id: number;
  campaign_id: number;
  event_title: string;
  event_date: string;
  event_place: string;
  event_description: string;
  kind: string;
  state: string;
  version: Generated<number>;
  workflow: string;
  recommend_reject: Generated<number>;
  perception_required: number | null;
  returned_to: string | null;
  approved_until: string | null;
  previous_proposal_id: number | null;
  last_changed_by: number | null;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  decided_at: string | null;
  /** The new-proposal form's one-time token (a repeated post finds this proposal). */
  creation_token: string | null;
}
export interface StepDraftsTable {
  proposal_id: number;
  step: string;
  data: string;
  saved_by: number;
  saved_at: string;
}
export interface DecisionRecordsTable {
  seq: number;
  proposal_id: number;
  partner_id: number;
  chapter_id: number;
  campaign_id: number;
  step: string;
  outcome: string;
  actor_id: number | null;
  actor_name: string;
  actor_role: string;
  at: string;
  rationale: string;
  inputs: string;
  config_versions: string;
  from_state: string | null;
  to_state: string;
  prev_hash: string;
  proposal_prev_hash: string | null;
  hash: string;
  /** HMAC of hash under the log's sealing key; not hashed (migration 0070). */
  seal: string | null;
}
export interface StepSubmissionsTable {
  id: Generated<number>;
  proposal_id: number;
  step: string;
  data: string;
  result: string;
  outcome: string;
  config_versions: string;
  submitted_by: number;
  submitted_at: string;
  decision_seq: number;
}
export interface AgendaItemsTable {
  id: Generated<number>;
  proposal_id: number;
  submission_id: number;
  position: number;
  text: string;
  normalized_text: string;
  scope: string;
  classification: string;
  position_key: string | null;
  positions_version: number;
  classified_by: number | null;
  classified_at: string | null;
  current: Generated<number>;
}
export interface RiskItemsTable {
  id: Generated<number>;
  proposal_id: number;
  submission_id: number;
  position: number;
  kind: string;
  category: string;
  description: string;
  likelihood: number;
  impact: number;
  mitigation: string | null;
  residual_likelihood: number | null;
  residual_impact: number | null;
  score: number;
  band: string;
  residual_score: number | null;
  residual_band: string | null;
  current: Generated<number>;
}
export interface MouVersionsTable {
  id: Generated<number>;
  proposal_id: number;
  version: number;
  sections: string;
  removed_conditions: Generated<string>;
  note: Generated<string>;
  created_by: number;
  created_at: string;
}
export interface MouViewsTable {
  user_id: number;
  proposal_id: number;
  mou_version: number;
  seen_at: string;
}
export interface InboxTable {
  id: Generated<number>;
  user_id: number;
  proposal_id: number;
  decision_seq: number | null;
  kind: string;
  message: string;
  created_at: string;
  read_at: string | null;
}
export interface OutboxTable {
  id: Generated<number>;
  channel: string;
  idempotency_key: string;
  payload: string;
  decision_seq: number | null;
  created_at: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  delivered_at: string | null;
  last_error: string | null;
  /** Set when delivery was given up (migration 0030). */
  failed_at: string | null;
  /** What the row announces, e.g. proposal.approved or reminder.event (migration 0150; null on older rows). */
  event: string | null;
  proposal_id: number | null;
  /** The e-mail address of an e-mail row (migration 0150). */
  recipient: string | null;
}
export interface OutboxAttemptsTable {
  id: Generated<number>;
  outbox_id: number;
  at: string;
  status: number | null;
  ok: number;
  error: string | null;
  duration_ms: number;
}
export interface NotificationPreferencesTable {
  user_id: number;
  kind: string;
  /** 1: send this kind by e-mail; 0: do not. */
  email: number;
  updated_at: string;
}
export interface RegistryCacheTable {
  key: string;
  body: string;
  fetched_at: string;
}
export interface ScreeningsTable {
  id: Generated<number>;
  proposal_id: number | null;
  partner_id: number;
  stage: string;
  checked_at: string;
  status: string;
  results: Generated<string>;
  error: string | null;
  /** Where the answer came from: the service URL, or 'demo fixture' (migration 0030). */
  source: Generated<string>;
  /** The query sent, as JSON (migration 0030). */
  query: Generated<string>;
}
/** A hit a scheduled rescan found on an approved partnership, raised once per proposal and entity (migration 0180). */
export interface ScreeningAlertsTable {
  id: Generated<number>;
  proposal_id: number;
  partner_id: number;
  entity_id: string;
  caption: string;
  screening_id: number;
  raised_at: string;
}
export interface AuditRunsTable {
  id: Generated<number>;
  user_id: number | null;
  at: string;
  ok: number;
  record_count: number;
  duration_ms: number;
  first_bad_seq: number | null;
  message: string;
  tree_size: number | null;
  root_hash: string | null;
}

/** FTS5 index of decision records (rowid = seq), filled by a trigger; never written by code. */
export interface DecisionSearchTable {
  rowid: number;
  rationale: string;
  evidence: string;
  partner: string;
  agenda: string;
  /** Filter values as tokens (p<partner> c<chapter> k<campaign> r<proposal> a<actor> s<step> o<outcome>). */
  tags: string;
}

/** The first and last seq recorded on each UTC day (a trigger keeps it): date filters as seq ranges. */
export interface DecisionDaysTable {
  day: string;
  min_seq: number;
  max_seq: number;
}

/** Who is reviewing a proposal (a working note for staff, not a decision). */
export interface ReviewClaimsTable {
  proposal_id: number;
  user_id: number;
  /** The proposal's submitted_at when taken: the claim counts for that review round only. */
  round: string;
  claimed_at: string;
}

/** Unread inbox messages per person and chapter of the proposal; kept by triggers (migration 0125). */
export interface InboxUnreadTable {
  user_id: number;
  chapter_id: number;
  n: number;
}

/** Proposals per chapter, campaign, state and whether staff sent them back; kept by triggers (migration 0125). */
export interface ProposalCountsTable {
  chapter_id: number;
  campaign_id: number;
  state: string;
  returned: number;
  n: number;
}

/** Decision records per partner and chapter; kept by a trigger (migration 0125). */
export interface DecisionPartnerCountsTable {
  partner_id: number;
  chapter_id: number;
  n: number;
}

export interface JobLeasesTable {
  /** The job group the lease is for. */
  name: string;
  /** The process holding it (host, pid and a random part); '' when released. */
  holder: string;
  /** Milliseconds since the epoch; past it, any process may take the lease. */
  expires_at: number;
}

/** A questionnaire link for a partner's contact (migration 0160): the token is stored only as its SHA-256. */
export interface PartnerLinksTable {
  id: Generated<number>;
  proposal_id: number;
  token_hash: string;
  contact_name: string;
  contact_email: Generated<string>;
  /** The questionnaire as asked, frozen when the link was made (JSON). */
  questions: string;
  passcode_hash: string | null;
  created_by: number;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_by: number | null;
  submitted_at: string | null;
  /** The partner's answers (JSON), as the record of their submission holds them. */
  answers: string | null;
  decision_seq: number | null;
}
export interface PartnerLinkFailuresTable {
  id: Generated<number>;
  link_id: number;
  ip: string;
  at: string;
}

/** "Forgot your password?" links (migration 0410): only the token's SHA-256 is stored. */
export interface PasswordResetLinksTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  requested_ip: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  superseded_at: string | null;
}

export interface Database {
  chapters: ChaptersTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  user_identities: UserIdentitiesTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  admin_log: AdminLogTable;
  campaigns: CampaignsTable;
  config_versions: ConfigVersionsTable;
  partners: PartnersTable;
  proposals: ProposalsTable;
  step_drafts: StepDraftsTable;
  decision_records: DecisionRecordsTable;
  step_submissions: StepSubmissionsTable;
  agenda_items: AgendaItemsTable;
  risk_items: RiskItemsTable;
  mou_versions: MouVersionsTable;
  mou_views: MouViewsTable;
  inbox: InboxTable;
  outbox: OutboxTable;
  outbox_attempts: OutboxAttemptsTable;
  notification_preferences: NotificationPreferencesTable;
  registry_cache: RegistryCacheTable;
  screenings: ScreeningsTable;
  screening_alerts: ScreeningAlertsTable;
  audit_runs: AuditRunsTable;
  decision_search: DecisionSearchTable;
  decision_days: DecisionDaysTable;
  review_claims: ReviewClaimsTable;
  inbox_unread: InboxUnreadTable;
  proposal_counts: ProposalCountsTable;
  decision_partner_counts: DecisionPartnerCountsTable;
  job_leases: JobLeasesTable;
  partner_links: PartnerLinksTable;
  partner_link_failures: PartnerLinkFailuresTable;
  password_reset_links: PasswordResetLinksTable;
}

export type Chapter = Selectable<ChaptersTable>;
export type User = Selectable<UsersTable>;
export type Partner = Selectable<PartnersTable>;
export type NewPartner = Insertable<PartnersTable>;
export type Proposal = Selectable<ProposalsTable>;
export type NewProposal = Insertable<ProposalsTable>;
/** A record as the app reads it; the seal is the verifier's business only. */
export type DecisionRecord = Omit<Selectable<DecisionRecordsTable>, 'seal'> & { seal?: string | null };
export type Campaign = Selectable<CampaignsTable>;
export type MouVersion = Selectable<MouVersionsTable>;
export type AgendaItem = Selectable<AgendaItemsTable>;
export type RiskItem = Selectable<RiskItemsTable>;
export type Session = Selectable<SessionsTable>;
export type PartnerLink = Selectable<PartnerLinksTable>;
