// Reads behind a proposal's decision record pages: the records, the offline bundle and its check.
import { exportBundle, verifyBundle } from '../../../db/bundle';
import { nowIso } from '../../../db/connection';
import { recordsOfProposal } from '../../../db/decision-log';
import { proposalById, proposalRow } from '../../../db/proposals';

/** One proposal's records as a bundle anyone can verify offline, or undefined when there is no such proposal. */
export const proposalBundle = (proposalId: number) => exportBundle(proposalId);

/** The proposal, its records in order, and the same check the downloaded bundle gets offline. */
export function recordPageSources(proposalId: number) {
  const detail = proposalById(proposalId);
  const records = recordsOfProposal(proposalId);
  const bundle = exportBundle(proposalId);
  const check = bundle ? verifyBundle(bundle) : { ok: false, message: 'The records could not be read.' };
  return { detail, records, check, generatedAt: nowIso() };
}

export const proposalReference = (proposalId: number) => proposalRow(proposalId)?.reference ?? null;
