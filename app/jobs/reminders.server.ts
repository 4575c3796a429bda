import { transaction } from '../../db/connection';
import { dueReminders, enqueueReminder } from '../features/outside/email-notifications.server';
import { smtpConfig } from '../features/outside/email.server';

// Reminders by e-mail, 30, 7 and 1 days before an approval's end date and before an event.
// Run on a timer by the background jobs, never from a page: a GET must not write. Each
// reminder has a unique key in the outbox, so however often this runs (several processes,
// a restart, a tick twice in one day) each reminder is queued once; the outbox delivers it.

/** Queues the reminders due as of `now`; returns how many were new. Nothing when e-mail is off. */
export function enqueueDueReminders(now: Date = new Date()): number {
  if (!smtpConfig()) return 0;
  const rows = dueReminders(now);
  if (rows.length === 0) return 0;
  const at = now.toISOString();
  return transaction(() => rows.filter((row) => enqueueReminder(row, at)).length);
}
