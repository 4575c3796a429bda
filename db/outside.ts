import { sql } from 'kysely';
import { all, dialect, first, inTransaction, insertId, prebuilt, qb, run } from './connection';
import type { Selectable } from 'kysely';
import type { OutboxAttemptsTable, OutboxTable, Proposal, ScreeningsTable } from './schema';

// Queries of the outside services: the registry cache, screenings, and the
// notification outbox with its delivery attempts.

export type OutboxRow = Selectable<OutboxTable>;
export type OutboxAttemptRow = Selectable<OutboxAttemptsTable>;
export type ScreeningRow = Selectable<ScreeningsTable>;

// ---- Registry cache ----

export function cachedRegistryAnswer(key: string): { body: string; fetched_at: string } | undefined {
  return first(qb().selectFrom('registry_cache').select(['body', 'fetched_at']).where('key', '=', key));
}

export function storeRegistryAnswer(key: string, body: string, fetchedAt: string): void {
  run(
    qb()
      .insertInto('registry_cache')
      .values({ key, body, fetched_at: fetchedAt })
      .onConflict((oc) => oc.column('key').doUpdateSet({ body, fetched_at: fetchedAt })),
  );
}

// ---- Screenings ----

export function insertScreening(row: {
  proposalId: number | null;
  partnerId: number;
  stage: string;
  checkedAt: string;
  status: 'clear' | 'hits' | 'error' | 'off';
  results: string;
  error: string | null;
  source: string;
  query: string;
}): number {
  return insertId(
    qb()
      .insertInto('screenings')
      .values({
        proposal_id: row.proposalId,
        partner_id: row.partnerId,
        stage: row.stage,
        checked_at: row.checkedAt,
        status: row.status,
        results: row.results,
        error: row.error,
        source: row.source,
        query: row.query,
      }),
  );
}

// Both are read on every staff decision: built and compiled once.
const latestScreeningOf = prebuilt<{ proposalId: number }, ScreeningRow>(['proposalId'], (p) =>
  qb().selectFrom('screenings').selectAll().where('proposal_id', '=', p.proposalId).orderBy('id', 'desc').limit(1),
);
const screeningsOf = prebuilt<{ proposalId: number }, ScreeningRow>(['proposalId'], (p) =>
  qb().selectFrom('screenings').selectAll().where('proposal_id', '=', p.proposalId).orderBy('id', 'desc'),
);

export function latestScreeningRow(proposalId: number): ScreeningRow | undefined {
  return first(latestScreeningOf({ proposalId }));
}

export function screeningRowsOfProposal(proposalId: number): ScreeningRow[] {
  return all(screeningsOf({ proposalId }));
}

export function latestScreeningRowOfPartner(partnerId: number): ScreeningRow | undefined {
  return first(
    qb().selectFrom('screenings').selectAll().where('partner_id', '=', partnerId).orderBy('id', 'desc').limit(1),
  );
}

// ---- Notification facts ----

/** What a notification says about a proposal: these columns of it, and names, not ids. */
const FACT_COLUMNS = [
  'id',
  'reference',
  'event_title',
  'event_date',
  'state',
  'approved_until',
  'proposer_id',
  'chapter_id',
  'last_changed_by',
] as const satisfies readonly (keyof Proposal)[];

export type NotificationNames = { partner_name: string; chapter_name: string };
export type NotificationFacts = Pick<Proposal, (typeof FACT_COLUMNS)[number]> & NotificationNames;

export function notificationFacts(proposalId: number): NotificationFacts | undefined {
  return first(factsOf({ proposalId }));
}

/** The facts of a proposal row already at hand (a decision's, as it now stands), with its names. */
export function notificationFactsOfRow(proposal: Proposal, names: NotificationNames): NotificationFacts {
  const facts: Record<string, unknown> = { partner_name: names.partner_name, chapter_name: names.chapter_name };
  for (const column of FACT_COLUMNS) facts[column] = proposal[column];
  return facts as NotificationFacts;
}

/**
 * notificationFacts, read at most once per proposal: a decision's e-mails, channel
 * messages and inbox rows all quote the same names, in one transaction. `known`:
 * facts the caller already has, never read again.
 */
export function notificationFactsOnce(known?: NotificationFacts): (proposalId: number) => NotificationFacts | undefined {
  const read = new Map<number, NotificationFacts | undefined>();
  if (known) read.set(known.id, known);
  return (proposalId) => {
    if (!read.has(proposalId)) read.set(proposalId, notificationFacts(proposalId));
    return read.get(proposalId);
  };
}

// Read and written inside every announced decision: built and compiled once.
const factsOf = prebuilt(['proposalId'], (p: { proposalId: number }) =>
  qb()
    .selectFrom('proposals as p')
    .innerJoin('partners as pa', 'pa.id', 'p.partner_id')
    .innerJoin('chapters as c', 'c.id', 'p.chapter_id')
    .select([...FACT_COLUMNS.map((column) => `p.${column}` as const), 'pa.name as partner_name', 'c.name as chapter_name'])
    .where('p.id', '=', p.proposalId),
);

type NewOutboxRow = {
  channel: string;
  idempotency_key: string;
  payload: string;
  decision_seq: number | null;
  created_at: string;
  event: string | null;
  proposal_id: number | null;
  recipient: string | null;
};
const insertOutbox = prebuilt<NewOutboxRow, unknown>(['channel', 'idempotency_key', 'payload', 'decision_seq', 'created_at', 'event', 'proposal_id', 'recipient'], (row) =>
  qb()
    .insertInto('outbox')
    // First attempt as soon as the row exists.
    .values({ ...row, next_attempt_at: row.created_at })
    .onConflict((oc) => oc.column('idempotency_key').doNothing()),
);

// ---- Reminders ----

/** Proposals whose approval ends, or whose event takes place, after `afterDay` and on or before `untilDay`. */
export function proposalsWithDatesBetween(afterDay: string, untilDay: string) {
  return all(
    qb()
      .selectFrom('proposals')
      .select(['id', 'state', 'proposer_id', 'chapter_id', 'last_changed_by', 'event_date', 'approved_until'])
      .where((eb) =>
        eb.or([
          eb.and([eb('approved_until', '>', afterDay), eb('approved_until', '<=', untilDay)]),
          eb.and([eb('event_date', '>', afterDay), eb('event_date', '<=', untilDay)]),
        ]),
      )
      .orderBy('id'),
  );
}

// ---- Outbox ----

export function isInTransaction(): boolean {
  return inTransaction();
}

/** Inserts a row unless its idempotency key exists already; returns whether it was new. */
export function insertOutboxRow(row: {
  channel: string;
  idempotencyKey: string;
  payload: string;
  decisionSeq: number | null;
  createdAt: string;
  /** What it announces, about which proposal, to whom (e-mail rows; migration 0150). */
  event?: string | null;
  proposalId?: number | null;
  recipient?: string | null;
}): boolean {
  const result = run(
    insertOutbox({
      channel: row.channel,
      idempotency_key: row.idempotencyKey,
      payload: row.payload,
      decision_seq: row.decisionSeq,
      created_at: row.createdAt,
      event: row.event ?? null,
      proposal_id: row.proposalId ?? null,
      recipient: row.recipient ?? null,
    }),
  );
  return result.changes === 1;
}

export function outboxKeyExists(idempotencyKey: string): boolean {
  return first(qb().selectFrom('outbox').select('id').where('idempotency_key', '=', idempotencyKey)) !== undefined;
}

/** Rows waiting for delivery whose time has come, oldest first. */
export function dueOutboxRows(nowIso: string, limit: number): OutboxRow[] {
  return all(
    qb()
      .selectFrom('outbox')
      .selectAll()
      .where('delivered_at', 'is', null)
      .where('failed_at', 'is', null)
      .where('next_attempt_at', '<=', nowIso)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit),
  );
}

/**
 * Takes a row for one delivery attempt by moving its next attempt to the end
 * of a lease. Only one caller (tick or process) wins; a crash mid-send leaves
 * the row to be picked up again when the lease runs out.
 */
export function claimOutboxRow(id: number, dueBy: string, leaseUntil: string): boolean {
  if (dialect() === 'postgres') {
    // Several app instances share the outbox: the row is locked FOR UPDATE and a row another
    // instance is claiming or marking right now is SKIPPED, not waited for; the condition is
    // checked again on the locked row, so of two claims exactly one changes it.
    const claim = qb()
      .updateTable('outbox')
      .set({ next_attempt_at: leaseUntil })
      .where('id', '=', (eb) =>
        eb
          .selectFrom('outbox as o')
          .select('o.id')
          .where('o.id', '=', id)
          .where('o.delivered_at', 'is', null)
          .where('o.failed_at', 'is', null)
          .where('o.next_attempt_at', '<=', dueBy)
          .forUpdate()
          .skipLocked(),
      );
    return run(claim).changes === 1;
  }
  const result = run(
    qb()
      .updateTable('outbox')
      .set({ next_attempt_at: leaseUntil })
      .where('id', '=', id)
      .where('delivered_at', 'is', null)
      .where('failed_at', 'is', null)
      .where('next_attempt_at', '<=', dueBy),
  );
  return result.changes === 1;
}

export function outboxRow(id: number): OutboxRow | undefined {
  return first(qb().selectFrom('outbox').selectAll().where('id', '=', id));
}

export function outboxRowsOfDecision(decisionSeq: number): OutboxRow[] {
  return all(qb().selectFrom('outbox').selectAll().where('decision_seq', '=', decisionSeq).orderBy('id'));
}

export function recordOutboxAttempt(attempt: {
  outboxId: number;
  at: string;
  status: number | null;
  ok: boolean;
  error: string | null;
  durationMs: number;
}): void {
  insertId(
    qb()
      .insertInto('outbox_attempts')
      .values({
        outbox_id: attempt.outboxId,
        at: attempt.at,
        status: attempt.status,
        ok: attempt.ok ? 1 : 0,
        error: attempt.error,
        duration_ms: attempt.durationMs,
      }),
  );
}

export function markOutboxDelivered(id: number, at: string): void {
  run(
    qb()
      .updateTable('outbox')
      .set((eb) => ({ delivered_at: at, attempts: eb('attempts', '+', 1), last_error: null }))
      .where('id', '=', id),
  );
}

export function scheduleOutboxRetry(id: number, nextAttemptAt: string, error: string): void {
  run(
    qb()
      .updateTable('outbox')
      .set((eb) => ({ next_attempt_at: nextAttemptAt, attempts: eb('attempts', '+', 1), last_error: error }))
      .where('id', '=', id),
  );
}

export function markOutboxFailed(id: number, at: string, error: string): void {
  run(
    qb()
      .updateTable('outbox')
      .set((eb) => ({ failed_at: at, attempts: eb('attempts', '+', 1), last_error: error }))
      .where('id', '=', id),
  );
}

export function outboxAttempts(outboxId: number): OutboxAttemptRow[] {
  return all(qb().selectFrom('outbox_attempts').selectAll().where('outbox_id', '=', outboxId).orderBy('id'));
}

/** Counts for a status line: waiting, delivered, given up. */
export function outboxSummary(): { pending: number; delivered: number; failed: number } {
  const row = first(
    qb()
      .selectFrom('outbox')
      .select([
        sql<number>`coalesce(sum(case when delivered_at is null and failed_at is null then 1 else 0 end), 0)`.as('pending'),
        sql<number>`coalesce(sum(case when delivered_at is not null then 1 else 0 end), 0)`.as('delivered'),
        sql<number>`coalesce(sum(case when failed_at is not null then 1 else 0 end), 0)`.as('failed'),
      ]),
  );
  return { pending: Number(row?.pending ?? 0), delivered: Number(row?.delivered ?? 0), failed: Number(row?.failed ?? 0) };
}

/** The most recent rows, newest first, for an admin's view of deliveries. */
export function recentOutboxRows(limit = 50): OutboxRow[] {
  return all(qb().selectFrom('outbox').selectAll().orderBy('id', 'desc').limit(limit));
}

/** The delivery log: the newest rows with the decision and proposal they announce. */
export function outboxLog(limit = 50) {
  return all(
    qb()
      .selectFrom('outbox as o')
      .leftJoin('decision_records as d', 'd.seq', 'o.decision_seq')
      // A reminder announces no decision: it names its proposal itself.
      .leftJoin('proposals as p', (join) => join.on((eb) => eb('p.id', '=', eb.fn.coalesce('o.proposal_id', 'd.proposal_id'))))
      .select([
        'o.id',
        'o.channel',
        'o.idempotency_key',
        'o.decision_seq',
        'o.created_at',
        'o.attempts',
        'o.next_attempt_at',
        'o.delivered_at',
        'o.failed_at',
        'o.last_error',
        'o.event',
        'o.recipient',
        'd.step',
        'd.outcome',
        'd.from_state',
        'd.to_state',
        'p.id as proposal_id',
        'p.reference',
      ])
      .orderBy('o.id', 'desc')
      .limit(limit),
  );
}

/** The newest delivery attempts across all rows, with the row's channel and key. */
export function recentOutboxAttempts(limit = 50) {
  return all(
    qb()
      .selectFrom('outbox_attempts as a')
      .innerJoin('outbox as o', 'o.id', 'a.outbox_id')
      .select(['a.id', 'a.outbox_id', 'a.at', 'a.status', 'a.ok', 'a.error', 'a.duration_ms', 'o.channel', 'o.idempotency_key'])
      .orderBy('a.id', 'desc')
      .limit(limit),
  );
}
