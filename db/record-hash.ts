import { createHash } from 'node:crypto';

// How a decision record is hashed. Kept free of database code so that an
// exported bundle can be verified offline with nothing but this file.

export const GENESIS_HASH = '0'.repeat(64);
export const HASH_VERSION = 'cosponsor-record-v1';

/** The fields covered by the hash, in the order they are serialized. */
export const HASHED_FIELDS = [
  'seq',
  'proposal_id',
  'partner_id',
  'chapter_id',
  'campaign_id',
  'step',
  'outcome',
  'actor_id',
  'actor_name',
  'actor_role',
  'at',
  'rationale',
  'inputs',
  'config_versions',
  'from_state',
  'to_state',
  'prev_hash',
  'proposal_prev_hash',
] as const;

export type HashedRecord = {
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
};

/**
 * SHA-256 over a JSON array of the fields in a fixed order. inputs and
 * config_versions are hashed as the exact stored text, so verification never
 * has to re-serialize them.
 */
export function recordHash(record: HashedRecord): string {
  const values: unknown[] = [HASH_VERSION];
  for (const field of HASHED_FIELDS) values.push(record[field]);
  return createHash('sha256').update(JSON.stringify(values)).digest('hex');
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export type ChainProblem = { seq: number; proposalId: number; problem: string };

/**
 * Checks records given in sequence order. With `contiguous`, the global chain
 * must be unbroken (the whole log); without it (a one-proposal bundle) each
 * record must hash correctly and link to the proposal's previous record.
 */
export function checkRecords(
  records: Iterable<HashedRecord & { hash: string }>,
  options: { contiguous: boolean; firstPrevHash?: string },
): { count: number; problem: ChainProblem | null; lastHashByProposal: Map<number, string> } {
  let count = 0;
  let previous = null as { seq: number; hash: string } | null;
  const lastHashByProposal = new Map<number, string>();
  for (const record of records) {
    count++;
    const fail = (problem: string) => ({
      count,
      problem: { seq: record.seq, proposalId: record.proposal_id, problem },
      lastHashByProposal,
    });
    if (recordHash(record) !== record.hash) {
      return fail('its content does not match its hash (the record was altered)');
    }
    if (options.contiguous) {
      const expectedSeq: number = previous ? previous.seq + 1 : 1;
      if (record.seq !== expectedSeq) {
        return fail(`sequence number ${expectedSeq} is missing (a record was removed or reordered)`);
      }
      const expectedPrev: string = previous ? previous.hash : GENESIS_HASH;
      if (record.prev_hash !== expectedPrev) {
        return fail('it does not link to the record before it (records were removed, inserted or swapped)');
      }
    } else if (previous === null && options.firstPrevHash !== undefined && record.prev_hash !== options.firstPrevHash) {
      return fail('it does not link to the chain link given before it');
    }
    const proposalPrev = lastHashByProposal.get(record.proposal_id) ?? null;
    if (options.contiguous || lastHashByProposal.has(record.proposal_id)) {
      if (record.proposal_prev_hash !== proposalPrev) {
        return fail("it does not link to the proposal's previous record (a record of this proposal is missing)");
      }
    }
    lastHashByProposal.set(record.proposal_id, record.hash);
    previous = { seq: record.seq, hash: record.hash };
  }
  return { count, problem: null, lastHashByProposal };
}
