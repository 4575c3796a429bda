import { delay, http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BACKOFF_CAP_MS,
  MAX_ATTEMPTS,
  backoffMs,
  deliverDueNotifications,
  enqueueNotifications,
  startOutboxWorker,
} from '../../app/jobs/outbox.server';
import type { ActingUser } from '../../workflows/policy';
import { decide } from '../../app/features/vetting/vetting.server';
import { all, closeDatabase, first, qb, run, transaction } from '../../db/connection';
import { recordsOfProposal } from '../../db/decision-log';
import { outboxAttempts, outboxRowsOfDecision, outboxSummary, type OutboxRow } from '../../db/outside';
import { proposalRow } from '../../db/proposals';
import { userByEmail } from '../../db/users';
import { freshDatabase } from '../support/db';
import { mockServer } from '../support/setup';
import { SLACK_URL, WEBHOOK_URL, slackFaults, webhookFaults, webhookReceiver } from '../mocks/webhooks';

const ENV = ['SLACK_WEBHOOK_URL', 'WEBHOOK_URL', 'WEBHOOK_SECRET', 'OUTSIDE_TIMEOUT_MS', 'MOCKS', 'APP_URL'] as const;
const SECRET = 'test-webhook-secret';

function actor(email: string): ActingUser {
  const u = userByEmail(email)!;
  return { id: u.id, name: u.name, roles: u.roles, chapterId: u.chapter_id };
}

function channelsOn(which: ('slack' | 'webhook')[] = ['slack', 'webhook']) {
  if (which.includes('slack')) process.env.SLACK_WEBHOOK_URL = SLACK_URL;
  if (which.includes('webhook')) {
    process.env.WEBHOOK_URL = WEBHOOK_URL;
    process.env.WEBHOOK_SECRET = SECRET;
  }
}

/** The demo proposal waiting in review (MOU not needed), never screened. */
function vaccineForum() {
  return first(qb().selectFrom('proposals').select(['id', 'version']).where('event_title', 'like', 'A Fair Shot%'))!;
}

/** Staff approve the vaccine forum; returns the decision record's seq. */
function approve(): number {
  const { id, version } = vaccineForum();
  const result = decide({
    proposalId: id,
    expectedVersion: version,
    actor: actor('staff@cosponsor.test'),
    command: { type: 'APPROVE', conditions: [], endDate: null, rationale: 'Approved: a small co-listing on vaccine equity.' },
  });
  if (!result.ok) throw new Error(result.error.message);
  return result.records[0]!.seq;
}

function rows(): OutboxRow[] {
  return all(qb().selectFrom('outbox').selectAll().orderBy('id'));
}

/** A clock safely after every row's creation time. */
const later = (ms = 0) => new Date(Date.now() + 1000 + ms);

beforeEach(() => {
  freshDatabase('demo');
  for (const key of ENV) delete process.env[key];
  webhookReceiver.reset();
});
afterEach(() => {
  for (const key of ENV) delete process.env[key];
});

describe('enqueueing', () => {
  it('refuses to run outside a transaction', () => {
    channelsOn();
    expect(() => enqueueNotifications([])).toThrow('enqueueNotifications must run inside the decision transaction.');
  });

  it('queues nothing when no channel is configured', () => {
    approve();
    expect(rows()).toEqual([]);
  });

  it('queues one row per channel in the decision transaction, keyed by record and channel', () => {
    channelsOn();
    const seq = approve();
    const queued = outboxRowsOfDecision(seq);
    expect(queued.map((r) => [r.channel, r.idempotency_key])).toEqual([
      ['slack', `cosponsor-${seq}-slack`],
      ['webhook', `cosponsor-${seq}-webhook`],
    ]);
    expect(queued.every((r) => r.delivered_at === null && r.attempts === 0)).toBe(true);
    const event = JSON.parse(queued[1]!.payload) as { id: string; type: string; decision: { seq: number } };
    expect(event).toMatchObject({ id: `cosponsor-${seq}-webhook`, type: 'proposal.approved', decision: { seq } });
  });

  it('queues nothing for a refused decision, nor for steps that announce nothing', () => {
    channelsOn();
    const { id, version } = vaccineForum();
    const refused = decide({
      proposalId: id,
      expectedVersion: version,
      actor: actor('staff@cosponsor.test'),
      command: { type: 'REJECT', rationale: 'short' },
    });
    expect(refused.ok).toBe(false);
    expect(rows()).toEqual([]);

    // A step submission by the chapter lead: the proposal moves on, nobody is told.
    const inRisk = first(qb().selectFrom('proposals').select(['id', 'version']).where('state', '=', 'risk'))!;
    const lead2 = actor('lead2@cosponsor.test');
    const risk = decide({
      proposalId: inRisk.id,
      expectedVersion: inRisk.version,
      actor: lead2,
      command: {
        type: 'SUBMIT_RISK',
        input: {
          items: [
            { kind: 'risk', category: 'reputation', description: 'A risk to weigh.', likelihood: 2, impact: 2, mitigation: 'Mitigated.', residualLikelihood: 1, residualImpact: 2 },
            { kind: 'benefit', category: 'outreach', description: 'A benefit.', likelihood: 3, impact: 3, mitigation: null, residualLikelihood: null, residualImpact: null },
          ],
        },
      },
    });
    if (!risk.ok) throw new Error(risk.error.message);
    expect(rows()).toEqual([]);
  });

  it('announces a change request, and the proposal entering review again', () => {
    channelsOn(['webhook']);
    const { id, version } = vaccineForum();
    const back = decide({
      proposalId: id,
      expectedVersion: version,
      actor: actor('staff@cosponsor.test'),
      command: { type: 'REQUEST_CHANGES', step: 'mou', rationale: 'Please draft a short MOU: the partner will use our logo.' },
    });
    if (!back.ok) throw new Error(back.error.message);
    const resubmitted = decide({
      proposalId: id,
      expectedVersion: back.proposal.version,
      actor: actor('lead2@cosponsor.test'),
      command: { type: 'MOU_NOT_NEEDED', reason: 'The partner withdrew its request to use our logo; co-listing only.' },
    });
    if (!resubmitted.ok) throw new Error(resubmitted.error.message);
    expect(proposalRow(id)!.state).toBe('review');
    const types = rows().map((r) => (JSON.parse(r.payload) as { type: string }).type);
    expect(types).toEqual(['proposal.changes_requested', 'proposal.submitted']);
  });
});

describe('delivery', () => {
  it('sends each row once, signed, with its idempotency key, and logs the attempt', async () => {
    channelsOn();
    const seq = approve();
    const report = await deliverDueNotifications(later());
    expect(report).toEqual({ attempted: 2, delivered: 2, retrying: 0, failed: 0 });
    expect(webhookReceiver.deliveries.map((d) => [d.channel, d.idempotencyKey, d.duplicate])).toEqual([
      ['slack', `cosponsor-${seq}-slack`, false],
      ['webhook', `cosponsor-${seq}-webhook`, false],
    ]);
    const signed = webhookReceiver.deliveries[1]!;
    expect(signed.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(JSON.parse(signed.body)).toMatchObject({ type: 'proposal.approved' });
    expect(webhookReceiver.deliveries[0]!.signature).toBeNull();
    for (const row of rows()) {
      expect(row.delivered_at).not.toBeNull();
      expect(row.attempts).toBe(1);
      expect(outboxAttempts(row.id)).toEqual([expect.objectContaining({ ok: 1, error: null, status: row.channel === 'slack' ? 200 : 202 })]);
    }
    expect(outboxSummary()).toEqual({ pending: 0, delivered: 2, failed: 0 });
    // Nothing is due any more.
    expect(await deliverDueNotifications(later(60_000))).toEqual({ attempted: 0, delivered: 0, retrying: 0, failed: 0 });
    expect(webhookReceiver.deliveries).toHaveLength(2);
  });

  it('survives a crash between commit and delivery: the next process delivers once', async () => {
    channelsOn();
    const { id } = vaccineForum();
    const seq = approve();
    // The decision committed; the process dies before any delivery.
    expect(recordsOfProposal(id).at(-1)!.seq).toBe(seq);
    expect(webhookReceiver.deliveries).toEqual([]);
    closeDatabase();

    // A new process: fresh module instances, the same database file.
    vi.resetModules();
    const restarted = await import('../../app/jobs/outbox.server');
    const report = await restarted.deliverDueNotifications(later());
    expect(report.delivered).toBe(2);
    const again = await restarted.deliverDueNotifications(later(60_000));
    expect(again.attempted).toBe(0);
    const connection = await import('../../db/connection');
    connection.closeDatabase();

    expect(webhookReceiver.deliveries.map((d) => d.idempotencyKey)).toEqual([`cosponsor-${seq}-slack`, `cosponsor-${seq}-webhook`]);
    expect(webhookReceiver.deliveries.some((d) => d.duplicate)).toBe(false);
  });

  it('two deliveries at once still send each row once', async () => {
    channelsOn();
    approve();
    const [a, b] = await Promise.all([deliverDueNotifications(later()), deliverDueNotifications(later())]);
    expect(a.delivered + b.delivered).toBe(2);
    expect(webhookReceiver.deliveries).toHaveLength(2);
    expect(webhookReceiver.deliveries.some((d) => d.duplicate)).toBe(false);
  });

  it('a crash after the send but before marking repeats the same key, which the receiver recognizes', async () => {
    channelsOn(['webhook']);
    const seq = approve();
    await deliverDueNotifications(later());
    // The mark after the 2xx never happened: the row keeps the lease its claim set,
    // and is due again once the lease runs out.
    run(qb().updateTable('outbox').set({ delivered_at: null, attempts: 0 }).where('decision_seq', '=', seq));
    expect((await deliverDueNotifications(later(1000))).attempted).toBe(0);
    await deliverDueNotifications(later(10 * 60_000));
    expect(webhookReceiver.deliveries.map((d) => [d.idempotencyKey, d.duplicate])).toEqual([
      [`cosponsor-${seq}-webhook`, false],
      [`cosponsor-${seq}-webhook`, true],
    ]);
    expect(webhookReceiver.unique()).toHaveLength(1);
  });

  it('the worker delivers what is pending at startup', async () => {
    channelsOn(['slack']);
    approve();
    const worker = startOutboxWorker({ intervalMs: 60_000 });
    try {
      await worker.tick();
      // The first tick ran at start; if it is still running, tick() waits for it.
      await vi.waitFor(() => expect(webhookReceiver.deliveries).toHaveLength(1));
    } finally {
      worker.stop();
    }
    expect(outboxSummary().delivered).toBe(1);
  });

  it('stop() resolves only once the tick in flight has finished (graceful shutdown waits for it)', async () => {
    channelsOn(['slack']);
    approve();
    // Slack answers after 400 ms: the first tick is still delivering when stop() is called.
    mockServer.use(http.post(SLACK_URL, async () => {
      await delay(400);
      return new HttpResponse('ok', { status: 200 });
    }));
    const worker = startOutboxWorker({ intervalMs: 60_000 });
    await new Promise((r) => setTimeout(r, 50));
    expect(outboxSummary().delivered).toBe(0);
    await worker.stop();
    expect(outboxSummary().delivered).toBe(1);
  });
});

describe('retries', () => {
  it('back off exponentially from 30 s, capped at 6 h', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => backoffMs(n) / 1000)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3840, 7680]);
    expect(backoffMs(11)).toBe(BACKOFF_CAP_MS);
    expect(backoffMs(40)).toBe(6 * 3600 * 1000);
  });

  it('follow the schedule against a failing receiver and give up after the last attempt', async () => {
    channelsOn(['slack']);
    mockServer.use(slackFaults.status(500, { detail: 'server error' }));
    const seq = approve();
    let clock = later().getTime();
    const waits: number[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // Just before the row is due: nothing happens.
      if (attempt > 1) {
        const early = await deliverDueNotifications(new Date(clock - 1000));
        expect(early.attempted).toBe(0);
      }
      const report = await deliverDueNotifications(new Date(clock));
      expect(report.attempted).toBe(1);
      const row = outboxRowsOfDecision(seq)[0]!;
      expect(row.attempts).toBe(attempt);
      if (attempt < MAX_ATTEMPTS) {
        expect(report.retrying).toBe(1);
        const next = Date.parse(row.next_attempt_at);
        waits.push((next - clock) / 1000);
        clock = next;
      } else {
        expect(report.failed).toBe(1);
        expect(row.failed_at).not.toBeNull();
        expect(row.last_error).toMatch(/^Gave up after 10 attempts\. Last error: The Slack webhook answered with an error \(500: server error\)\.$/);
      }
    }
    expect(waits).toEqual([30, 60, 120, 240, 480, 960, 1920, 3840, 7680]);
    const attempts = outboxAttempts(outboxRowsOfDecision(seq)[0]!.id);
    expect(attempts).toHaveLength(MAX_ATTEMPTS);
    expect(attempts.every((a) => a.ok === 0 && a.status === 500 && a.duration_ms >= 0)).toBe(true);
    expect(outboxSummary()).toEqual({ pending: 0, delivered: 0, failed: 1 });
    // Given up means given up.
    expect((await deliverDueNotifications(new Date(clock + 86_400_000))).attempted).toBe(0);
  });

  it('wait as long as a receiver asks with Retry-After', async () => {
    channelsOn(['slack']);
    mockServer.use(slackFaults.status(429, { detail: 'rate_limited' }, { 'Retry-After': '600' }));
    const seq = approve();
    const now = later();
    await deliverDueNotifications(now);
    const row = outboxRowsOfDecision(seq)[0]!;
    expect(Date.parse(row.next_attempt_at) - now.getTime()).toBe(600_000);
  });

  const failures: [string, () => void, RegExp, number | null][] = [
    ['a timeout', () => mockServer.use(webhookFaults.timeout()), /^The notification webhook did not answer within 150 ms\.$/, null],
    ['an unreachable receiver', () => mockServer.use(webhookFaults.unreachable()), /^The notification webhook could not be reached/, null],
    ['a 500', () => mockServer.use(webhookFaults.status(500)), /answered with an error \(500: Mock error 500\)/, 500],
    ['a 401', () => mockServer.use(webhookFaults.status(401, { error: 'bad signature' })), /answered with an error \(401: bad signature\)/, 401],
    ['a 404', () => mockServer.use(webhookFaults.status(404)), /found nothing there \(404\)/, 404],
  ];
  for (const [name, install, message, status] of failures) {
    it(`log ${name} and deliver later when the receiver recovers`, async () => {
      process.env.OUTSIDE_TIMEOUT_MS = '150';
      channelsOn(['webhook']);
      install();
      const seq = approve();
      const now = later();
      expect(await deliverDueNotifications(now)).toMatchObject({ attempted: 1, retrying: 1 });
      const row = outboxRowsOfDecision(seq)[0]!;
      expect(row.delivered_at).toBeNull();
      expect(row.last_error).toMatch(message);
      expect(outboxAttempts(row.id)).toEqual([expect.objectContaining({ ok: 0, status })]);
      mockServer.resetHandlers();
      expect(await deliverDueNotifications(new Date(now.getTime() + 30_000))).toMatchObject({ delivered: 1 });
      expect(webhookReceiver.unique()).toHaveLength(1);
    });
  }

  it('a Slack error body is logged', async () => {
    channelsOn(['slack']);
    const seq = approve();
    // Slack answers a bad payload with 400 and a plain-text reason.
    run(qb().updateTable('outbox').set({ payload: '{"blocks": []}' }).where('decision_seq', '=', seq));
    await deliverDueNotifications(later());
    expect(outboxRowsOfDecision(seq)[0]!.last_error).toBe('The Slack webhook answered with an error (400: invalid_payload).');
  });

  it('a channel switched off after queueing is retried, not sent elsewhere', async () => {
    channelsOn(['slack']);
    const seq = approve();
    delete process.env.SLACK_WEBHOOK_URL;
    await deliverDueNotifications(later());
    const row = outboxRowsOfDecision(seq)[0]!;
    expect(row.last_error).toBe('The slack channel is not configured any more.');
    expect(row.failed_at).toBeNull();
    expect(webhookReceiver.deliveries).toEqual([]);
  });
});

describe('decisions never wait for a receiver', () => {
  it('a dead receiver neither slows nor fails a decision', () => {
    channelsOn();
    mockServer.use(slackFaults.timeout(), webhookFaults.timeout());
    const started = performance.now();
    const seq = approve();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(outboxRowsOfDecision(seq)).toHaveLength(2);
  });

  it('a rolled-back transaction leaves no outbox rows', () => {
    const seq = approve();
    channelsOn();
    const record = recordsOfProposal(vaccineForum().id).find((r) => r.seq === seq)!;
    expect(() =>
      transaction(() => {
        expect(enqueueNotifications([record])).toBe(2);
        throw new Error('the decision failed after queueing');
      }),
    ).toThrow('the decision failed after queueing');
    expect(rows()).toEqual([]);
    transaction(() => enqueueNotifications([record]));
    expect(rows()).toHaveLength(2);
  });
});

describe('the demo seed', () => {
  it('announces none of its history, even with channels configured', async () => {
    process.env.SLACK_WEBHOOK_URL = SLACK_URL;
    freshDatabase('empty');
    const { seedDemo } = await import('../../scripts/seed/demo');
    await seedDemo({ passwordHash: 'scrypt$16384$8$1$c2FsdA==$aGFzaA==' });
    expect(first(qb().selectFrom('decision_records').select((eb) => eb.fn.countAll<number>().as('n')))!.n).toBeGreaterThan(20);
    expect(all(qb().selectFrom('outbox').select('id'))).toEqual([]);
  });
});
