import { nowIso, transaction } from '../../db/connection';
import {
  claimOutboxRow,
  dueOutboxRows,
  insertOutboxRow,
  isInTransaction,
  markOutboxDelivered,
  markOutboxFailed,
  notificationFacts,
  recordOutboxAttempt,
  type NotificationFacts,
  scheduleOutboxRetry,
  type OutboxRow,
} from '../../db/outside';
import type { DecisionRecord } from '../../db/schema';
import { outsideFetch, outsideTimeoutMs } from '../features/outside/http.server';
import {
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  channelConfig,
  notificationChannels,
  notificationEvent,
  notificationKindOf,
  signatureHeader,
  slackBody,
  webhookBody,
  type Channel,
} from '../features/outside/notifications.server';
import { env } from '../utils/env.server';
import { EMAIL_CHANNEL, enqueueDecisionEmails } from '../features/outside/email-notifications.server';
import { emailAttemptDeadlineMs, sendEmail, smtpConfig, type EmailPayload } from '../features/outside/email.server';
import { openLinkPayload } from '../features/auth/forgot-password.server';

// The notification outbox (docs/decisions/0030). A decision writes its
// outbox rows in its own transaction, so a committed decision always has its
// notifications queued and a rolled-back one never does. Delivery happens
// later, outside any transaction: a slow or dead receiver never holds up a
// decision. Rows left behind by a crash are simply due rows at the next tick.

const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_CAP_MS = 6 * 3_600_000;
export const MAX_ATTEMPTS = 10;

/** Wait after the n-th failed attempt (n >= 1): 30 s, 1 min, 2 min, ... capped at 6 h. */
export function backoffMs(failedAttempts: number): number {
  const n = Math.max(1, Math.floor(failedAttempts));
  return Math.min(BACKOFF_BASE_MS * 2 ** (n - 1), BACKOFF_CAP_MS);
}

/** The idempotency key of one record on one channel; the receiver sees it as the Idempotency-Key header. */
function idempotencyKey(seq: number, channel: Channel): string {
  return `cosponsor-${seq}-${channel}`;
}

let quiet = false;

/**
 * Runs fn without announcing its decisions: the demo seed's history is not
 * news, and must not reach a real channel configured on a fresh install.
 */
export async function withoutNotifications<T>(fn: () => Promise<T> | T): Promise<T> {
  quiet = true;
  try {
    return await fn();
  } finally {
    quiet = false;
  }
}

/**
 * Queues the announcements these records call for, one row per configured
 * channel. MUST run inside the decision's transaction (it refuses otherwise).
 * Returns the number of rows queued.
 */
export function enqueueNotifications(
  records: DecisionRecord[],
  factsOf: (proposalId: number) => NotificationFacts | undefined = notificationFacts,
): number {
  if (!isInTransaction()) throw new Error('enqueueNotifications must run inside the decision transaction.');
  if (quiet) return 0;
  // Most decisions (a step submitted mid-way) announce nothing: then neither the channels
  // nor SMTP are looked up (each is a read of the environment).
  if (!records.some((record) => notificationKindOf(record) !== null)) return 0;
  // E-mails to the people concerned (off unless SMTP_URL is set), then the team channels.
  let queued = enqueueDecisionEmails(records, factsOf);
  const channels = notificationChannels();
  if (channels.length === 0) return queued;
  for (const record of records) {
    const kind = notificationKindOf(record);
    if (!kind) continue;
    const facts = factsOf(record.proposal_id);
    if (!facts) continue;
    for (const { channel } of channels) {
      const key = idempotencyKey(record.seq, channel);
      const event = notificationEvent(key, kind, record, facts);
      const payload = channel === 'slack' ? slackBody(event) : webhookBody(event);
      if (insertOutboxRow({ channel, idempotencyKey: key, payload, decisionSeq: record.seq, createdAt: record.at })) queued += 1;
    }
  }
  return queued;
}

export type DeliveryReport = { attempted: number; delivered: number; retrying: number; failed: number };

type SendOutcome =
  | { ok: true; status: number; durationMs: number }
  /** unreachable: the mail server could not be reached or did not answer in time. */
  | { ok: false; status: number | null; error: string; durationMs: number; waitMs: number; unreachable?: boolean };

async function send(row: OutboxRow): Promise<SendOutcome> {
  if (row.channel === EMAIL_CHANNEL) {
    const smtp = smtpConfig();
    if (!smtp) return { ok: false, status: null, error: 'E-mail is not configured any more (SMTP_URL is not set).', durationMs: 0, waitMs: 0 };
    let payload: EmailPayload;
    try {
      payload = JSON.parse(row.payload) as EmailPayload;
    } catch {
      // One unreadable row must not stop the rows after it in this tick.
      return { ok: false, status: null, error: 'The queued e-mail is not readable.', durationMs: 0, waitMs: 0 };
    }
    // A "Forgot your password?" e-mail: its link's token is opened only now (docs/decisions/0410).
    const message = openLinkPayload(payload);
    if (!message) return { ok: false, status: null, error: 'The link in this e-mail cannot be opened any more (SESSION_SECRET changed since it was queued).', durationMs: 0, waitMs: 0 };
    return sendEmail(smtp, message, row.idempotency_key);
  }
  const config = channelConfig(row.channel);
  if (!config) {
    return { ok: false, status: null, error: `The ${row.channel} channel is not configured any more.`, durationMs: 0, waitMs: 0 };
  }
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'Cosponsor-Notifications/1',
    [IDEMPOTENCY_HEADER]: row.idempotency_key,
  };
  if (config.channel === 'webhook' && config.secret) {
    // Signed at send time: a retry carries a fresh timestamp over the same body.
    headers[SIGNATURE_HEADER] = signatureHeader(config.secret, Math.floor(Date.now() / 1000), row.payload);
  }
  const started = performance.now();
  const service = config.channel === 'slack' ? 'The Slack webhook' : 'The notification webhook';
  const result = await outsideFetch({ service, url: config.url, method: 'POST', headers, body: row.payload });
  const durationMs = Math.round(performance.now() - started);
  if (result.ok) return { ok: true, status: result.status, durationMs };
  return {
    ok: false,
    status: result.status ?? null,
    error: result.message,
    durationMs,
    // A receiver that says when to come back (429, 503) is not asked sooner.
    waitMs: Math.min(result.retryAfterMs ?? 0, BACKOFF_CAP_MS),
  };
}

/**
 * Sends every due row once: delivered rows are marked at once after the 2xx,
 * failed ones are rescheduled with exponential backoff, and given up (failed)
 * after MAX_ATTEMPTS. Each attempt is logged in outbox_attempts. `now` is the
 * clock the schedule is computed from.
 */
export async function deliverDueNotifications(now: Date = new Date(), options: { limit?: number } = {}): Promise<DeliveryReport> {
  const report: DeliveryReport = { attempted: 0, delivered: 0, retrying: 0, failed: 0 };
  const at = now.toISOString();
  const due = dueOutboxRows(at, options.limit ?? 50);
  // Once the mail server is unreachable or silent, the other e-mails of this tick are left due
  // for the next one: a dead server costs one deadline per tick, not one per queued e-mail.
  let mailServerDown = false;
  for (const row of due) {
    if (mailServerDown && row.channel === EMAIL_CHANNEL) continue;
    // The lease outlasts the longest possible send; another tick or process skips the row meanwhile.
    const attemptMs = row.channel === EMAIL_CHANNEL ? emailAttemptDeadlineMs() : outsideTimeoutMs();
    const leaseUntil = new Date(now.getTime() + attemptMs + 60_000).toISOString();
    if (!claimOutboxRow(row.id, at, leaseUntil)) continue;
    report.attempted += 1;
    const outcome = await send(row);
    const attempts = row.attempts + 1;
    if (!outcome.ok && outcome.unreachable && row.channel === EMAIL_CHANNEL) mailServerDown = true;
    if (outcome.ok) {
      // Marked in the same breath as the 2xx: only a crash between these two
      // lines can repeat a delivery, and then with the same Idempotency-Key.
      transaction(() => {
        recordOutboxAttempt({ outboxId: row.id, at, status: outcome.status, ok: true, error: null, durationMs: outcome.durationMs });
        markOutboxDelivered(row.id, nowIso());
      });
      report.delivered += 1;
      continue;
    }
    transaction(() => {
      recordOutboxAttempt({ outboxId: row.id, at, status: outcome.status, ok: false, error: outcome.error, durationMs: outcome.durationMs });
      if (attempts >= MAX_ATTEMPTS) {
        markOutboxFailed(row.id, at, `Gave up after ${attempts} attempts. Last error: ${outcome.error}`);
      } else {
        const wait = Math.max(backoffMs(attempts), outcome.waitMs);
        scheduleOutboxRetry(row.id, new Date(now.getTime() + wait).toISOString(), outcome.error);
      }
    });
    if (attempts >= MAX_ATTEMPTS) report.failed += 1;
    else report.retrying += 1;
  }
  return report;
}

/** stop: no further ticks; resolves when the tick in flight (if any) has finished. */
export type OutboxWorker = { stop: () => Promise<void>; tick: () => Promise<void> };

let worker: OutboxWorker | null = null;

/**
 * Delivers at once (picking up whatever a crash left behind), then every few
 * seconds (OUTBOX_INTERVAL_MS, default 5000). The timer is unref'd so it never
 * keeps the process alive; a tick never overlaps the previous one.
 */
export function startOutboxWorker(options: { intervalMs?: number } = {}): OutboxWorker {
  if (worker) return worker;
  const intervalMs = options.intervalMs ?? env().OUTBOX_INTERVAL_MS;
  let running: Promise<void> | null = null;
  const tick = (): Promise<void> => {
    if (running) return running;
    running = deliverDueNotifications(new Date())
      .then(() => undefined)
      .catch((error: unknown) => {
        console.error('Notification delivery failed:', error);
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  worker = {
    tick,
    stop: () => {
      clearInterval(timer);
      worker = null;
      return running ?? Promise.resolve();
    },
  };
  return worker;
}
