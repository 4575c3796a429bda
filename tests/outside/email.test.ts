import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BACKOFF_CAP_MS, deliverDueNotifications } from '../../app/jobs/outbox.server';
import { enqueueDueReminders } from '../../app/jobs/reminders.server';
import { decide } from '../../app/features/vetting/vetting.server';
import { deliveriesPageData } from '../../app/features/admin/deliveries.server';
import { all, first, qb, run } from '../../db/connection';
import { saveEmailPreferences } from '../../db/notification-preferences';
import { outboxAttempts, type OutboxRow } from '../../db/outside';
import { createUser, userByEmail } from '../../db/users';
import type { ActingUser } from '../../workflows/policy';
import { freshDatabase } from '../support/db';
import { SMTP_PASSWORD, closedPort, silentServer, startSmtpServer, type TestSmtpServer } from '../support/smtp';

// E-mail through the outbox, against a real SMTP server on a loopback port. msw is listening
// here as in every test file (tests/support/setup.ts, unhandled requests fail): it intercepts
// HTTP only, so these SMTP connections pass untouched, and any HTTP call would still fail loudly.

const ENV = ['SMTP_URL', 'MAIL_FROM', 'APP_URL', 'OUTSIDE_TIMEOUT_MS', 'SLACK_WEBHOOK_URL', 'WEBHOOK_URL', 'WEBHOOK_SECRET', 'MOCKS'] as const;
const APP_URL = 'https://cosponsor.example.org';

let smtp: TestSmtpServer;

function actor(email: string): ActingUser {
  const u = userByEmail(email)!;
  return { id: u.id, name: u.name, roles: u.roles, chapterId: u.chapter_id };
}

let forumId = 0;

/** The vaccine forum (lead2's, waiting in review, MOU not needed); found by title once, as a test may retitle it. */
const vaccineForum = () =>
  first(qb().selectFrom('proposals').select(['id', 'version', 'approved_until', 'event_date', 'proposer_id']).where('id', '=', forumId))!;

function approveForum(endDate?: string): number {
  const { id, version } = vaccineForum();
  const result = decide({
    proposalId: id,
    expectedVersion: version,
    actor: actor('staff@cosponsor.test'),
    command: { type: 'APPROVE', conditions: ['No use of our logo.'], endDate: endDate ?? null, rationale: 'Approved: a co-listing on vaccine equity, secret reasoning 7731.' },
  });
  if (!result.ok) throw new Error(result.error.message);
  return result.records[0]!.seq;
}

/** Staff send the forum back to the MOU step, then its lead submits it again (it re-enters review). */
function sendBackAndResubmit(resubmitter = 'lead2@cosponsor.test') {
  const { id, version } = vaccineForum();
  const back = decide({
    proposalId: id,
    expectedVersion: version,
    actor: actor('staff@cosponsor.test'),
    command: { type: 'REQUEST_CHANGES', step: 'mou', rationale: 'Please draft a short MOU: the partner will use our logo.' },
  });
  if (!back.ok) throw new Error(back.error.message);
  const again = decide({
    proposalId: id,
    expectedVersion: back.proposal.version,
    actor: actor(resubmitter),
    command: { type: 'MOU_NOT_NEEDED', reason: 'The partner withdrew its request to use our logo; co-listing only.' },
  });
  if (!again.ok) throw new Error(again.error.message);
}

const emailRows = (): OutboxRow[] => all(qb().selectFrom('outbox').selectAll().where('channel', '=', 'email').orderBy('id'));

/** A clock safely after every row's creation, `ms` further on. */
const later = (ms = 0) => new Date(Date.now() + 1000 + ms);

const mailTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));

beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp.close();
});
beforeEach(() => {
  freshDatabase('demo');
  forumId = first(qb().selectFrom('proposals').select('id').where('event_title', 'like', 'A Fair Shot%'))!.id;
  for (const key of ENV) delete process.env[key];
  process.env.SMTP_URL = smtp.url();
  process.env.APP_URL = APP_URL;
  process.env.OUTSIDE_TIMEOUT_MS = '1000';
  smtp.received.length = 0;
  smtp.refuseRecipients(0, 451);
  smtp.refuseData(0, 451);
});
afterEach(() => {
  for (const key of ENV) delete process.env[key];
});

describe('who is e-mailed', () => {
  it('a submission for review mails the staff who may decide it, with a link to the dossier, and not its lead', async () => {
    sendBackAndResubmit();
    const { id } = vaccineForum();
    const submitted = emailRows().filter((r) => r.event === 'proposal.submitted');
    expect(submitted.map((r) => r.recipient).sort()).toEqual(['staff2@cosponsor.test', 'staff@cosponsor.test']);

    const report = await deliverDueNotifications(later());
    expect(report.failed + report.retrying).toBe(0);
    for (const address of ['staff@cosponsor.test', 'staff2@cosponsor.test']) {
      const [mail] = mailTo(address).filter((m) => m.parsed.subject?.startsWith('Ready for your decision'));
      expect(mail, address).toBeDefined();
      expect(mail!.parsed.text).toContain(`${APP_URL}/review/${id}`);
      expect(mail!.parsed.html).toContain(`href="${APP_URL}/review/${id}"`);
      expect(mail!.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    }
    expect(mailTo('lead2@cosponsor.test').some((m) => m.parsed.subject?.startsWith('Ready for your decision'))).toBe(false);
    expect(mailTo('reviewer@cosponsor.test')).toEqual([]);
  });

  it('asks the policy: staff who last changed the proposal (four-eyes) are not asked to decide it', async () => {
    // A staff member who also leads the Bay Area chapter resubmits the forum: they may not decide it.
    const bayArea = userByEmail('lead2@cosponsor.test')!.chapter_id;
    createUser({ email: 'dual@cosponsor.test', name: 'Dual Role', passwordHash: 'x', chapterId: bayArea, roles: ['chapter_lead', 'staff'] });
    sendBackAndResubmit('dual@cosponsor.test');
    const submitted = emailRows().filter((r) => r.event === 'proposal.submitted');
    expect(submitted.map((r) => r.recipient).sort()).toEqual(['staff2@cosponsor.test', 'staff@cosponsor.test']);
  });

  it('a decision mails the proposing lead: facts and a link, never the reasoning or the conditions', async () => {
    approveForum();
    const { id } = vaccineForum();
    const rows = emailRows();
    expect(rows.map((r) => [r.event, r.recipient])).toEqual([['proposal.approved', 'lead2@cosponsor.test']]);

    await deliverDueNotifications(later());
    const [mail] = mailTo('lead2@cosponsor.test');
    expect(mail!.parsed.subject).toMatch(/^Approved: .*A Fair Shot/);
    expect(mail!.parsed.text).toContain(`${APP_URL}/proposals/${id}`);
    expect(mail!.parsed.text).not.toContain('secret reasoning 7731');
    expect(mail!.parsed.text).not.toContain('No use of our logo');
    expect(mail!.parsed.from?.text).toContain('cosponsor@cosponsor.example.org');
    // The Message-ID names the outbox row, the same on every retry.
    expect(mail!.parsed.messageId).toBe(`<${rows[0]!.idempotency_key}@cosponsor.example.org>`);
  });

  it('a change request mails the lead', async () => {
    sendBackAndResubmit();
    const back = emailRows().filter((r) => r.event === 'proposal.changes_requested');
    expect(back.map((r) => r.recipient)).toEqual(['lead2@cosponsor.test']);
    await deliverDueNotifications(later());
    const mails = mailTo('lead2@cosponsor.test');
    expect(mails.map((m) => m.parsed.subject)).toEqual([expect.stringMatching(/^Changes requested: /)]);
    expect(mails[0]!.parsed.text).toContain('sent your proposal back to the MOU step');
  });

  it('respects each person’s choices', async () => {
    const lead2 = userByEmail('lead2@cosponsor.test')!;
    const staff2 = userByEmail('staff2@cosponsor.test')!;
    saveEmailPreferences(lead2.id, { changes_requested: false, decided: true }, new Date().toISOString());
    saveEmailPreferences(staff2.id, { submitted: false }, new Date().toISOString());
    sendBackAndResubmit();
    approveForum();
    expect(emailRows().map((r) => [r.event, r.recipient])).toEqual([
      ['proposal.submitted', 'staff@cosponsor.test'],
      ['proposal.approved', 'lead2@cosponsor.test'],
    ]);
  });

  it('sends nothing and queues nothing without SMTP_URL, as before', async () => {
    delete process.env.SMTP_URL;
    sendBackAndResubmit();
    approveForum();
    expect(emailRows()).toEqual([]);
    expect(enqueueDueReminders(new Date())).toBe(0);
    expect(all(qb().selectFrom('outbox').selectAll())).toEqual([]);
    await deliverDueNotifications(later());
    expect(smtp.received).toEqual([]);
  });
});

describe('reminders', () => {
  const DAY = 86_400_000;
  const dayStart = (day: string) => new Date(`${day}T00:00:00Z`).getTime();

  /** Runs the job twice a day from `from` to `to` (inclusive), as the hourly timer would, and delivers. */
  async function runDays(from: string, to: string) {
    for (let t = dayStart(from); t <= dayStart(to); t += DAY) {
      enqueueDueReminders(new Date(t + 3_600_000));
      enqueueDueReminders(new Date(t + 15 * 3_600_000));
    }
  }

  it('queues each reminder exactly once, 30, 7 and 1 days before an approval ends and before the event', async () => {
    const endDate = new Date(Date.now() + 45 * DAY).toISOString().slice(0, 10);
    approveForum(endDate);
    const forum = vaccineForum();
    expect(forum.approved_until).toBe(endDate);
    const event = forum.event_date.slice(0, 10);
    const first = [endDate, event].sort()[0]!;
    const last = [endDate, event].sort()[1]!;
    await runDays(new Date(dayStart(first) - 40 * DAY).toISOString().slice(0, 10), new Date(dayStart(last) + 2 * DAY).toISOString().slice(0, 10));

    const reminders = emailRows().filter((r) => r.proposal_id === forum.id && r.event?.startsWith('reminder.'));
    const summary = reminders.map((r) => [r.event, /-(\d+)d-/.exec(r.idempotency_key)?.[1], r.created_at.slice(0, 10)]);
    const minus = (day: string, n: number) => new Date(dayStart(day) - n * DAY).toISOString().slice(0, 10);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['reminder.approval_ending', '30', minus(endDate, 30)],
        ['reminder.approval_ending', '7', minus(endDate, 7)],
        ['reminder.approval_ending', '1', minus(endDate, 1)],
        ['reminder.event_upcoming', '30', minus(event, 30)],
        ['reminder.event_upcoming', '7', minus(event, 7)],
        ['reminder.event_upcoming', '1', minus(event, 1)],
      ]),
    );
    expect(reminders).toHaveLength(6);
    expect(new Set(reminders.map((r) => r.recipient))).toEqual(new Set(['lead2@cosponsor.test']));

    // Delivered once each, however often the outbox runs.
    await deliverDueNotifications(new Date(dayStart(last) + 3 * DAY));
    await deliverDueNotifications(new Date(dayStart(last) + 4 * DAY));
    const subjects = mailTo('lead2@cosponsor.test')
      .map((m) => m.parsed.subject ?? '')
      .filter((s) => s.includes('A Fair Shot') && /^(Approval ends|Event) /.test(s));
    expect(subjects.sort()).toEqual(
      [
        'Approval ends in 30 days',
        'Approval ends in 7 days',
        'Approval ends tomorrow',
        'Event in 30 days',
        'Event in 7 days',
        'Event tomorrow',
      ].map((s) => expect.stringContaining(s)).sort(),
    );
    expect(subjects).toHaveLength(6);
  });

  it('a reminder first due late says how many days are left, and queues no earlier threshold', async () => {
    const forum = vaccineForum();
    const event = forum.event_date.slice(0, 10);
    // The job first runs 5 days before the event: only the 7-day reminder is due.
    const five = new Date(dayStart(event) - 5 * DAY + 3_600_000);
    expect(enqueueDueReminders(five)).toBeGreaterThanOrEqual(1);
    expect(enqueueDueReminders(five)).toBe(0);
    const rows = emailRows().filter((r) => r.proposal_id === forum.id);
    expect(rows.map((r) => /-(\d+)d-/.exec(r.idempotency_key)?.[1])).toEqual(['7']);
    expect((JSON.parse(rows[0]!.payload) as { subject: string }).subject).toMatch(/^Event in 5 days/);
  });

  it('respects the choice: no event reminders for someone who turned them off', async () => {
    const lead2 = userByEmail('lead2@cosponsor.test')!;
    saveEmailPreferences(lead2.id, { event_upcoming: false }, new Date().toISOString());
    const forum = vaccineForum();
    const event = forum.event_date.slice(0, 10);
    await runDays(new Date(dayStart(event) - 31 * DAY).toISOString().slice(0, 10), event);
    expect(emailRows().filter((r) => r.recipient === 'lead2@cosponsor.test' && r.event === 'reminder.event_upcoming')).toEqual([]);
    // Others' reminders are untouched by lead2's choice.
    expect(emailRows().some((r) => r.recipient === 'lead@cosponsor.test')).toBe(true);
  });
});

describe('delivery', () => {
  it('a server that refuses the recipient (451) is tried again later, and the message arrives once', async () => {
    smtp.refuseRecipients(2, 451);
    approveForum();
    const first = await deliverDueNotifications(later());
    expect(first).toMatchObject({ attempted: 1, delivered: 0, retrying: 1 });
    const [row] = emailRows();
    expect(row!.last_error).toMatch(/refused the message at RCPT.*451/);
    // Not before the backoff.
    expect((await deliverDueNotifications(later())).attempted).toBe(0);
    expect((await deliverDueNotifications(later(31_000))).retrying).toBe(1);
    expect((await deliverDueNotifications(later(31_000 + 61_000))).delivered).toBe(1);
    expect((await deliverDueNotifications(later(BACKOFF_CAP_MS * 2))).attempted).toBe(0);
    expect(mailTo('lead2@cosponsor.test')).toHaveLength(1);
    expect(outboxAttempts(row!.id).map((a) => [a.ok, a.status])).toEqual([
      [0, 451],
      [0, 451],
      [1, 250],
    ]);
  });

  it('a server that refuses the message at DATA (451, then 554) is retried until it accepts', async () => {
    smtp.refuseData(1, 451);
    approveForum();
    expect((await deliverDueNotifications(later())).retrying).toBe(1);
    smtp.refuseData(1, 554);
    expect((await deliverDueNotifications(later(31_000))).retrying).toBe(1);
    expect(emailRows()[0]!.last_error).toMatch(/554/);
    expect((await deliverDueNotifications(later(31_000 + 61_000))).delivered).toBe(1);
    expect(mailTo('lead2@cosponsor.test')).toHaveLength(1);
  });

  it('a server that is down: retried, nothing lost, delivered when it is back', async () => {
    const port = await closedPort();
    process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
    approveForum();
    const report = await deliverDueNotifications(later());
    expect(report).toMatchObject({ attempted: 1, retrying: 1 });
    expect(emailRows()[0]!.last_error).toMatch(/could not be reached \(.*ECONNREFUSED/);
    const back = await startSmtpServer(port);
    try {
      expect((await deliverDueNotifications(later(31_000))).delivered).toBe(1);
      expect(back.received.map((m) => m.to)).toEqual([['lead2@cosponsor.test']]);
    } finally {
      await back.close();
    }
  });

  it('a server that is down costs one attempt per tick, however many e-mails wait; none is lost', async () => {
    const port = await closedPort();
    process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
    sendBackAndResubmit(); // a change request to the lead, then the resubmission to two staff
    expect(emailRows()).toHaveLength(3);
    expect(await deliverDueNotifications(later())).toMatchObject({ attempted: 1, retrying: 1 });
    expect(emailRows().map((r) => r.attempts)).toEqual([1, 0, 0]);
    process.env.SMTP_URL = smtp.url();
    expect(await deliverDueNotifications(later(31_000))).toMatchObject({ attempted: 3, delivered: 3 });
    expect(smtp.received).toHaveLength(3);
  });

  it('a server that never greets is given up on at the deadline, and retried', async () => {
    const silent = await silentServer();
    process.env.SMTP_URL = `smtp://127.0.0.1:${silent.port}`;
    process.env.OUTSIDE_TIMEOUT_MS = '300';
    try {
      approveForum();
      const started = performance.now();
      const report = await deliverDueNotifications(later());
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(report).toMatchObject({ attempted: 1, retrying: 1 });
      expect(emailRows()[0]!.last_error).toMatch(/could not be reached/);
      process.env.SMTP_URL = smtp.url();
      expect((await deliverDueNotifications(later(31_000))).delivered).toBe(1);
    } finally {
      await silent.close();
    }
  });

  it('signs in with the credentials of SMTP_URL and never shows the password in the delivery log', async () => {
    process.env.SMTP_URL = smtp.url(true).replace(SMTP_PASSWORD, 'wrong-password');
    approveForum();
    await deliverDueNotifications(later());
    const [row] = emailRows();
    expect(row!.last_error).toMatch(/535/);
    const page = JSON.stringify(deliveriesPageData());
    expect(page).not.toContain('wrong-password');
    process.env.SMTP_URL = smtp.url(true);
    expect(JSON.stringify(deliveriesPageData())).not.toContain(SMTP_PASSWORD);
    expect((await deliverDueNotifications(later(31_000))).delivered).toBe(1);
    expect(mailTo('lead2@cosponsor.test')[0]!.user).toBe('cosponsor-mailer');
  });

  it('an unreadable queued e-mail is logged and retried without holding up the rows after it', async () => {
    run(
      qb()
        .insertInto('outbox')
        .values({ channel: 'email', idempotency_key: 'broken-row', payload: '{not json', decision_seq: null, created_at: '2000-01-01T00:00:00.000Z', next_attempt_at: '2000-01-01T00:00:00.000Z' }),
    );
    approveForum();
    expect(await deliverDueNotifications(later())).toMatchObject({ attempted: 2, delivered: 1, retrying: 1 });
    expect(emailRows().find((r) => r.idempotency_key === 'broken-row')!.last_error).toBe('The queued e-mail is not readable.');
    expect(mailTo('lead2@cosponsor.test')).toHaveLength(1);
  });

  it('shows e-mail deliveries to admins beside the webhooks: event, proposal and recipient', async () => {
    approveForum();
    await deliverDueNotifications(later());
    const data = deliveriesPageData();
    const row = data.rows.find((r) => r.channel === 'email')!;
    expect(row).toMatchObject({ event: 'proposal.approved', state: 'delivered', recipient: 'lead2@cosponsor.test', reference: expect.any(String) });
    expect(data.status.services.find((s) => s.key === 'email')).toMatchObject({ on: true });
  });
});

describe('header injection', () => {
  it('a name or title with line breaks cannot add a header or a recipient', async () => {
    const lead2 = userByEmail('lead2@cosponsor.test')!;
    run(qb().updateTable('users').set({ name: 'Marcus\r\nBcc: victim@evil.test\r\nX-Injected: yes' }).where('id', '=', lead2.id));
    run(qb().updateTable('proposals').set({ event_title: 'Forum\r\nBcc: other@evil.test\nX-Title-Injected: 1' }).where('id', '=', vaccineForum().id));
    approveForum();
    // Flattened when queued (the mail library would also fold them; neither alone is trusted).
    const queued = JSON.parse(emailRows()[0]!.payload) as { to: { name: string }; subject: string };
    expect(queued.to.name).toBe('Marcus Bcc: victim@evil.test X-Injected: yes');
    expect(queued.subject).not.toMatch(/[\r\n]/);
    await deliverDueNotifications(later());
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail!.to).toEqual(['lead2@cosponsor.test']);
    expect(mail!.parsed.bcc).toBeUndefined();
    expect(mail!.parsed.headers.has('x-injected')).toBe(false);
    expect(mail!.parsed.headers.has('x-title-injected')).toBe(false);
    const headerBlock = mail!.raw.slice(0, mail!.raw.indexOf('\r\n\r\n'));
    expect(headerBlock).not.toMatch(/^(Bcc|X-Injected|X-Title-Injected):/im);
    expect(mail!.parsed.subject).toContain('Forum Bcc: other@evil.test X-Title-Injected: 1');
  });

  it('HTML in a title is escaped in the HTML part', async () => {
    run(qb().updateTable('proposals').set({ event_title: 'A <b>bold</b> & <script>alert(1)</script> forum' }).where('id', '=', vaccineForum().id));
    approveForum();
    await deliverDueNotifications(later());
    const [mail] = smtp.received;
    expect(mail!.parsed.html).not.toContain('<script>');
    expect(mail!.parsed.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail!.parsed.text).toContain('A <b>bold</b> & <script>alert(1)</script> forum');
  });
});
