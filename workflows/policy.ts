// Who may do what: the one place that decides it. The statechart's guard asks these functions,
// and so does the app (route guards, services, the buttons a page offers). Pure: no I/O.
import {
  AGENDA_OUTCOMES,
  PERCEPTION_OUTCOMES,
  RISK_OUTCOMES,
  STEPS,
  VALUES_OUTCOMES,
  type Actor,
  type ProposalState,
  type Role,
  type Step,
} from './types';

/** The person acting, as the app knows them (an Actor with a name and a chapter). */
export type ActingUser = { id: number; name: string; roles: Role[]; chapterId: number | null };

/** The scheduler that expires approvals acts under this identity, and may do nothing else. */
export const SYSTEM_ACTOR: ActingUser = { id: 0, name: 'Cosponsor scheduler', roles: [], chapterId: null };

export function isSystemActor(actor: { id: number } | undefined): boolean {
  return actor !== undefined && actor.id === SYSTEM_ACTOR.id;
}

/**
 * Whoever runs `npm run account:reset-password` on the server: not an account, and may do nothing
 * but that reset (docs/decisions/0380-password-change-and-reset.md).
 */
export const COMMAND_LINE_OPERATOR: ActingUser = { id: -1, name: 'The server’s command line', roles: [], chapterId: null };

function isCommandLineOperator(actor: { id: number } | undefined): boolean {
  return actor !== undefined && actor.id === COMMAND_LINE_OPERATOR.id;
}

export function hasRole(user: { roles: Role[] }, role: Role): boolean {
  return Array.isArray(user.roles) && user.roles.includes(role);
}

export function isStaff(user: { roles: Role[] }): boolean {
  return hasRole(user, 'staff');
}

export function isAdmin(user: { roles: Role[] }): boolean {
  return hasRole(user, 'admin');
}

export function isChapterLead(user: { roles: Role[] }): boolean {
  return hasRole(user, 'chapter_lead');
}

/** Reviewer-only (or role-less) people only read. */
export function isReadOnly(actor: Actor | undefined): boolean {
  return !actor || !Array.isArray(actor.roles) || actor.roles.every((r) => r === 'reviewer');
}

/** Staff, reviewers and admins see every chapter; a chapter lead sees their own chapter only. */
export function seesEveryChapter(user: { roles: Role[] }): boolean {
  return isStaff(user) || hasRole(user, 'reviewer') || isAdmin(user);
}

/** Staff, reviewers and admins see the insights across every chapter; a chapter lead does not. */
export function maySeeInsights(user: { roles: Role[] }): boolean {
  return seesEveryChapter(user);
}

/** A chapter lead with a chapter may propose a partnership. */
export function mayPropose(user: { roles: Role[]; chapterId: number | null }): boolean {
  return isChapterLead(user) && user.chapterId !== null;
}

// ---- The proposal as the rules need to know it ----

/** Whose proposal it is and who last changed it; chapterId when known (the statechart does not know chapters). */
export type PolicySubject = { proposerId: number; lastChangedById: number | null; chapterId?: number | null };

/** The proposal row's fields as a PolicySubject. */
export function subjectOf(row: { proposer_id: number; last_changed_by: number | null; chapter_id: number }): PolicySubject {
  return { proposerId: row.proposer_id, lastChangedById: row.last_changed_by, chapterId: row.chapter_id };
}

const STEP_LABEL: Record<Step, string> = { values: 'Values', agenda: 'Agenda', risk: 'Risk', perception: 'Perception', mou: 'MOU' };

export function stepLabel(step: Step): string {
  return STEP_LABEL[step];
}

/** The outcomes each step can have, as staff may set them with an override (the MOU has no computed outcome). */
export const OVERRIDABLE_OUTCOMES: Record<Step, readonly string[]> = {
  values: VALUES_OUTCOMES,
  agenda: AGENDA_OUTCOMES,
  risk: RISK_OUTCOMES,
  perception: PERCEPTION_OUTCOMES,
  mou: [],
};

/** The outcome of a step that makes staff see "recommend reject". */
export const REJECT_OUTCOME: Partial<Record<Step, string>> = { values: 'incompatible', perception: 'unacceptable' };

/** The steps staff may send a proposal back to or override: perception only when the proposal needs it. */
export function stepsStaffMayName(perceptionRequired: boolean): Step[] {
  return STEPS.filter((s) => s !== 'perception' || perceptionRequired);
}

/** Why staff may not return the proposal to this step (the perception check), or null. */
export function returnStepRefusal(step: string, perceptionRequired: boolean): string | null {
  if (!(STEPS as readonly string[]).includes(step)) return 'Name the step to return to.';
  if (step === 'perception' && !perceptionRequired)
    return 'This proposal needs no perception review, so it cannot be returned to that step.';
  return null;
}

// ---- Rights, by kind of event ----

/** The event types of the vetting statechart, grouped by who may send them. */
export type PolicyEventType =
  | 'SUBMIT_PROPOSAL'
  | 'SUBMIT_VALUES'
  | 'SUBMIT_AGENDA'
  | 'SUBMIT_RISK'
  | 'SUBMIT_PERCEPTION'
  | 'SUBMIT_MOU'
  | 'MOU_NOT_NEEDED'
  | 'APPROVE'
  | 'REJECT'
  | 'REQUEST_CHANGES'
  | 'OVERRIDE_OUTCOME'
  | 'CLASSIFY_AGENDA_ITEM'
  | 'WITHDRAW'
  | 'EXPIRE'
  | 'REOPEN_FOR_REVIEW';

export const PROPOSER_DECIDES = 'You proposed this partnership: another staff member must decide it (four-eyes rule).';
export const LAST_CHANGER_DECIDES =
  'You made the last change to this proposal: another staff member must decide it, since whoever last changed it cannot (four-eyes rule).';
const LEAD_CHANGE = 'Only a chapter lead of this proposal’s chapter can change it.';
const EXPIRE_REFUSAL = 'Approvals expire on their end date, by the scheduler only.';

/** Why this person may not change the proposal as its chapter lead (steps, withdrawal, reopening), or null. */
export function leadRefusal(subject: PolicySubject, actor: Actor & { chapterId?: number | null }): string | null {
  if (!isChapterLead(actor)) return LEAD_CHANGE;
  // The chapter scope, whenever the proposal's chapter is known.
  if (subject.chapterId !== undefined && (actor.chapterId == null || actor.chapterId !== subject.chapterId)) return LEAD_CHANGE;
  return null;
}

/**
 * Four-eyes: why this person may not decide (APPROVE/REJECT/REQUEST_CHANGES), or null. Nobody decides
 * what they proposed or what they last changed; overriding an outcome and classifying an item are changes.
 */
export function decideRefusal(subject: PolicySubject, actor: Actor): string | null {
  if (isReadOnly(actor)) return 'A reviewer can read a proposal but cannot change it.';
  if (!isStaff(actor)) return 'Only staff can decide a proposal.';
  if (actor.id === subject.proposerId) return PROPOSER_DECIDES;
  if (actor.id === subject.lastChangedById)
    return LAST_CHANGER_DECIDES;
  return null;
}

/** Why this person may not judge the proposal (override an outcome, classify an agenda item), or null. */
export function judgeRefusal(subject: PolicySubject, actor: Actor, type: 'OVERRIDE_OUTCOME' | 'CLASSIFY_AGENDA_ITEM'): string | null {
  const what = type === 'OVERRIDE_OUTCOME' ? 'override a step outcome' : 'classify agenda items';
  if (!isStaff(actor)) return `Only staff can ${what}.`;
  if (actor.id === subject.proposerId) return `The proposer cannot ${what} on their own proposal.`;
  return null;
}

/**
 * Why this person may not send this kind of event on this proposal, whatever its state and payload,
 * or null. The statechart's guard and the app's checks both come here.
 */
export function actorRefusal(subject: PolicySubject, actor: (Actor & { chapterId?: number | null }) | undefined, type: PolicyEventType): string | null {
  if (!actor || !Number.isInteger(actor.id) || !Array.isArray(actor.roles)) return 'The event names no acting person.';
  if (isSystemActor(actor)) return type === 'EXPIRE' ? null : 'The scheduler only expires approvals.';
  if (type === 'EXPIRE') return EXPIRE_REFUSAL;
  if (isReadOnly(actor)) return 'A reviewer can read a proposal but cannot change it.';
  switch (type) {
    case 'APPROVE':
    case 'REJECT':
    case 'REQUEST_CHANGES':
      return decideRefusal(subject, actor);
    case 'OVERRIDE_OUTCOME':
    case 'CLASSIFY_AGENDA_ITEM':
      return judgeRefusal(subject, actor, type);
    case 'SUBMIT_PROPOSAL':
    case 'SUBMIT_VALUES':
    case 'SUBMIT_AGENDA':
    case 'SUBMIT_RISK':
    case 'SUBMIT_PERCEPTION':
    case 'SUBMIT_MOU':
    case 'MOU_NOT_NEEDED':
    case 'WITHDRAW':
    case 'REOPEN_FOR_REVIEW':
      return leadRefusal(subject, actor);
    default:
      return `Unknown event "${String(type)}".`;
  }
}

// ---- The app's questions that are not events ----

export type Action =
  | 'proposal.view'
  | 'proposal.create'
  | 'proposal.edit'
  | 'proposal.withdraw'
  | 'proposal.decide'
  /** "I'm reviewing this": staff who may decide the proposal may take it. */
  | 'proposal.claim'
  | 'proposal.classify'
  | 'proposal.override'
  | 'proposal.expire'
  | 'review.queue'
  /** Marking a screening hit on a proposal's partner "not a true match" (a decision record). */
  | 'screening.judge'
  | 'register.view'
  | 'audit.run'
  /** The insights page: aggregates over every chapter's proposals. */
  | 'insights.view'
  | 'admin.manage'
  /** Make a questionnaire link for the partner's contact (the lead of the proposal's chapter). */
  | 'partner_link.create'
  /** Revoke such a link: the lead of the chapter, or staff. */
  | 'partner_link.revoke'
  /** Mark an MOU version as read, so the versions page shows staff what changed since. */
  | 'mou.mark_seen'
  /** Change one's own password (subject: the account, an AccountSubject). */
  | 'account.change_password'
  /**
   * An admin gives another person's account a temporary password, or the server's operator gives
   * any active account one from the command line (subject: that account).
   */
  | 'account.reset_password';

export type Permission = { ok: true } | { ok: false; reason: string };

/** The proposal as a database row, for the app's questions. */
export type ProposalSubject = { proposer_id: number; chapter_id: number; last_changed_by: number | null };

/**
 * An account, for the password questions: whose it is, whether it has a password of its own
 * (an account single sign-on created has none), whether its owner must choose one now (after an
 * administrator's reset), whether it is active, and whether this server accepts password sign-in
 * at all (LOCAL_LOGIN).
 */
export type AccountSubject = { accountId: number; hasLocalPassword: boolean; mustChoosePassword: boolean; active: boolean; localLogin: boolean };

const isAccount = (subject: ProposalSubject | AccountSubject | undefined): subject is AccountSubject =>
  subject !== undefined && 'accountId' in subject;

const LOCAL_LOGIN_OFF = 'Password sign-in is turned off here: everyone signs in through single sign-on, so there are no passwords to change.';

const allow: Permission = { ok: true };
const deny = (reason: string): Permission => ({ ok: false, reason });
const answer = (reason: string | null): Permission => (reason === null ? allow : deny(reason));

/** The event kind that stands for an action on a proposal, so both are answered by actorRefusal. */
const EVENT_OF_ACTION: Partial<Record<Action, PolicyEventType>> = {
  'proposal.edit': 'SUBMIT_VALUES',
  'proposal.withdraw': 'WITHDRAW',
  'proposal.decide': 'APPROVE',
  'proposal.claim': 'APPROVE',
  'proposal.classify': 'CLASSIFY_AGENDA_ITEM',
  'proposal.override': 'OVERRIDE_OUTCOME',
  'proposal.expire': 'EXPIRE',
};

/** The action an event stands for (the role written on its record, and the right it needs). */
export function actionOf(type: PolicyEventType): Action {
  switch (type) {
    case 'WITHDRAW':
      return 'proposal.withdraw';
    case 'APPROVE':
    case 'REJECT':
    case 'REQUEST_CHANGES':
      return 'proposal.decide';
    case 'OVERRIDE_OUTCOME':
      return 'proposal.override';
    case 'CLASSIFY_AGENDA_ITEM':
      return 'proposal.classify';
    case 'EXPIRE':
      return 'proposal.expire';
    default:
      return 'proposal.edit';
  }
}

const PARTNER_LINK_CREATE = 'Only a chapter lead of this proposal’s chapter can ask the partner to answer for itself.';
const PARTNER_LINK_REVOKE = 'Only a chapter lead of this proposal’s chapter, or staff, can revoke a partner’s questionnaire link.';

export function can(user: ActingUser, action: Action, target?: ProposalSubject | AccountSubject): Permission {
  if (action === 'account.change_password' || action === 'account.reset_password') return accountPermission(user, action, isAccount(target) ? target : undefined);
  const subject = isAccount(target) ? undefined : target;
  const event = EVENT_OF_ACTION[action];
  if (event) {
    // Without a proposal, only the role is asked (e.g. "may staff decide at all").
    const s: PolicySubject = subject ? subjectOf(subject) : { proposerId: Number.NaN, lastChangedById: null };
    if (!subject && (action === 'proposal.edit' || action === 'proposal.withdraw')) return answer(isChapterLead(user) ? null : LEAD_CHANGE);
    return answer(actorRefusal(s, user, event));
  }
  switch (action) {
    case 'proposal.view':
      if (seesEveryChapter(user)) return allow;
      if (isChapterLead(user) && subject !== undefined && user.chapterId !== null && user.chapterId === subject.chapter_id) return allow;
      return deny('Chapter leads see only their own chapter’s proposals.');
    case 'proposal.create':
      return mayPropose(user) ? allow : deny('Only a chapter lead with a chapter can propose a partnership.');
    case 'review.queue':
      return isStaff(user) ? allow : deny('The review queue is for staff.');
    case 'screening.judge':
      // A judgment on the listing weighs on the decision: staff only, and never the proposer (four-eyes).
      if (isReadOnly(user)) return deny('A reviewer can read the screening but cannot judge a hit.');
      if (!isStaff(user)) return deny('Only staff can judge a screening hit.');
      if (subject && subject.proposer_id === user.id) return deny('You proposed this partnership: another staff member must judge its screening hits.');
      return allow;
    case 'register.view':
      return seesEveryChapter(user) || isChapterLead(user) ? allow : deny('The decision register needs a role.');
    case 'audit.run':
      return hasRole(user, 'reviewer') || isStaff(user) || isAdmin(user) ? allow : deny('Verifying the log is for reviewers, staff and admins.');
    case 'insights.view':
      return maySeeInsights(user) ? allow : deny('Insights are for staff, reviewers and admins: they sum up every chapter’s proposals.');
    case 'admin.manage':
      return isAdmin(user) ? allow : deny('Only admins manage users, chapters and the configuration.');
    case 'partner_link.create':
      if (!subject) return answer(isChapterLead(user) ? null : PARTNER_LINK_CREATE);
      return answer(leadRefusal(subjectOf(subject), user) === null ? null : PARTNER_LINK_CREATE);
    case 'mou.mark_seen':
      return isStaff(user) ? allow : deny('Only staff mark an MOU version as read.');
    case 'partner_link.revoke':
      if (isStaff(user)) return allow;
      if (!subject) return answer(isChapterLead(user) ? null : PARTNER_LINK_REVOKE);
      return answer(leadRefusal(subjectOf(subject), user) === null ? null : PARTNER_LINK_REVOKE);
    default:
      return deny(`Unknown action "${String(action)}".`);
  }
}

/** Who may change which password (docs/decisions/0380-password-change-and-reset.md). */
function accountPermission(user: ActingUser, action: 'account.change_password' | 'account.reset_password', account: AccountSubject | undefined): Permission {
  if (!account) return deny('Name the account.');
  if (!account.localLogin) return deny(LOCAL_LOGIN_OFF);
  if (action === 'account.change_password') {
    if (account.accountId !== user.id) return deny('You can change only your own password.');
    // After a reset the person chooses one, even if single sign-on made the account.
    if (account.mustChoosePassword || account.hasLocalPassword) return allow;
    return deny('You sign in through single sign-on, so you have no Cosponsor password to change. Change your password with your sign-on provider.');
  }
  if (isCommandLineOperator(user)) {
    // Someone with a shell on the server can already read and write its database, so this gives
    // them nothing more; it is the way back when no admin can sign in (the only one forgot).
    // Unlike an admin's reset it skips a deactivated account: it could not sign in anyway, and
    // reactivating it is an admin's decision, on the record under the admin's name.
    if (!account.active) return deny('This account is deactivated: an admin must reactivate it first (Admin → Users), then its password can be reset.');
    return allow;
  }
  if (!isAdmin(user)) return deny('Only admins reset another person’s password.');
  // An admin's own password needs the current one: the change form, not a reset that skips it.
  if (account.accountId === user.id) return deny('You cannot reset your own password here: change it on your account page, with your current password.');
  return allow;
}

/**
 * Whether a "Forgot your password?" e-mail may let this account choose a new password
 * (docs/decisions/0410-forgotten-password-by-e-mail.md): an active account with a password of its
 * own (or one an administrator's reset gave it), while password sign-in is on. An account that
 * only single sign-on knows gets no password this way: its password is the provider's.
 */
export function mayResetPasswordByEmail(account: AccountSubject): boolean {
  return account.localLogin && account.active && (account.hasLocalPassword || account.mustChoosePassword);
}

/**
 * After an administrator's reset, the person must choose a new password before any other page
 * opens for them: the temporary one was seen by someone else. Not while password sign-in is off
 * (they came in through single sign-on, and there is no password to choose).
 */
export function mustChoosePasswordFirst(user: { passwordChangeRequired: boolean }, localLogin: boolean): boolean {
  return user.passwordChangeRequired && localLogin;
}

/** The role a person acted in, as written on the decision record. */
export function roleFor(user: ActingUser, action: Action): string {
  if (isSystemActor(user)) return 'system';
  if (action === 'proposal.decide' || action === 'proposal.classify' || action === 'proposal.override' || action === 'screening.judge') return 'staff';
  if (action === 'proposal.edit' || action === 'proposal.withdraw' || action === 'proposal.create') return 'chapter_lead';
  return user.roles[0] ?? 'none';
}

// ---- Named questions about states, so no code outside workflows/ compares state strings ----

const STEP_STATES: readonly ProposalState[] = STEPS;

/** The proposal is waiting for a vetting step (values..mou). */
export function isAtStep(state: string): state is Step {
  return (STEP_STATES as readonly string[]).includes(state);
}

/** The step the proposal waits for, or null. */
export function currentStepOf(state: string): Step | null {
  return isAtStep(state) ? state : null;
}

export function isDraft(state: string): boolean {
  return state === 'draft';
}

export function isInReview(state: string): boolean {
  return state === 'review';
}

export function isApproved(state: string): boolean {
  return state === 'approved';
}

export function isExpired(state: string): boolean {
  return state === 'expired';
}

export function isWithdrawn(state: string): boolean {
  return state === 'withdrawn';
}

export function isRejected(state: string): boolean {
  return state === 'rejected';
}

/** Staff decided it (approved or rejected): the moment it was decided is recorded. */
export function isDecided(state: string): boolean {
  return state === 'approved' || state === 'rejected';
}

/**
 * Decided precedent any chapter lead may learn from, whichever chapter it belongs to:
 * approved, rejected or expired. Drafts, work in progress and withdrawals stay the chapter's own.
 */
export function isPrecedent(state: string): boolean {
  return state === 'approved' || state === 'rejected' || state === 'expired';
}

/** An approval that was granted, whether still running or since expired. */
export function wasApproved(state: string): boolean {
  return state === 'approved' || state === 'expired';
}

/**
 * Its partner is screened again on a schedule: the proposal is still open (draft, a step, review)
 * or approved. Rejected, withdrawn and expired ones are not.
 */
export function isRescanned(state: string): boolean {
  return !isClosed(state);
}

/** Nothing more happens to it (rejected, withdrawn, expired). */
export function isClosed(state: string): boolean {
  return state === 'rejected' || state === 'withdrawn' || state === 'expired';
}

/** The proposal has not yet reached this step (a draft counts as before every step). */
export function isBeforeStep(state: string, step: Step): boolean {
  if (isDraft(state)) return true;
  const at = STEPS.indexOf(state as Step);
  return at >= 0 && at < STEPS.indexOf(step);
}

/** A record whose transition brought the proposal into review (a submission for staff to decide). */
export function entersReview(record: { from_state: string | null; to_state: string | null }): boolean {
  return record.to_state === 'review' && record.from_state !== 'review';
}

export function isAtMouStep(state: string): boolean {
  return state === 'mou';
}

export function isAtPerceptionStep(state: string): boolean {
  return state === 'perception';
}

/** The MOU text may change at the MOU step, or after approval (saving then returns the proposal to review). */
export function isMouEditable(state: string): boolean {
  return state === 'mou' || state === 'approved';
}

// ---- The partner's questionnaire link (docs/decisions/0160-partner-questionnaire-links.md) ----

/** A proposal still being vetted or decided takes the partner's answers: not once decided, withdrawn or expired. */
export function acceptsPartnerAnswers(state: string): boolean {
  return isDraft(state) || isAtStep(state) || isInReview(state);
}

/** Why a questionnaire link cannot be made for a proposal in this state, or null. */
export function partnerLinkStateRefusal(state: string): string | null {
  return acceptsPartnerAnswers(state) ? null : 'This proposal is no longer being vetted, so the partner cannot be asked for answers now.';
}

export type PartnerLinkFacts = { expiresAt: string; revokedAt: string | null; submittedAt: string | null };
export type TokenRefusal = { kind: 'submitted' | 'revoked' | 'expired' | 'closed'; message: string };

/**
 * What the holder of a questionnaire link may do is answer that one questionnaire, once, while
 * the link lives and the proposal is still vetted; null when they may, else why not. The token
 * grants nothing else: no page, proposal or action anywhere else in the app.
 */
export function tokenHolderRefusal(link: PartnerLinkFacts, proposalState: string, nowIso: string): TokenRefusal | null {
  if (link.submittedAt) return { kind: 'submitted', message: 'These answers have already been sent. Thank you: the link cannot be used again.' };
  if (link.revokedAt) return { kind: 'revoked', message: 'This link was withdrawn by the chapter. Ask your contact for a new one if needed.' };
  if (link.expiresAt <= nowIso) return { kind: 'expired', message: 'This link has expired. Ask your contact for a new one if needed.' };
  if (!acceptsPartnerAnswers(proposalState)) return { kind: 'closed', message: 'This questionnaire is closed: the co-sponsorship is no longer being considered.' };
  return null;
}

/** The role written on the record of making or revoking a link: the chapter's lead, else staff. */
export function partnerLinkRole(user: ActingUser, subject: ProposalSubject): 'chapter_lead' | 'staff' {
  return leadRefusal(subjectOf(subject), user) === null ? 'chapter_lead' : 'staff';
}

// ---- Expiry, computed when read: the sweep records it, pages never write it ----

/** The day an approval ending on `approvedUntil` counts as expired (the day after its end date), or null. */
export function expiredAsOf(state: string, approvedUntil: string | null, today: string): string | null {
  if (isExpired(state)) return approvedUntil ? dayAfter(approvedUntil) : today;
  if (!isApproved(state) || !approvedUntil || approvedUntil >= today) return null;
  return dayAfter(approvedUntil);
}

/** The state as of a day: an approval past its end date reads as expired before the sweep records it. */
export function stateAsOf(state: string, approvedUntil: string | null, today: string): string {
  return isApproved(state) && expiredAsOf(state, approvedUntil, today) !== null ? 'expired' : state;
}

function dayAfter(isoDay: string): string {
  const d = new Date(`${isoDay.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** An admin may not take their own admin role away, so nobody locks themselves out and an admin always remains. */
export function removesOwnAdminRole(actor: { id: number }, user: { id: number; roles: Role[] }, newRoles: Role[]): boolean {
  return actor.id === user.id && isAdmin(user) && !newRoles.includes('admin');
}

// ---- Roles from a single sign-on provider (docs/decisions/0130-single-sign-on.md) ----

/**
 * What a provider's group claim (OIDC_ROLE_CLAIM) may give a NEW account: staff and reviewer,
 * from the groups "cosponsor-staff" and "cosponsor-reviewer" (any case). Never admin (only an
 * admin makes an admin, on the record) and never chapter lead (that needs a chapter an admin
 * chooses); anything else is ignored.
 */
const SIGN_ON_GROUP_ROLES: Readonly<Record<string, Role>> = { 'cosponsor-staff': 'staff', 'cosponsor-reviewer': 'reviewer' };

export function rolesFromSignOnGroups(claim: unknown): Role[] {
  const values = Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(/[\s,]+/) : [];
  const roles = new Set<Role>();
  for (const value of values) {
    if (typeof value !== 'string') continue;
    const key = value.trim().toLowerCase();
    // Own keys only: "constructor" is no role.
    if (Object.hasOwn(SIGN_ON_GROUP_ROLES, key)) roles.add(SIGN_ON_GROUP_ROLES[key]!);
  }
  return [...roles].sort();
}
