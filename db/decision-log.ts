import { all, first, getDb, insertId, nowIso, qb } from './connection';
import { checkRecords, GENESIS_HASH, recordHash, type ChainProblem, type HashedRecord } from './record-hash';
import type { DecisionRecord } from './schema';

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
 * Appends records to the chain. Must run inside transaction(): the chain head
 * is read and extended under the same write lock.
 */
export function appendRecords(drafts: RecordDraft[], at: string = nowIso()): DecisionRecord[] {
  const db = qb();
  const head = first(db.selectFrom('decision_records').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1));
  let seq = head ? head.seq : 0;
  let prevHash = head ? head.hash : GENESIS_HASH;
  const proposalHeads = new Map<number, string | null>();
  const written: DecisionRecord[] = [];
  for (const draft of drafts) {
    if (!proposalHeads.has(draft.proposalId)) {
      const last = first(
        db
          .selectFrom('decision_records')
          .select('hash')
          .where('proposal_id', '=', draft.proposalId)
          .orderBy('seq', 'desc')
          .limit(1),
      );
      proposalHeads.set(draft.proposalId, last ? last.hash : null);
    }
    seq += 1;
    const record: HashedRecord = {
      seq,
      proposal_id: draft.proposalId,
      partner_id: draft.partnerId,
      chapter_id: draft.chapterId,
      campaign_id: draft.campaignId,
      step: draft.step,
      outcome: draft.outcome,
      actor_id: draft.actorId,
      actor_name: draft.actorName,
      actor_role: draft.actorRole,
      at,
      rationale: draft.rationale,
      inputs: draft.inputs,
      config_versions: draft.configVersions,
      from_state: draft.fromState,
      to_state: draft.toState,
      prev_hash: prevHash,
      proposal_prev_hash: proposalHeads.get(draft.proposalId) ?? null,
    };
    const hash = recordHash(record);
    insertId(db.insertInto('decision_records').values({ ...record, hash }));
    written.push({ ...record, hash });
    prevHash = hash;
    proposalHeads.set(draft.proposalId, hash);
  }
  return written;
}

export function recordsOfProposal(proposalId: number): DecisionRecord[] {
  return all(qb().selectFrom('decision_records').selectAll().where('proposal_id', '=', proposalId).orderBy('seq'));
}

export function latestRecordOfProposal(proposalId: number): DecisionRecord | undefined {
  return first(
    qb().selectFrom('decision_records').selectAll().where('proposal_id', '=', proposalId).orderBy('seq', 'desc').limit(1),
  );
}

export function countRecords(): number {
  return first(qb().selectFrom('decision_records').select((eb) => eb.fn.countAll<number>().as('n')))?.n ?? 0;
}

export type VerifyResult =
  | { ok: true; count: number; durationMs: number }
  | { ok: false; count: number; durationMs: number; problem: ChainProblem };

/**
 * Verifies the whole chain, then that every proposal's current state is the
 * state its last record moved it to.
 */
export function verifyLog(): VerifyResult {
  const started = performance.now();
  const sqlite = getDb().sqlite;
  const rows = sqlite
    .prepare(
      `SELECT seq, proposal_id, partner_id, chapter_id, campaign_id, step, outcome, actor_id, actor_name, actor_role,
              at, rationale, inputs, config_versions, from_state, to_state, prev_hash, proposal_prev_hash, hash
         FROM decision_records ORDER BY seq`,
    )
    .iterate() as Iterable<HashedRecord & { hash: string }>;
  const lastState = new Map<number, { seq: number; toState: string }>();
  const tracked = (function* () {
    for (const row of rows) {
      lastState.set(row.proposal_id, { seq: row.seq, toState: row.to_state });
      yield row;
    }
  })();
  const chain = checkRecords(tracked, { contiguous: true });
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  if (chain.problem) return { ok: false, count: chain.count, durationMs: elapsed(), problem: chain.problem };

  const proposals = sqlite.prepare('SELECT id, state FROM proposals ORDER BY id').all() as { id: number; state: string }[];
  for (const proposal of proposals) {
    const last = lastState.get(proposal.id);
    if (!last) {
      return {
        ok: false,
        count: chain.count,
        durationMs: elapsed(),
        problem: { seq: 0, proposalId: proposal.id, problem: 'the proposal has no decision record at all' },
      };
    }
    if (last.toState !== proposal.state) {
      return {
        ok: false,
        count: chain.count,
        durationMs: elapsed(),
        problem: {
          seq: last.seq,
          proposalId: proposal.id,
          problem: `the proposal is in state "${proposal.state}" but its last record moved it to "${last.toState}"`,
        },
      };
    }
  }
  return { ok: true, count: chain.count, durationMs: elapsed() };
}

export function formatVerifyResult(result: VerifyResult): string {
  if (result.ok) return `OK ${result.count} records`;
  return `BROKEN at record ${result.problem.seq} (proposal ${result.problem.proposalId}): ${result.problem.problem}`;
}
