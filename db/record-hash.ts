import * as crypto from 'node:crypto';

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
  const values: unknown[] = new Array(HASHED_FIELDS.length + 1);
  values[0] = HASH_VERSION;
  for (let i = 0; i < HASHED_FIELDS.length; i++) values[i + 1] = record[HASHED_FIELDS[i]!];
  return hashOfValues(values);
}

/**
 * recordHash() of a record already laid out as [HASH_VERSION, ...the values of
 * HASHED_FIELDS in order]: lets the verifier hash rows read as arrays.
 */
export function hashOfValues(values: readonly unknown[]): string {
  return sha256Hex(JSON.stringify(values));
}

/**
 * The record's canonical serialization: the exact text its hash covers.
 */
export function recordText(record: HashedRecord): string {
  const values: unknown[] = new Array(HASHED_FIELDS.length + 1);
  values[0] = HASH_VERSION;
  for (let i = 0; i < HASHED_FIELDS.length; i++) values[i + 1] = record[HASHED_FIELDS[i]!];
  return JSON.stringify(values);
}

/**
 * The record's leaf in the Merkle tree (db/merkle.ts): SHA-256(0x00 || the 32
 * bytes of its hash). The hash covers the whole canonical text, so the tree
 * commits to every byte of every record while hashing the text only once.
 */
export function recordLeaf(hashHex: string): Buffer {
  return sha256Buffer(Buffer.from(`00${hashHex}`, 'hex'));
}

const sha256Buffer = (data: Buffer): Buffer =>
  typeof crypto.hash === 'function'
    ? (crypto.hash('sha256', data, 'buffer') as unknown as Buffer)
    : crypto.createHash('sha256').update(data).digest();

/** SHA-256 of a record text, hex: the record's hash. */
export function hashOfText(text: string): string {
  return sha256Hex(text);
}

// The one-shot hash (Node 20.12+) skips a Hash object per record: verifying a
// large log spends most of its time here.
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

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
 * Checks records one at a time, in sequence order. With `contiguous`, the
 * global chain must be unbroken (the whole log); without it (a one-proposal
 * bundle) each record must hash correctly and link to the proposal's previous
 * record.
 */
export class ChainChecker {
  count = 0;
  readonly lastHashByProposal = new Map<number, string>();
  /** The state and time each proposal's last record left it in. */
  private readonly lastStepByProposal = new Map<number, { toState: string; at: string }>();
  private previousSeq: number;
  private previousHash: string | null;

  constructor(
    private readonly options: {
      contiguous: boolean;
      firstPrevHash?: string;
      /** Continue a chain already verified up to this record (incremental verification). */
      after?: { seq: number; hash: string };
      /** The last record before the scan of a proposal not seen yet (incremental verification). */
      proposalHead?: (proposalId: number) => { hash: string; to_state: string; at: string } | undefined;
    },
  ) {
    this.previousSeq = options.after?.seq ?? 0;
    this.previousHash = options.after?.hash ?? null;
  }

  /** The first problem with this record, or null; stop at the first problem. */
  check(record: HashedRecord & { hash: string }): ChainProblem | null {
    return this.checkHashed(record.seq, record.proposal_id, record.prev_hash, record.proposal_prev_hash, record.hash, recordHash(record), record);
  }

  /** check(), for a caller that computed the record's hash itself. */
  checkHashed(
    seq: number,
    proposalId: number,
    prevHash: string,
    proposalPrevHash: string | null,
    storedHash: string,
    computedHash: string,
    step?: { from_state: string | null; to_state: string; at: string },
  ): ChainProblem | null {
    this.count++;
    if (computedHash !== storedHash) {
      return { seq, proposalId, problem: 'its content does not match its hash (the record was altered)' };
    }
    const first = this.previousHash === null;
    if (this.options.contiguous) {
      const expectedSeq: number = first ? 1 : this.previousSeq + 1;
      if (seq !== expectedSeq) {
        return { seq, proposalId, problem: `sequence number ${expectedSeq} is missing (a record was removed or reordered)` };
      }
      const expectedPrev: string = first ? GENESIS_HASH : this.previousHash!;
      if (prevHash !== expectedPrev) {
        return { seq, proposalId, problem: 'it does not link to the record before it (records were removed, inserted or swapped)' };
      }
    } else if (first && this.options.firstPrevHash !== undefined && prevHash !== this.options.firstPrevHash) {
      return { seq, proposalId, problem: 'it does not link to the chain link given before it' };
    }
    let proposalPrev = this.lastHashByProposal.get(proposalId);
    let lastStep = this.lastStepByProposal.get(proposalId);
    if (proposalPrev === undefined && this.options.proposalHead) {
      const head = this.options.proposalHead(proposalId);
      if (head) {
        proposalPrev = head.hash;
        lastStep = { toState: head.to_state, at: head.at };
      }
    }
    if (this.options.contiguous || proposalPrev !== undefined) {
      if (proposalPrevHash !== (proposalPrev ?? null)) {
        return {
          seq,
          proposalId,
          problem: "it does not link to the proposal's previous record (a record of this proposal is missing)",
        };
      }
    }
    if (step) {
      // The proposal's story must read as one: each step starts where the last one ended, and time moves forward.
      if (lastStep) {
        if (step.from_state !== lastStep.toState) {
          return {
            seq,
            proposalId,
            problem: `it moves the proposal from "${step.from_state}" but its previous record left it in "${lastStep.toState}"`,
          };
        }
        if (step.at < lastStep.at) {
          return { seq, proposalId, problem: `it is dated ${step.at}, before the proposal's previous record (${lastStep.at})` };
        }
      } else if ((this.options.contiguous || proposalPrevHash === null) && step.from_state !== null) {
        return { seq, proposalId, problem: `it is the proposal's first record but moves it from "${step.from_state}"` };
      }
      this.lastStepByProposal.set(proposalId, { toState: step.to_state, at: step.at });
    }
    this.lastHashByProposal.set(proposalId, storedHash);
    this.previousSeq = seq;
    this.previousHash = storedHash;
    return null;
  }
}

/** Checks records given in sequence order (see ChainChecker); stops at the first problem. */
export function checkRecords(
  records: Iterable<HashedRecord & { hash: string }>,
  options: { contiguous: boolean; firstPrevHash?: string },
): { count: number; problem: ChainProblem | null; lastHashByProposal: Map<number, string> } {
  const checker = new ChainChecker(options);
  for (const record of records) {
    const problem = checker.check(record);
    if (problem) return { count: checker.count, problem, lastHashByProposal: checker.lastHashByProposal };
  }
  return { count: checker.count, problem: null, lastHashByProposal: checker.lastHashByProposal };
}
