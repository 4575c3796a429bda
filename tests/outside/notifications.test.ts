import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  notificationChannels,
  notificationConfigProblem,
  notificationEvent,
  notificationKindOf,
  signatureHeader,
  slackBody,
  slackEscape,
  verifyWebhookSignature,
  webhookSignature,
  type ProposalFacts,
} from '../../app/features/outside/notifications.server';
import type { DecisionRecord } from '../../db/schema';

// The test vector published in docs/outside-services.md. If this changes,
// every receiver's verification code breaks: change the docs with it.
const VECTOR = {
  secret: 'whsec_cosponsor_test_vector',
  timestamp: 1767225600,
  body: '{"id":"cosponsor-42-webhook","type":"proposal.approved"}',
  hex: '3784239825a48d3640f3974be8af8591a6d37347c383c8486c7998f3a21f53f6',
};

const ENV = ['SLACK_WEBHOOK_URL', 'WEBHOOK_URL', 'WEBHOOK_SECRET', 'MOCKS', 'APP_URL'] as const;
afterEach(() => {
  for (const key of ENV) delete process.env[key];
});

describe('webhook signature', () => {
  it('matches the documented test vector', () => {
    expect(webhookSignature(VECTOR.secret, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.hex);
    expect(signatureHeader(VECTOR.secret, VECTOR.timestamp, VECTOR.body)).toBe(`t=1767225600,v1=${VECTOR.hex}`);
    // The same computation a receiver writes with nothing but node:crypto.
    const independent = createHmac('sha256', VECTOR.secret).update(`${VECTOR.timestamp}.${VECTOR.body}`).digest('hex');
    expect(independent).toBe(VECTOR.hex);
  });

  it('verifies the vector within the tolerance and refuses tampering, other secrets and old timestamps', () => {
    const header = `t=${VECTOR.timestamp},v1=${VECTOR.hex}`;
    const now = VECTOR.timestamp + 60;
    expect(verifyWebhookSignature({ secret: VECTOR.secret, header, body: VECTOR.body, nowSeconds: now })).toEqual({
      ok: true,
      timestamp: VECTOR.timestamp,
    });
    const tampered = VECTOR.body.replace('approved', 'rejected');
    expect(verifyWebhookSignature({ secret: VECTOR.secret, header, body: tampered, nowSeconds: now })).toMatchObject({ ok: false });
    expect(verifyWebhookSignature({ secret: 'another-secret', header, body: VECTOR.body, nowSeconds: now })).toMatchObject({ ok: false });
    expect(
      verifyWebhookSignature({ secret: VECTOR.secret, header, body: VECTOR.body, nowSeconds: VECTOR.timestamp + 301 }),
    ).toEqual({ ok: false, reason: 'The signature is too old (or from the future).' });
    expect(verifyWebhookSignature({ secret: VECTOR.secret, header: null, body: VECTOR.body })).toMatchObject({ ok: false });
    expect(verifyWebhookSignature({ secret: VECTOR.secret, header: 'v1=abc', body: VECTOR.body })).toMatchObject({ ok: false });
  });

  it('signs with both secrets during a rotation, and either verifies', () => {
    const header = signatureHeader(`new-secret, ${VECTOR.secret}`, VECTOR.timestamp, VECTOR.body);
    expect(header).toBe(`t=${VECTOR.timestamp},v1=${webhookSignature('new-secret', VECTOR.timestamp, VECTOR.body)},v1=${VECTOR.hex}`);
    for (const secret of ['new-secret', VECTOR.secret]) {
      expect(verifyWebhookSignature({ secret, header, body: VECTOR.body, nowSeconds: VECTOR.timestamp })).toMatchObject({ ok: true });
    }
    expect(verifyWebhookSignature({ secret: 'retired', header, body: VECTOR.body, nowSeconds: VECTOR.timestamp })).toMatchObject({ ok: false });
  });
});

describe('channels', () => {
  it('are all off by default', () => {
    expect(notificationChannels()).toEqual([]);
  });

  it('need a secret for the generic webhook', () => {
    process.env.SLACK_WEBHOOK_URL = 'https://hooks.example/slack';
    process.env.WEBHOOK_URL = 'https://receiver.example/cosponsor';
    expect(notificationChannels().map((c) => c.channel)).toEqual(['slack']);
    expect(notificationConfigProblem()).toMatch(/WEBHOOK_SECRET/);
    process.env.WEBHOOK_SECRET = 's3cret';
    expect(notificationChannels().map((c) => c.channel)).toEqual(['slack', 'webhook']);
    expect(notificationConfigProblem()).toBeNull();
  });

  it('point at the mock hosts when MOCKS=true', () => {
    process.env.MOCKS = 'true';
    expect(notificationChannels()).toEqual([
      { channel: 'slack', url: 'https://slack.mock/services/T0000MOCK/B0000MOCK/cosponsor', secret: null },
      { channel: 'webhook', url: 'https://webhook.mock/cosponsor', secret: 'mock-webhook-secret-not-for-production' },
    ]);
  });
});

const record = (over: Partial<DecisionRecord>): DecisionRecord => ({
  seq: 42,
  proposal_id: 7,
  partner_id: 3,
  chapter_id: 1,
  campaign_id: 1,
  step: 'decision',
  outcome: 'approved',
  actor_id: 5,
  actor_name: 'Priya Raman',
  actor_role: 'staff',
  at: '2026-11-22T10:00:00.000Z',
  rationale: 'Internal reasoning that must not leave the app.',
  inputs: '{}',
  config_versions: '{}',
  from_state: 'review',
  to_state: 'approved',
  prev_hash: 'a'.repeat(64),
  proposal_prev_hash: null,
  hash: 'b'.repeat(64),
  ...over,
});

const facts: ProposalFacts = {
  id: 7,
  reference: 'CS-2026-0007',
  event_title: 'Vigil <for> Myanmar & friends',
  event_date: '2026-12-14',
  state: 'approved',
  approved_until: '2026-12-14',
  partner_name: 'Golden Gate Burmese Christian Fellowship',
  chapter_name: 'Bay Area Chapter',
};

describe('messages', () => {
  it('announce submission, approval, rejection and change requests, and nothing else', () => {
    expect(notificationKindOf(record({}))).toBe('approved');
    expect(notificationKindOf(record({ outcome: 'rejected', to_state: 'rejected' }))).toBe('rejected');
    expect(notificationKindOf(record({ outcome: 'changes_requested', to_state: 'values' }))).toBe('changes_requested');
    expect(notificationKindOf(record({ step: 'mou', outcome: 'drafted', from_state: 'mou', to_state: 'review' }))).toBe('submitted');
    expect(notificationKindOf(record({ step: 'values', outcome: 'compatible', from_state: 'values', to_state: 'agenda' }))).toBeNull();
    expect(notificationKindOf(record({ step: 'proposal', outcome: 'withdrawn', from_state: 'review', to_state: 'withdrawn' }))).toBeNull();
  });

  it('carry facts and a link, never the rationale', () => {
    process.env.APP_URL = 'https://cosponsor.example.org/';
    const event = notificationEvent('cosponsor-42-webhook', 'approved', record({}), facts);
    expect(event).toMatchObject({
      id: 'cosponsor-42-webhook',
      type: 'proposal.approved',
      proposal: { reference: 'CS-2026-0007', url: 'https://cosponsor.example.org/proposals/7', approvedUntil: '2026-12-14' },
      decision: { seq: 42, actor: { name: 'Priya Raman', role: 'staff' }, hash: 'b'.repeat(64) },
    });
    const slack = slackBody(event);
    expect(slack).not.toContain('Internal reasoning');
    expect(JSON.stringify(event)).not.toContain('Internal reasoning');
    const parsed = JSON.parse(slack) as { text: string; blocks: { type: string; text?: { text: string } }[] };
    expect(parsed.text).toBe(
      // Slack reads the fallback text as mrkdwn too, so it is escaped like the blocks.
      'Approved: CS-2026-0007 “Vigil &lt;for&gt; Myanmar &amp; friends” with Golden Gate Burmese Christian Fellowship (Bay Area Chapter), event on 2026-12-14. Approved until 2026-12-14.',
    );
    expect(parsed.blocks[0]!.text!.text).toContain('Vigil &lt;for&gt; Myanmar &amp; friends');
    expect(parsed.blocks[0]!.text!.text).toContain('<https://cosponsor.example.org/proposals/7|Open CS-2026-0007>');
    expect(slackEscape('<a & b>')).toBe('&lt;a &amp; b&gt;');
  });
});
