import { sql } from 'kysely';
import { attachmentsIn } from '../workflows/attachments';
import type { AttachmentRef } from '../workflows/types';
import { all, qb } from './connection';
import { containsText } from './sql-dialect';

// Which files a proposal cites: in its decision records (what was judged) and in the step
// drafts being written (what its lead attached but has not submitted yet). A file is
// served for a proposal only when the proposal cites it.

/** Where a proposal cites a file: a decision record (submitted), or only a step draft (not yet). */
export type CitedAttachment = { ref: AttachmentRef; citedIn: 'record' | 'draft' };

/** The proposal's citation of this file (the newest record's, else a draft's), or undefined when it cites no such file. */
export function citedAttachment(proposalId: number, sha256: string): CitedAttachment | undefined {
  // The hash as the stored JSON writes it (no spaces, in records and drafts alike).
  const needle = `"sha256":"${sha256}"`;
  const records = all(
    qb()
      .selectFrom('decision_records')
      .select('inputs as json')
      .where('proposal_id', '=', proposalId)
      .where(containsText(sql.ref('inputs'), needle))
      .orderBy('seq', 'desc')
      .limit(1),
  );
  const drafts = all(
    qb()
      .selectFrom('step_drafts')
      .select('data as json')
      .where('proposal_id', '=', proposalId)
      .where(containsText(sql.ref('data'), needle)),
  );
  // Records first: a file that was submitted is cited by the record, whatever a draft says.
  for (const [rows, citedIn] of [
    [records, 'record'],
    [drafts, 'draft'],
  ] as const) {
    for (const row of rows) {
      const found = attachmentsIn(JSON.parse(row.json)).find((a) => a.ref.sha256 === sha256);
      if (found) return { ref: found.ref, citedIn };
    }
  }
  return undefined;
}
