import { http, HttpResponse } from 'msw';
import { MOCK_URLS } from '../../app/features/outside/http.server';
import { verifyWebhookSignature } from '../../app/features/outside/notifications.server';
import { faultsFor } from './faults';

// Two receivers: a Slack-compatible incoming webhook (200 "ok", errors as
// plain text like "invalid_payload") and a generic JSON receiver that checks
// the HMAC signature and, as a careful receiver does, treats a repeated
// Idempotency-Key as the same delivery.

export const SLACK_URL = MOCK_URLS.slack;
export const WEBHOOK_URL = MOCK_URLS.webhook;

export type ReceivedDelivery = {
  channel: 'slack' | 'webhook';
  idempotencyKey: string | null;
  signature: string | null;
  body: string;
  /** True when this key had been received before (a redelivery). */
  duplicate: boolean;
};

/** What the receivers saw, for assertions; reset between tests. */
export const webhookReceiver = {
  deliveries: [] as ReceivedDelivery[],
  /** The deliveries that counted: one per idempotency key. */
  unique(): ReceivedDelivery[] {
    return this.deliveries.filter((d) => !d.duplicate);
  },
  reset(): void {
    this.deliveries.length = 0;
  },
};

function record(channel: 'slack' | 'webhook', request: Request, body: string): ReceivedDelivery {
  const idempotencyKey = request.headers.get('idempotency-key');
  const duplicate = idempotencyKey !== null && webhookReceiver.deliveries.some((d) => d.idempotencyKey === idempotencyKey);
  const delivery = { channel, idempotencyKey, signature: request.headers.get('cosponsor-signature'), body, duplicate };
  webhookReceiver.deliveries.push(delivery);
  return delivery;
}

/** The receiver's copy of the shared secret: the newest one the app signs with. */
function receiverSecret(): string {
  return (process.env.WEBHOOK_SECRET || MOCK_URLS.webhookSecret).split(',')[0]!.trim();
}

export const webhookHandlers = [
  http.post(SLACK_URL, async ({ request }) => {
    const body = await request.text();
    let parsed: { text?: unknown } | null;
    try {
      parsed = JSON.parse(body) as { text?: unknown };
    } catch {
      parsed = null;
    }
    if (!parsed || typeof parsed.text !== 'string' || parsed.text.length === 0) {
      return HttpResponse.text('invalid_payload', { status: 400 });
    }
    record('slack', request, body);
    return HttpResponse.text('ok', { status: 200, headers: { 'Content-Type': 'text/html' } });
  }),
  http.post(WEBHOOK_URL, async ({ request }) => {
    const body = await request.text();
    const check = verifyWebhookSignature({ secret: receiverSecret(), header: request.headers.get('cosponsor-signature'), body });
    if (!check.ok) return HttpResponse.json({ error: check.reason }, { status: 401 });
    const delivery = record('webhook', request, body);
    return HttpResponse.json({ received: true, duplicate: delivery.duplicate }, { status: delivery.duplicate ? 200 : 202 });
  }),
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Error cases; install with mockServer.use(slackFaults.status(500)). */
export const slackFaults = faultsFor('post', new RegExp(`^${escape(SLACK_URL)}$`));
export const webhookFaults = faultsFor('post', new RegExp(`^${escape(WEBHOOK_URL)}$`));
