// The partner answers for itself (docs/decisions/0160-partner-questionnaire-links.md): a lead
// makes a link for the partner's contact; whoever holds it may answer one questionnaire, once,
// while it lives. Making, revoking and answering are each a decision record, so the answers
// shown beside the steps are checked against the log like every other shown row.
import type { PartnerEvidenceView } from './partner-answers';
import { createHash, randomBytes } from 'node:crypto';
import { activeConfig } from '../../../db/config';
import { nowIso, transaction } from '../../../db/connection';
import { appendRecords, type RecordDraft } from '../../../db/decision-log';
import {
  insertPartnerLink,
  markPartnerLinkSubmitted,
  partnerLinkById,
  partnerLinkByTokenHash,
  partnerLinksOfProposal,
  passcodeFailuresSince,
  recordPasscodeFailure,
  revokePartnerLinkRow,
} from '../../../db/partner-links';
import { currentAgendaItems, proposalById, proposalRow } from '../../../db/proposals';
import { canonicalJson } from '../../../db/record-hash';
import type { PartnerLink, Proposal } from '../../../db/schema';
import { ORGANIZATION_NAME } from '../../../db/seed-data/config';
import {
  can,
  partnerLinkRole,
  partnerLinkStateRefusal,
  tokenHolderRefusal,
  type ActingUser,
} from '../../../workflows/policy';
import type { RefusalKind } from '../../utils/errors.server';
import { hashPassword, verifyPassword } from '../auth/password.server';
import { fillForProposal } from '../mou/mou-facts.server';
import { notifyPartnerAnswered } from '../inbox/inbox.server';
import { buildQuestionnaire, type PartnerAnswers, type Questionnaire } from './questions';

export type PartnerRefusal = { ok: false; kind: RefusalKind; message: string; fieldErrors?: Record<string, string[]> };

const refuse = (kind: RefusalKind, message: string, fieldErrors?: Record<string, string[]>): PartnerRefusal => ({
  ok: false,
  kind,
  message,
  ...(fieldErrors ? { fieldErrors } : {}),
});

/** 32 random bytes: 256 bits, base64url (43 characters). Only its SHA-256 is kept. */
function newToken(): string {
  return randomBytes(32).toString('base64url');
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The path a partner opens; the token is the only credential in it. */
export const questionnairePath = (token: string) => `/q/${token}`;

function recordDraft(proposal: Proposal, fields: Pick<RecordDraft, 'outcome' | 'actorId' | 'actorName' | 'actorRole' | 'rationale' | 'inputs'>): RecordDraft {
  // Answering, making or revoking a link moves the proposal nowhere: the record sits in its story at its state.
  return {
    proposalId: proposal.id,
    partnerId: proposal.partner_id,
    chapterId: proposal.chapter_id,
    campaignId: proposal.campaign_id,
    step: 'partner',
    configVersions: activeConfig().versionsJson,
    fromState: proposal.state,
    toState: proposal.state,
    ...fields,
  };
}

const proposalFacts = (p: Proposal) => ({ reference: p.reference, partnerId: p.partner_id, eventTitle: p.event_title, eventDate: p.event_date });

// ---- The lead's side ----

export type CreateLinkInput = { contactName: string; contactEmail: string; days: number; passcode: string | null };

export async function createPartnerLink(
  actor: ActingUser,
  proposalId: number,
  input: CreateLinkInput,
  now: number = Date.now(),
): Promise<{ ok: true; token: string; linkId: number; expiresAt: string } | PartnerRefusal> {
  const proposal = proposalRow(proposalId);
  if (!proposal) return refuse('not_found', 'There is no such proposal.');
  const permission = can(actor, 'partner_link.create', proposal);
  if (!permission.ok) return refuse('forbidden', permission.reason);
  const stateRefusal = partnerLinkStateRefusal(proposal.state);
  if (stateRefusal) return refuse('not_allowed', stateRefusal);
  // Hashed before the write transaction: scrypt takes a moment and must not hold the write lock.
  const passcodeHash = input.passcode ? await hashPassword(input.passcode) : null;
  const token = newToken();
  const createdAt = new Date(now).toISOString();
  const expiresAt = new Date(now + input.days * 86_400_000).toISOString();
  const { docs, versions } = activeConfig();
  const detail = proposalById(proposalId)!;
  const questions = buildQuestionnaire({
    organization: ORGANIZATION_NAME,
    docs,
    versions,
    campaignKey: detail.campaign_key,
    agendaItems: currentAgendaItems(proposalId).map((a) => ({ text: a.text, positionKey: a.position_key })),
    fill: fillForProposal(proposalId),
  });
  return transaction(() => {
    // Read again under the write lock: the state the record cites is the state it is written in.
    const current = proposalRow(proposalId)!;
    const refusedNow = partnerLinkStateRefusal(current.state);
    if (refusedNow) return refuse('not_allowed', refusedNow);
    const linkId = insertPartnerLink({
      proposalId,
      tokenHash: tokenHash(token),
      contactName: input.contactName,
      contactEmail: input.contactEmail,
      questions: canonicalJson(questions),
      passcodeHash,
      createdBy: actor.id,
      createdAt,
      expiresAt,
    });
    appendRecords(
      [
        recordDraft(current, {
          outcome: 'partner_link_created',
          actorId: actor.id,
          actorName: actor.name,
          actorRole: partnerLinkRole(actor, current),
          rationale: `Asked ${input.contactName} of the partner to answer the questionnaire, until ${expiresAt.slice(0, 10)}${passcodeHash ? ', with a passcode' : ''}.`,
          // Never the token nor the passcode: who was asked, until when, and what.
          inputs: canonicalJson({
            command: { type: 'CREATE_PARTNER_LINK', linkId, contactName: input.contactName, expiresAt, passcode: passcodeHash !== null },
            judged: { questions },
            proposal: proposalFacts(current),
          }),
        }),
      ],
      createdAt,
    );
    return { ok: true as const, token, linkId, expiresAt };
  });
}

export function revokePartnerLink(actor: ActingUser, proposalId: number, linkId: number): { ok: true } | PartnerRefusal {
  const proposal = proposalRow(proposalId);
  const link = partnerLinkById(linkId);
  if (!proposal || !link || link.proposal_id !== proposalId) return refuse('not_found', 'There is no such link on this proposal.');
  const permission = can(actor, 'partner_link.revoke', proposal);
  if (!permission.ok) return refuse('forbidden', permission.reason);
  if (link.submitted_at) return refuse('not_allowed', 'The partner has already answered through this link: there is nothing to revoke.');
  if (link.revoked_at) return refuse('not_allowed', 'This link is already revoked.');
  const at = nowIso();
  return transaction(() => {
    const current = proposalRow(proposalId)!;
    if (!revokePartnerLinkRow(linkId, actor.id, at)) return refuse('stale', 'The link was answered or revoked meanwhile.');
    appendRecords(
      [
        recordDraft(current, {
          outcome: 'partner_link_revoked',
          actorId: actor.id,
          actorName: actor.name,
          actorRole: partnerLinkRole(actor, current),
          rationale: `Revoked the questionnaire link given to ${link.contact_name}.`,
          inputs: canonicalJson({ command: { type: 'REVOKE_PARTNER_LINK', linkId }, proposal: proposalFacts(current) }),
        }),
      ],
      at,
    );
    return { ok: true as const };
  });
}

type LinkStatus = 'open' | 'answered' | 'revoked' | 'expired';

/** The proposal's links as the lead's page lists them: never a token (none is kept). */
export function partnerLinksPage(actor: ActingUser, proposal: Proposal, now: string = nowIso()) {
  const links = partnerLinksOfProposal(proposal.id).map((l) => {
    const status: LinkStatus = l.submitted_at ? 'answered' : l.revoked_at ? 'revoked' : l.expires_at <= now ? 'expired' : 'open';
    return {
      id: l.id,
      contactName: l.contact_name,
      contactEmail: l.contact_email,
      createdAt: l.created_at,
      createdBy: l.created_by_name,
      expiresAt: l.expires_at,
      revokedAt: l.revoked_at,
      revokedBy: l.revoked_by_name,
      submittedAt: l.submitted_at,
      passcode: l.passcode_hash !== null,
      status,
      mayRevoke: status === 'open' && can(actor, 'partner_link.revoke', proposal).ok,
    };
  });
  const create = can(actor, 'partner_link.create', proposal);
  const stateRefusal = partnerLinkStateRefusal(proposal.state);
  return {
    links,
    mayCreate: create.ok && stateRefusal === null,
    createRefusal: !create.ok ? create.reason : stateRefusal,
  };
}

// ---- Answers as evidence beside the steps ----

/** A partner's submitted answers, as the steps and the dossier show them. */
export type PartnerEvidence = PartnerEvidenceView;

/** Every questionnaire the partner answered for this proposal, newest first, as its record holds it. */
export function partnerEvidenceOf(proposalId: number): PartnerEvidence[] {
  return partnerLinksOfProposal(proposalId)
    .filter((l) => l.answers !== null && l.decision_seq !== null && l.submitted_at !== null)
    .map((l) => ({
      linkId: l.id,
      seq: l.decision_seq!,
      at: l.submitted_at!,
      contactName: l.contact_name,
      questions: JSON.parse(l.questions) as Questionnaire,
      answers: JSON.parse(l.answers!) as PartnerAnswers,
    }));
}

// ---- The token holder's side: nothing here takes a signed-in person ----

type Found = { link: PartnerLink; proposal: Proposal };

function findLink(token: string, now: string): { ok: true; found: Found } | PartnerRefusal {
  const missing = refuse('not_found', 'This questionnaire link is not known. Check that the whole link was copied.');
  if (!TOKEN_SHAPE.test(token)) return missing;
  const link = partnerLinkByTokenHash(tokenHash(token));
  const proposal = link ? proposalRow(link.proposal_id) : undefined;
  if (!link || !proposal) return missing;
  const refusal = tokenHolderRefusal({ expiresAt: link.expires_at, revokedAt: link.revoked_at, submittedAt: link.submitted_at }, proposal.state, now);
  if (refusal) return refuse('gone', refusal.message);
  return { ok: true, found: { link, proposal } };
}

/** The page a token opens: the event and the questionnaire, or the passcode form first. */
export function openQuestionnaire(token: string, unlockedLinkId: number | null, now: string = nowIso()) {
  const found = findLink(token, now);
  if (!found.ok) return found;
  const { link, proposal } = found.found;
  const locked = link.passcode_hash !== null && unlockedLinkId !== link.id;
  const detail = proposalById(proposal.id)!;
  const questions = JSON.parse(link.questions) as Questionnaire;
  return {
    ok: true as const,
    linkId: link.id,
    locked,
    expiresAt: link.expires_at,
    organization: questions.organization,
    contactName: locked ? null : link.contact_name,
    // Only what the partner needs to know: no person, no record, no other proposal.
    event: locked
      ? null
      : {
          partnerName: detail.partner_name,
          chapterName: detail.chapter_name,
          title: detail.event_title,
          date: detail.event_date,
          place: detail.event_place,
          description: detail.event_description,
        },
    questions: locked ? null : questions,
  };
}

/** Wrong passcodes: 5 per link or 20 per address within 15 minutes, then none until the oldest leaves the window. */
export const PASSCODE_THROTTLE = { windowMs: 15 * 60_000, perLink: 5, perAddress: 20 };

export async function unlockQuestionnaire(
  token: string,
  passcode: string,
  ip: string,
  now: number = Date.now(),
): Promise<{ ok: true; linkId: number } | PartnerRefusal> {
  const found = findLink(token, new Date(now).toISOString());
  if (!found.ok) return found;
  const { link } = found.found;
  if (!link.passcode_hash) return { ok: true, linkId: link.id };
  const since = new Date(now - PASSCODE_THROTTLE.windowMs).toISOString();
  const { byLink, byIp } = passcodeFailuresSince(link.id, ip, since);
  const blockedSince = [byLink.n >= PASSCODE_THROTTLE.perLink ? byLink.oldest : null, byIp.n >= PASSCODE_THROTTLE.perAddress ? byIp.oldest : null].filter(
    (v): v is string => Boolean(v),
  );
  if (blockedSince.length > 0) {
    const liftsAt = Math.max(...blockedSince.map((oldest) => Date.parse(oldest) + PASSCODE_THROTTLE.windowMs));
    const minutes = Math.max(1, Math.ceil((liftsAt - now) / 60_000));
    // Refused attempts are not counted: hammering does not extend the pause (as for sign-in, 0007).
    return refuse('throttled', `Too many wrong passcodes. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
  }
  if (!(await verifyPassword(passcode, link.passcode_hash).catch(() => false))) {
    recordPasscodeFailure(link.id, ip, new Date(now).toISOString());
    return refuse('invalid', 'That passcode is not right.', { passcode: ['That passcode is not right. Ask your contact for it.'] });
  }
  return { ok: true, linkId: link.id };
}

export function submitPartnerAnswers(
  token: string,
  unlockedLinkId: number | null,
  answers: PartnerAnswers,
  now: string = nowIso(),
): { ok: true; seq: number } | PartnerRefusal {
  const found = findLink(token, now);
  if (!found.ok) return found;
  const { link } = found.found;
  if (link.passcode_hash !== null && unlockedLinkId !== link.id) return refuse('forbidden', 'Enter the passcode first.');
  const questions = JSON.parse(link.questions) as Questionnaire;
  const who = answers.respondent.role ? `${answers.respondent.name}, ${answers.respondent.role}` : answers.respondent.name;
  try {
    return transaction(() => {
      const proposal = proposalRow(link.proposal_id)!;
      // Decided or withdrawn since the page was opened: nothing is taken.
      if (partnerLinkStateRefusal(proposal.state)) throw new AlreadyUsed();
      const [record] = appendRecords(
        [
          recordDraft(proposal, {
            outcome: 'partner_answered',
            actorId: null,
            actorName: `${answers.respondent.name} (partner)`,
            actorRole: 'partner',
            rationale: `The partner's own answers, given by ${who} through the link sent to ${link.contact_name}. Partner-provided evidence, not a judgment of the chapter or staff.`,
            inputs: canonicalJson({
              command: { type: 'PARTNER_ANSWERS', linkId: link.id, answers },
              judged: { questions },
              proposal: proposalFacts(proposal),
            }),
          }),
        ],
        now,
      );
      // Once only: a second submission (or one after a revocation) finds the row taken and writes nothing.
      if (!markPartnerLinkSubmitted(link.id, canonicalJson(answers), record!.seq, now)) throw new AlreadyUsed();
      notifyPartnerAnswered(proposal, record!);
      return { ok: true as const, seq: record!.seq };
    });
  } catch (error) {
    if (error instanceof AlreadyUsed) return refuse('gone', 'These answers have already been sent, or the link was withdrawn or closed meanwhile. Nothing more was saved.');
    throw error;
  }
}

class AlreadyUsed extends Error {}
