import { outboxLog, outboxSummary, recentOutboxAttempts } from '../../../db/outside';
import { mocksEnabled, outsideTimeoutMs } from '../outside/http.server';
import { notificationChannels, notificationConfigProblem, notificationKindOf } from '../outside/notifications.server';
import { registryConfig } from '../outside/registry.server';
import { smtpConfig, smtpServerLabel } from '../outside/email.server';
import { env } from '../../utils/env.server';
import { screeningConfig } from '../outside/screening.server';

// The admin's view of the outside services: which are on (read from the
// environment at request time, as the services do) and the notification
// outbox with its delivery attempts.

export type ServiceStatus = { key: string; name: string; on: boolean; detail: string; problem: string | null };

/** Only the scheme and host: a Slack webhook's path is its secret. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(not a valid URL)';
  }
}

function outsideServiceStatus(): { mocks: boolean; timeoutMs: number; services: ServiceStatus[] } {
  const registry = registryConfig();
  const screening = screeningConfig();
  const channels = notificationChannels();
  const slack = channels.find((c) => c.channel === 'slack');
  const webhook = channels.find((c) => c.channel === 'webhook');
  const smtp = smtpConfig();
  return {
    mocks: mocksEnabled(),
    timeoutMs: outsideTimeoutMs(),
    services: [
      {
        key: 'registry',
        name: 'Registry lookup (US nonprofits)',
        on: registry.enabled,
        detail: registry.enabled ? `${originOf(registry.baseUrl)}, answers kept ${Math.round(registry.ttlMs / 3_600_000)} h` : 'REGISTRY_LOOKUP is not on',
        problem: null,
      },
      {
        key: 'screening',
        name: 'Designation and sanctions screening',
        on: screening.enabled,
        detail: screening.enabled
          ? `${originOf(screening.baseUrl)}, dataset ${screening.dataset}, ${screening.apiKey ? 'with an API key' : 'no API key'}`
          : 'SCREENING_URL is not set',
        problem: null,
      },
      {
        key: 'slack',
        name: 'Slack-compatible webhook',
        on: Boolean(slack),
        detail: slack ? originOf(slack.url) : 'SLACK_WEBHOOK_URL is not set',
        problem: null,
      },
      {
        key: 'webhook',
        name: 'Signed JSON webhook',
        on: Boolean(webhook),
        detail: webhook ? `${originOf(webhook.url)}, signed (HMAC-SHA256)` : 'WEBHOOK_URL and WEBHOOK_SECRET are not both set',
        problem: notificationConfigProblem(),
      },
      {
        key: 'email',
        name: 'E-mail (SMTP)',
        on: smtp !== null,
        // Never the user name or password of SMTP_URL.
        detail: smtp ? smtpServerLabel(smtp) : 'SMTP_URL is not set',
        problem: smtp && !env().APP_URL ? 'APP_URL is not set: e-mails cannot link to the proposal.' : null,
      },
    ],
  };
}

type DeliveryState = 'delivered' | 'failed' | 'pending';

export function deliveriesPageData(limit = 50) {
  const rows = outboxLog(limit).map((r) => {
    const kind =
      r.event !== null
        ? null
        : r.step !== null && r.outcome !== null && r.to_state !== null
        ? notificationKindOf({ step: r.step, outcome: r.outcome, from_state: r.from_state, to_state: r.to_state })
        : null;
    const state: DeliveryState = r.delivered_at ? 'delivered' : r.failed_at ? 'failed' : 'pending';
    return {
      id: r.id,
      channel: r.channel,
      idempotencyKey: r.idempotency_key,
      event: r.event ?? (kind ? `proposal.${kind}` : 'notification'),
      recipient: r.recipient,
      decisionSeq: r.decision_seq,
      proposalId: r.proposal_id,
      reference: r.reference,
      createdAt: r.created_at,
      attempts: r.attempts,
      // A delivered or abandoned row has no next attempt, whatever the column says.
      nextAttemptAt: state === 'pending' ? r.next_attempt_at : null,
      deliveredAt: r.delivered_at,
      failedAt: r.failed_at,
      state,
      lastError: r.last_error,
    };
  });
  const attempts = recentOutboxAttempts(limit).map((a) => ({
    id: a.id,
    outboxId: a.outbox_id,
    channel: a.channel,
    idempotencyKey: a.idempotency_key,
    at: a.at,
    status: a.status,
    ok: a.ok === 1,
    error: a.error,
    durationMs: a.duration_ms,
  }));
  return { status: outsideServiceStatus(), summary: outboxSummary(), rows, attempts };
}
