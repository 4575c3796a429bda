import { HASHED_FIELDS, checkRecords, type HashedRecord } from './record-hash';
import { recordsOfProposal } from './decision-log';
import { first, qb } from './connection';

// One proposal's records, exported with their hashes, verifiable offline.

export const BUNDLE_FORMAT = 'cosponsor-bundle-v1';

export type Bundle = {
  format: typeof BUNDLE_FORMAT;
  proposal: { id: number; reference: string };
  exportedAt: string;
  records: (HashedRecord & { hash: string })[];
};

export function exportBundle(proposalId: number): Bundle | undefined {
  const proposal = first(qb().selectFrom('proposals').select(['id', 'reference']).where('id', '=', proposalId));
  if (!proposal) return undefined;
  const records = recordsOfProposal(proposalId).map((r) => {
    const out = {} as Record<string, unknown>;
    for (const field of HASHED_FIELDS) out[field] = r[field];
    out.hash = r.hash;
    return out as HashedRecord & { hash: string };
  });
  return { format: BUNDLE_FORMAT, proposal, exportedAt: new Date().toISOString(), records };
}

/**
 * Recomputes every hash and checks that each record links to the proposal's
 * previous one; needs nothing but the bundle.
 */
export function verifyBundle(bundle: unknown): { ok: boolean; message: string } {
  const b = bundle as Partial<Bundle>;
  if (!b || b.format !== BUNDLE_FORMAT || !Array.isArray(b.records) || !b.proposal) {
    return { ok: false, message: 'BROKEN: this is not a Cosponsor bundle.' };
  }
  // Every proposal has at least its creation record: an empty bundle proves nothing.
  if (b.records.length === 0) return { ok: false, message: 'BROKEN: the bundle holds no records.' };
  for (const record of b.records) {
    if (record.proposal_id !== b.proposal.id) {
      return { ok: false, message: `BROKEN at record ${record.seq}: it belongs to another proposal.` };
    }
    // The header is not hashed: tie its reference to what the hashed inputs say.
    const reference = referenceIn(record.inputs);
    if (reference !== null && reference !== b.proposal.reference) {
      return { ok: false, message: `BROKEN at record ${record.seq}: it names ${reference}, not ${b.proposal.reference}.` };
    }
  }
  const sorted = [...b.records].sort((x, y) => x.seq - y.seq);
  if (sorted.length > 0 && sorted[0]!.proposal_prev_hash !== null) {
    return { ok: false, message: `BROKEN at record ${sorted[0]!.seq}: the proposal's first record is missing.` };
  }
  const result = checkRecords(sorted, { contiguous: false });
  if (result.problem) {
    return { ok: false, message: `BROKEN at record ${result.problem.seq} (proposal ${result.problem.proposalId}): ${result.problem.problem}` };
  }
  return { ok: true, message: `OK ${result.count} records of ${b.proposal.reference}` };
}

function referenceIn(inputs: string): string | null {
  try {
    const parsed = JSON.parse(inputs) as { proposal?: { reference?: unknown } };
    return typeof parsed.proposal?.reference === 'string' ? parsed.proposal.reference : null;
  } catch {
    return null;
  }
}
