import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { all, qb, useDatabase } from '../db/connection';
import { startSmtpServer } from '../tests/support/smtp';

// E-mail at scale, on a COPY of a database (the original is never written):
//   DATABASE_PATH=/tmp/s.db npm run db:seed -- --scale 2000
//   DATABASE_PATH=/tmp/s.db npx tsx bench/email.ts [--days 60] [--deliver 200]
// 1. The reminder job run once a day for `days` days from today: ms per run, the first run of a day
//    (queues) and a second run the same day (finds everything queued already), and reminders queued.
// 2. Delivery of the first `deliver` queued e-mails to a real SMTP server on loopback (smtp-server):
//    messages per second, one SMTP connection per message as the outbox sends them.
// Prints one line of figures on stdout.

const { values } = parseArgs({ options: { days: { type: 'string', default: '60' }, deliver: { type: 'string', default: '200' } } });
const DAYS = Number(values.days);
const DELIVER = Number(values.deliver);
const source = process.env.DATABASE_PATH;
if (!source || !fs.existsSync(source)) {
  console.error('Set DATABASE_PATH to a seeded database (npm run db:seed -- --scale N).');
  process.exit(2);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosponsor-bench-email-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const copy = path.join(dir, 'bench.db');
fs.copyFileSync(source, copy);
process.env.DATABASE_PATH = copy;
useDatabase(copy);

const smtp = await startSmtpServer();
process.env.SMTP_URL = smtp.url();
process.env.APP_URL = 'https://cosponsor.example.org';
// Imported after the environment is set, as the server does.
const { enqueueDueReminders } = await import('../app/jobs/reminders.server');
const { deliverDueNotifications } = await import('../app/jobs/outbox.server');

const proposals = all(qb().selectFrom('proposals').select('id')).length;
const DAY = 86_400_000;
const start = Date.now();
const firstRuns: number[] = [];
const againRuns: number[] = [];
let queued = 0;
for (let d = 0; d < DAYS; d += 1) {
  const now = new Date(start + d * DAY);
  let t = performance.now();
  queued += enqueueDueReminders(now);
  firstRuns.push(performance.now() - t);
  t = performance.now();
  const again = enqueueDueReminders(new Date(now.getTime() + 3_600_000));
  againRuns.push(performance.now() - t);
  if (again !== 0) throw new Error(`A second run the same day queued ${again} reminders again.`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const max = (xs: number[]) => Math.max(...xs);

console.error(`reminders: ${queued} queued over ${DAYS} days; delivering ${Math.min(queued, DELIVER)}`);
const t0 = performance.now();
let delivered = 0;
while (delivered < DELIVER) {
  const report = await deliverDueNotifications(new Date(start + DAYS * DAY), { limit: Math.min(50, DELIVER - delivered) });
  delivered += report.delivered;
  if (report.attempted === 0) break;
  if (report.retrying || report.failed) throw new Error(`Delivery failed: ${JSON.stringify(report)}`);
}
const seconds = (performance.now() - t0) / 1000;
await smtp.close();
if (smtp.received.length !== Math.min(queued, DELIVER)) throw new Error(`Sent ${delivered}, the server received ${smtp.received.length}.`);

console.log(
  [
    `proposals=${proposals}`,
    `days=${DAYS}`,
    `reminders_queued=${queued}`,
    `job_ms_p50=${median(firstRuns).toFixed(1)}`,
    `job_ms_max=${max(firstRuns).toFixed(1)}`,
    `job_again_ms_p50=${median(againRuns).toFixed(1)}`,
    `delivered=${delivered}`,
    `smtp_messages_per_s=${(delivered / seconds).toFixed(1)}`,
  ].join(' '),
);
