import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DecisionRecord } from '../../../db/schema';
import { MOCK_URLS } from './http.server';
import { entersReview } from '../../../workflows/policy';
import { env } from '../../utils/env.server';

// What is announced, to whom, and how a receiver can trust it. Two channels:
// a Slack-compatible incoming webhook and a generic JSON webhook signed with
// HMAC-SHA256. Messages carry facts and a link, never the rationale or the
// inputs: those stay in the app, behind a login (docs/decisions/0031).

export type Channel = 'slack' | 'webhook';
export type NotificationKind = 'submitted' | 'approved' | 'rejected' | 'changes_requested';

export type ChannelConfig = { channel: Channel; url: string; secret: string | null };

export const SIGNATURE_HEADER = 'Cosponsor-Signature';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** How old a signed timestamp a receiver should accept, in seconds. */
const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * The configured channels. The generic webhook needs both WEBHOOK_URL and
 * WEBHOOK_SECRET: an unsigned webhook is not sent (it is reported as off).
 */
export function notificationChannels(): ChannelConfig[] {
  // Read once: this runs inside every decision's transaction.
  const config = env();
  const mocks = config.MOCKS;
  const channels: ChannelConfig[] = [];
  const slack = (config.SLACK_WEBHOOK_URL ?? (mocks ? MOCK_URLS.slack : '')).trim();
  if (slack) channels.push({ channel: 'slack', url: slack, secret: null });
  const webhook = (config.WEBHOOK_URL ?? (mocks ? MOCK_URLS.webhook : '')).trim();
  const secret = (config.WEBHOOK_SECRET ?? (mocks && !config.WEBHOOK_URL ? MOCK_URLS.webhookSecret : '')).trim();
  if (webhook && secret) channels.push({ channel: 'webhook', url: webhook, secret });
  return channels;
}

export function channelConfig(channel: string): ChannelConfig | null {
  return notificationChannels().find((c) => c.channel === channel) ?? null;
}

/** Why a configured-looking channel will not send, for a status line; null when all is well. */
export function notificationConfigProblem(): string | null {
  if (env().WEBHOOK_URL && !env().WEBHOOK_SECRET) {
    return 'WEBHOOK_URL is set without WEBHOOK_SECRET: the generic webhook is off until a secret is set.';
  }
  return null;
}

/** Which announcement a record calls for, if any. */
export function notificationKindOf(record: Pick<DecisionRecord, 'step' | 'outcome' | 'from_state' | 'to_state'>): NotificationKind | null {
  if (record.step === 'decision') {
    if (record.outcome === 'approved') return 'approved';
    if (record.outcome === 'rejected') return 'rejected';
    if (record.outcome === 'changes_requested') return 'changes_requested';
    return null;
  }
  if (entersReview(record)) return 'submitted';
  return null;
}

export type ProposalFacts = {
  id: number;
  reference: string;
  event_title: string;
  event_date: string;
  state: string;
  approved_until: string | null;
  partner_name: string;
  chapter_name: string;
};

/** The generic webhook's event body (the Slack message is written from the same facts). */
export type NotificationEvent = {
  id: string;
  type: `proposal.${NotificationKind}`;
  occurredAt: string;
  proposal: {
    id: number;
    reference: string;
    eventTitle: string;
    eventDate: string;
    partner: string;
    chapter: string;
    state: string;
    approvedUntil: string | null;
    url: string | null;
  };
  decision: {
    seq: number;
    step: string;
    outcome: string;
    fromState: string | null;
    toState: string;
    actor: { name: string; role: string };
    hash: string;
  };
};

export function proposalUrl(proposalId: number): string | null {
  const base = env().APP_URL?.replace(/\/+$/, '');
  return base ? `${base}/proposals/${proposalId}` : null;
}

export function notificationEvent(
  idempotencyKey: string,
  kind: NotificationKind,
  record: DecisionRecord,
  facts: ProposalFacts,
): NotificationEvent {
  return {
    id: idempotencyKey,
    type: `proposal.${kind}`,
    occurredAt: record.at,
    proposal: {
      id: facts.id,
      reference: facts.reference,
      eventTitle: facts.event_title,
      eventDate: facts.event_date,
      partner: facts.partner_name,
      chapter: facts.chapter_name,
      state: facts.state,
      approvedUntil: facts.approved_until,
      url: proposalUrl(facts.id),
    },
    decision: {
      seq: record.seq,
      step: record.step,
      outcome: record.outcome,
      fromState: record.from_state,
      toState: record.to_state,
      actor: { name: record.actor_name, role: record.actor_role },
      hash: record.hash,
    },
  };
}

const HEADLINE: Record<NotificationKind, string> = {
  submitted: 'Ready for staff review',
  approved: 'Approved',
  rejected: 'Rejected',
  changes_requested: 'Changes requested',
};

/** Slack's mrkdwn treats &, < and > as control characters. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function slackBody(event: NotificationEvent): string {
  const kind = event.type.slice('proposal.'.length) as NotificationKind;
  const p = event.proposal;
  const link = p.url ? ` <${p.url}|Open ${slackEscape(p.reference)}>` : '';
  const until = kind === 'approved' && p.approvedUntil ? ` Approved until ${p.approvedUntil}.` : '';
  const back = kind === 'changes_requested' ? ` Returned to the ${event.decision.toState} step.` : '';
  const line = `${HEADLINE[kind]}: ${p.reference} “${p.eventTitle}” with ${p.partner} (${p.chapter}), event on ${p.eventDate}.${until}${back}`;
  return JSON.stringify({
    // The fallback text is mrkdwn too: escaped like the blocks, so a title cannot ping a channel or disguise a link.
    text: slackEscape(line),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${HEADLINE[kind]}*: ${slackEscape(line.slice(HEADLINE[kind].length + 2))}${link}` } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: slackEscape(`Decision record #${event.decision.seq} by ${event.decision.actor.name} (${event.decision.actor.role.replace('_', ' ')})`),
          },
        ],
      },
    ],
  });
}

export function webhookBody(event: NotificationEvent): string {
  return JSON.stringify(event);
}

// ---- Signatures ----

/** Hex HMAC-SHA256 of `${timestamp}.${body}` with the shared secret. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/**
 * The header value: `t=<unix seconds>,v1=<hex>`. WEBHOOK_SECRET may hold two
 * secrets, "new,old", while a receiver switches over: one v1 per secret.
 */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  const secrets = secret.split(',').map((s) => s.trim()).filter(Boolean);
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${webhookSignature(s, timestamp, body)}`)].join(',');
}

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: string };

/** What a receiver does: parse the header, recompute, compare in constant time, check the age. */
export function verifyWebhookSignature(args: {
  secret: string;
  header: string | null;
  body: string;
  nowSeconds?: number;
  toleranceSeconds?: number;
}): SignatureCheck {
  if (!args.header) return { ok: false, reason: `The ${SIGNATURE_HEADER} header is missing.` };
  const parts = new Map<string, string[]>();
  for (const piece of args.header.split(',')) {
    const at = piece.indexOf('=');
    if (at <= 0) continue;
    const key = piece.slice(0, at).trim();
    parts.set(key, [...(parts.get(key) ?? []), piece.slice(at + 1).trim()]);
  }
  const timestamp = Number(parts.get('t')?.[0]);
  if (!Number.isInteger(timestamp)) return { ok: false, reason: 'The signature has no valid timestamp.' };
  const expected = Buffer.from(webhookSignature(args.secret, timestamp, args.body), 'hex');
  const matches = (parts.get('v1') ?? []).some((candidate) => {
    const given = /^[0-9a-f]{64}$/i.test(candidate) ? Buffer.from(candidate, 'hex') : null;
    return given !== null && timingSafeEqual(given, expected);
  });
  if (!matches) return { ok: false, reason: 'The signature does not match the body.' };
  const now = args.nowSeconds ?? Math.floor(Date.now() / 1000);
  const tolerance = args.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(now - timestamp) > tolerance) return { ok: false, reason: 'The signature is too old (or from the future).' };
  return { ok: true, timestamp };
}
