// Reads behind a proposal's decision record pages: the records, the offline bundle and its check.
import { checkProposalRecords, exportBundle } from '../../../db/bundle';
import { nowIso } from '../../../db/connection';
import { recordsOfProposal } from '../../../db/decision-log';
import { proposalById, proposalRow } from '../../../db/proposals';

/**
 * One proposal's records as a bundle anyone can verify offline, with inclusion proofs against a
 * signed checkpoint; the log's head is signed first if no checkpoint covers this proposal yet
 * (a file, not a database write). Undefined when there is no such proposal.
 */
export const proposalBundle = (proposalId: number) => exportBundle(proposalId, { signIfNeeded: true });

/** The proposal, its records in order, and their hashes and links checked as the offline check does. */
export function recordPageSources(proposalId: number) {
  const detail = proposalById(proposalId);
  const records = recordsOfProposal(proposalId);
  // The download adds the proofs against the signed log; the page never reads the whole log.
  const check = checkProposalRecords(proposalId);
  return { detail, records, check, generatedAt: nowIso() };
}

export const proposalReference = (proposalId: number) => proposalRow(proposalId)?.reference ?? null;
