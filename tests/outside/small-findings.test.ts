import net, { type AddressInfo } from 'node:net';
import { http, passthrough } from 'msw';
import { describe, expect, it } from 'vitest';
import { all, qb } from '../../db/connection';
import { outsideFetch } from '../../app/features/outside/http.server';
import { slackBody, type NotificationEvent } from '../../app/features/outside/notifications.server';
import { runAudit } from '../../app/features/register/register.server';
import { mockServer } from '../support/setup';

// The smaller findings: Slack's fallback text, concurrent audits, and what an
// outside failure tells a person about our network.

const event = (eventTitle: string): NotificationEvent => ({
  id: 'evt-1',
  type: 'proposal.submitted',
  occurredAt: '2026-11-28T10:00:00.000Z',
  proposal: {
    id: 1,
    reference: 'CSP-2026-00001',
    eventTitle,
    eventDate: '2027-01-10',
    partner: 'A <b>group</b>',
    chapter: 'Chicago Local Group',
    state: 'review',
    approvedUntil: null,
    url: null,
  },
  decision: { seq: 1, step: 'proposal', outcome: 'submitted', fromState: 'mou', toState: 'review', actor: { name: 'Lead', role: 'chapter_lead' }, hash: 'h' },
});

describe('the Slack message', () => {
  it('escapes the fallback text too: no <!channel> ping, no disguised link', () => {
    const body = JSON.parse(slackBody(event('Teach-in <!channel> see <https://evil.example|our agenda>'))) as { text: string };
    expect(body.text).not.toContain('<!channel>');
    expect(body.text).not.toContain('<https://evil.example|');
    expect(body.text).toContain('&lt;!channel&gt;');
  });
});

describe('/audit verification', () => {
  it('runs one verifier at a time: concurrent requests share one run and its result', async () => {
    const before = all(qb().selectFrom('audit_runs').select('id')).length;
    const runs = await Promise.all([runAudit(null), runAudit(null), runAudit(null), runAudit(null)]);
    expect(new Set(runs.map((r) => r.id)).size).toBe(1);
    expect(all(qb().selectFrom('audit_runs').select('id')).length).toBe(before + 1);
    // Once it is done, the next request starts a fresh run.
    const next = await runAudit(null);
    expect(next.id).not.toBe(runs[0]!.id);
  }, 60_000);
});

describe('outside failures', () => {
  it('never name an internal address or URL in the message', async () => {
    // A port nobody listens on: a real "connection refused".
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as AddressInfo;
    await new Promise((r) => probe.close(r));
    mockServer.use(http.all(`http://127.0.0.1:${port}/*`, () => passthrough()));
    const refused = await outsideFetch({ service: 'The screening service', url: `http://127.0.0.1:${port}/match/default`, method: 'POST', body: '{}' });
    expect(refused).toMatchObject({ ok: false, kind: 'unreachable' });
    expect(refused.ok ? '' : refused.message).not.toMatch(new RegExp(`127\\.0\\.0\\.1|${port}|ECONNREFUSED`));
    expect(refused.ok ? '' : refused.message).toMatch(/refused/);

    mockServer.use(
      http.post('https://screening.internal.example/match/default', () =>
        Response.json({ detail: 'upstream http://10.0.0.5:8000/yente/match failed at 10.0.0.5' }, { status: 502 }),
      ),
    );
    const upstream = await outsideFetch({ service: 'The screening service', url: 'https://screening.internal.example/match/default', method: 'POST', body: '{}' });
    expect(upstream).toMatchObject({ ok: false, kind: 'http_error', status: 502 });
    expect(upstream.ok ? '' : upstream.message).not.toMatch(/10\.0\.0\.5|http:\/\//);
  });
});
