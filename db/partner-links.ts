import { all, first, insertId, qb, run } from './connection';
import type { PartnerLink } from './schema';

// Questionnaire links for a partner's contact (migration 0160). Only the SHA-256 of a
// token is stored or looked up; the answers are written once, with the record of their
// submission, and never changed.

export function insertPartnerLink(values: {
  proposalId: number;
  tokenHash: string;
  contactName: string;
  contactEmail: string;
  questions: string;
  passcodeHash: string | null;
  createdBy: number;
  createdAt: string;
  expiresAt: string;
}): number {
  return insertId(
    qb()
      .insertInto('partner_links')
      .values({
        proposal_id: values.proposalId,
        token_hash: values.tokenHash,
        contact_name: values.contactName,
        contact_email: values.contactEmail,
        questions: values.questions,
        passcode_hash: values.passcodeHash,
        created_by: values.createdBy,
        created_at: values.createdAt,
        expires_at: values.expiresAt,
      }),
  );
}

export function partnerLinkByTokenHash(tokenHash: string): PartnerLink | undefined {
  return first(qb().selectFrom('partner_links').selectAll().where('token_hash', '=', tokenHash));
}

export function partnerLinkById(id: number): PartnerLink | undefined {
  return first(qb().selectFrom('partner_links').selectAll().where('id', '=', id));
}

/** Every link of a proposal, newest first, with the name of whoever made and revoked it. */
export function partnerLinksOfProposal(proposalId: number) {
  return all(
    qb()
      .selectFrom('partner_links as l')
      .innerJoin('users as c', 'c.id', 'l.created_by')
      .leftJoin('users as r', 'r.id', 'l.revoked_by')
      .select([
        'l.id',
        'l.proposal_id',
        'l.contact_name',
        'l.contact_email',
        'l.questions',
        'l.passcode_hash',
        'l.created_at',
        'l.expires_at',
        'l.revoked_at',
        'l.submitted_at',
        'l.answers',
        'l.decision_seq',
        'c.name as created_by_name',
        'r.name as revoked_by_name',
      ])
      .where('l.proposal_id', '=', proposalId)
      .orderBy('l.id', 'desc'),
  );
}

/** Revokes a link still open; false when it was already revoked or submitted. */
export function revokePartnerLinkRow(id: number, by: number, at: string): boolean {
  return (
    run(
      qb()
        .updateTable('partner_links')
        .set({ revoked_at: at, revoked_by: by })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .where('submitted_at', 'is', null),
    ).changes === 1
  );
}

/** Stores the answers once: false when the link was meanwhile submitted, revoked or expired. */
export function markPartnerLinkSubmitted(id: number, answers: string, decisionSeq: number, at: string): boolean {
  return (
    run(
      qb()
        .updateTable('partner_links')
        .set({ submitted_at: at, answers, decision_seq: decisionSeq })
        .where('id', '=', id)
        .where('submitted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', at),
    ).changes === 1
  );
}

export function recordPasscodeFailure(linkId: number, ip: string, at: string): void {
  insertId(qb().insertInto('partner_link_failures').values({ link_id: linkId, ip, at }));
}

/** Wrong passcodes since `since`, for the link and for the address, with the oldest counted. */
export function passcodeFailuresSince(linkId: number, ip: string, since: string) {
  const count = (column: 'link_id' | 'ip', value: number | string) =>
    first(
      qb()
        .selectFrom('partner_link_failures')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('at').as('oldest')])
        .where(column, '=', value)
        .where('at', '>', since),
    ) ?? { n: 0, oldest: null };
  return { byLink: count('link_id', linkId), byIp: count('ip', ip) };
}
