import fs from 'node:fs';
import { logConfig, readCheckpoints, sealKey, sealOf, type LogConfig, type StoredCheckpoint } from './checkpoints';
import { CompactRange } from './merkle';
import { ChainChecker, HASHED_FIELDS, recordHash, recordLeaf, type ChainProblem, type HashedRecord } from './record-hash';
import type { NoteVerifier } from './signed-note';

// Replays the decision log from any source of records, in seq order: recomputes each
// record's hash and the chain (record-hash.ts), builds the Merkle tree (merkle.ts) and
// checks its root at every signed checkpoint kept outside the database (checkpoints.ts).
// db/verify.ts does this on the live SQLite file together with its page and state checks;
// this is the part that does not depend on where the records are stored, used to verify
// a log moved to PostgreSQL without trusting the copy.

export type StoredRecord = HashedRecord & { hash: string; seal: string | null };

export type ReplayResult = {
  ok: boolean;
  count: number;
  head: { size: number; root: string };
  checkpointsVerified: number;
  problem?: ChainProblem & { checkpoint?: string };
};

/** The columns to read for a replay, in HASHED_FIELDS order. */
export const REPLAY_COLUMNS = [...HASHED_FIELDS, 'hash', 'seal'] as const;

export async function replayLog(
  records: AsyncIterable<StoredRecord> | Iterable<StoredRecord>,
  options: { trustedKeys: NoteVerifier[]; config?: LogConfig; checkSeals?: boolean },
): Promise<ReplayResult> {
  const config = options.config ?? logConfig();
  const { checkpoints, problems } = readCheckpoints(options.trustedKeys, config);
  const pending: StoredCheckpoint[] = [...checkpoints].sort((a, b) => a.size - b.size);
  const sealFrom = pending.length > 0 ? pending[pending.length - 1]!.size : 0;
  const key = (options.checkSeals ?? fs.existsSync(config.signingKeyFile)) ? sealKey(config) : null;
  const checker = new ChainChecker({ contiguous: true });
  const range = new CompactRange();
  let verified = 0;
  const result = (problem?: ReplayResult['problem']): ReplayResult => ({
    ok: !problem,
    count: checker.count,
    head: { size: range.size, root: range.root().toString('base64') },
    checkpointsVerified: verified,
    ...(problem ? { problem } : {}),
  });

  if (problems.length > 0) {
    // A checkpoint file that does not verify is itself a sign of tampering.
    return result({ seq: 0, proposalId: 0, checkpoint: problems[0]!.file, problem: problems[0]!.problem });
  }
  const checkRoot = (): ReplayResult['problem'] | undefined => {
    while (pending.length > 0 && pending[0]!.size === range.size) {
      const c = pending.shift()!;
      if (!range.root().equals(c.root)) {
        return {
          seq: range.size,
          proposalId: 0,
          checkpoint: c.file,
          problem: `the first ${c.size} records are not the ones checkpoint ${c.file} signed (records were rewritten, inserted or removed)`,
        };
      }
      verified++;
    }
    return undefined;
  };
  let problem = checkRoot();
  if (problem) return result(problem);
  for await (const record of records) {
    const computed = recordHash(record);
    const chainProblem = checker.checkHashed(record.seq, record.proposal_id, record.prev_hash, record.proposal_prev_hash, record.hash, computed, record);
    if (chainProblem) return result(chainProblem);
    range.append(recordLeaf(computed));
    problem = checkRoot();
    if (problem) return result(problem);
    if (key && record.seq > sealFrom && record.seal !== sealOf(key, record.hash)) {
      return result({ seq: record.seq, proposalId: record.proposal_id, problem: 'it carries no valid seal: Cosponsor did not write it' });
    }
  }
  if (pending.length > 0) {
    const c = pending[pending.length - 1]!;
    return result({
      seq: range.size + 1,
      proposalId: 0,
      checkpoint: c.file,
      problem: `the log holds ${range.size} records but checkpoint ${c.file} signed ${c.size}: records were removed`,
    });
  }
  return result();
}

export function formatReplay(result: ReplayResult): string {
  if (result.ok) {
    const anchored = `${result.checkpointsVerified} signed checkpoint${result.checkpointsVerified === 1 ? '' : 's'}`;
    return `OK ${result.count} records, chain intact, tree head ${result.head.size} ${result.head.root}, consistent with ${anchored}`;
  }
  const p = result.problem!;
  if (p.checkpoint && p.seq === 0) return `BROKEN at checkpoint ${p.checkpoint}: ${p.problem}`;
  return `BROKEN at record ${p.seq}${p.proposalId ? ` (proposal ${p.proposalId})` : ''}: ${p.problem}`;
}
