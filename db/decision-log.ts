import type { Expression } from 'kysely';
import { all, first, nowIso, prebuilt, qb, run } from './connection';
import { GENESIS_HASH, recordHash, type HashedRecord } from './record-hash';
import type { DecisionRecord } from './schema';
import { sealKey, sealOf } from './checkpoints';
import { verifyLogWithCheckpoints, type VerifyOptions, type VerifyResult } from './verify';

const chainHead = prebuilt<Record<string, never>, { seq: number; hash: string }>([], () =>
  qb().selectFrom('decision_records').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1),
);

const proposalHead = prebuilt<{ proposalId: number }, { hash: string }>(['proposalId'], (p) =>
  qb().selectFrom('decision_records').select('hash').where('proposal_id', '=', p.proposalId).orderBy('seq', 'desc').limit(1),
);

/**
 * The subqueries that read what an append extends, the one definition of the chain's heads: the
 * chain's last record and `proposalId`'s last record. Selected on their own below, and with the
 * proposal a decision reads under its lock (db/proposals.ts proposalForDecision).
 */
export function chainHeadColumns(proposalId: Expression<number> | number) {
  return [
    qb().selectFrom('decision_records').select('seq').orderBy('seq', 'desc').limit(1).as('head_seq'),
    qb().selectFrom('decision_records').select('hash').orderBy('seq', 'desc').limit(1).as('head_hash'),
    qb()
      .selectFrom('decision_records')
      .select('hash')
      .where('proposal_id', '=', proposalId)
      .orderBy('seq', 'desc')
      .limit(1)
      .as('proposal_head_hash'),
  ] as const;
}

/** A row with chainHeadColumns, as appendRecords takes it. */
export type ChainHeadRow = { head_seq: number | null; head_hash: string | null; proposal_head_hash: string | null };

/** Both heads an append extends, in one statement. */
const heads = prebuilt<{ proposalId: number }, ChainHeadRow>(['proposalId'], (p) => qb().selectNoFrom(chainHeadColumns(p.proposalId)));

type StoredRecord = HashedRecord & { hash: string; seal: string };
const RECORD_COLUMNS = [
  'seq', 'proposal_id', 'partner_id', 'chapter_id', 'campaign_id', 'step', 'outcome', 'actor_id', 'actor_name', 'actor_role',
  'at', 'rationale', 'inputs', 'config_versions', 'from_state', 'to_state', 'prev_hash', 'proposal_prev_hash', 'hash', 'seal',
] as const satisfies readonly (keyof StoredRecord)[];

const insertRecord = prebuilt<StoredRecord, unknown>(RECORD_COLUMNS, (r) => qb().insertInto('decision_records').values(r));

export type RecordDraft = {
  proposalId: number;
  partnerId: number;
  chapterId: number;
  campaignId: number;
  step: string;
  outcome: string;
  actorId: number | null;
  actorName: string;
  actorRole: string;
  rationale: string;
  /** Canonical JSON text of the inputs judged. */
  inputs: string;
  /** Canonical JSON text of the configuration versions used. */
  configVersions: string;
  fromState: string | null;
  toState: string;
};

/**
 * The text as SQLite will store it, which is what must be hashed: SQLite keeps
 * UTF-8, where a lone surrogate (half an emoji cut off by a slice) cannot
 * exist and becomes U+FFFD. Hashing the JS string instead made such a record
 * fail verification as if it had been altered.
 */
function stored(text: string): string {
  return (text as string & { toWellFormed(): string }).toWellFormed();
}

/**
 * Appends records to the chain. Must run inside transaction(): the chain head
 * is read and extended under the same write lock. `knownHeads`: the heads as the
 * caller read them in this same transaction (proposalForDecision), not read again.
 */
export function appendRecords(drafts: RecordDraft[], at: string = nowIso(), knownHeads?: ChainHeadRow): DecisionRecord[] {
  const proposalHeads = new Map<number, string | null>();
  if (drafts.length === 0) return [];
  const head = knownHeads ?? first(heads({ proposalId: drafts[0]!.proposalId }))!;
  let seq = head.head_seq ?? 0;
  let prevHash = head.head_hash ?? GENESIS_HASH;
  proposalHeads.set(drafts[0]!.proposalId, head.proposal_head_hash);
  const written: DecisionRecord[] = [];
  // Sealed with a key kept outside the database: a record inserted into the
  // file by hand carries no valid seal (docs/decisions/0003).
  const key = sealKey();
  for (const draft of drafts) {
    if (!proposalHeads.has(draft.proposalId)) {
      const last = first(proposalHead({ proposalId: draft.proposalId }));
      proposalHeads.set(draft.proposalId, last ? last.hash : null);
    }
    seq += 1;
    // Made whole at once, hash and seal filled in below: adding them to a spread copy went
    // through V8's slow path for every record.
    const row: StoredRecord = {
      seq,
      proposal_id: draft.proposalId,
      partner_id: draft.partnerId,
      chapter_id: draft.chapterId,
      campaign_id: draft.campaignId,
      step: stored(draft.step),
      outcome: stored(draft.outcome),
      actor_id: draft.actorId,
      actor_name: stored(draft.actorName),
      actor_role: stored(draft.actorRole),
      at,
      rationale: stored(draft.rationale),
      inputs: stored(draft.inputs),
      config_versions: stored(draft.configVersions),
      from_state: draft.fromState === null ? null : stored(draft.fromState),
      to_state: stored(draft.toState),
      prev_hash: prevHash,
      proposal_prev_hash: proposalHeads.get(draft.proposalId) ?? null,
      hash: '',
      seal: '',
    };
    const hash = (row.hash = recordHash(row));
    row.seal = sealOf(key, hash);
    run(insertRecord(row));
    written.push(row);
    prevHash = hash;
    proposalHeads.set(draft.proposalId, hash);
  }
  return written;
}

// Every proposal page reads these: built and compiled once.
const recordsOf = prebuilt<{ proposalId: number }, DecisionRecord>(['proposalId'], (p) =>
  qb().selectFrom('decision_records').selectAll().where('proposal_id', '=', p.proposalId).orderBy('seq'),
);

export function recordsOfProposal(proposalId: number): DecisionRecord[] {
  return all(recordsOf({ proposalId }));
}

const latestApproval = prebuilt<{ proposalId: number }, DecisionRecord>(['proposalId'], (p) =>
  qb()
    .selectFrom('decision_records')
    .selectAll()
    .where('proposal_id', '=', p.proposalId)
    .where('step', '=', 'decision')
    .where('outcome', '=', 'approved')
    .orderBy('seq', 'desc')
    .limit(1),
);

/** The proposal's latest approval record, if any: what an MOU save checks, without reading every record. */
export function latestApprovalOfProposal(proposalId: number): DecisionRecord | undefined {
  return first(latestApproval({ proposalId }));
}

export function latestRecordOfProposal(proposalId: number): DecisionRecord | undefined {
  return first(
    qb().selectFrom('decision_records').selectAll().where('proposal_id', '=', proposalId).orderBy('seq', 'desc').limit(1),
  );
}

/** The newest record's sequence number (0 for an empty log): cheap, unlike a count. */
export function lastSeq(): number {
  return first(chainHead({}))?.seq ?? 0;
}

export function countRecords(): number {
  return first(qb().selectFrom('decision_records').select((eb) => eb.fn.countAll<number>().as('n')))?.n ?? 0;
}

export type { VerifyResult } from './verify';
export { formatVerifyResult } from './verify';

/**
 * Verifies the whole log: the chain, every signed checkpoint, the rows pages
 * show, and every proposal's state (db/verify.ts).
 */
export function verifyLog(options?: VerifyOptions): VerifyResult {
  return verifyLogWithCheckpoints(options);
}
