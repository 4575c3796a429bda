import nodemailer from 'nodemailer';
import { env } from '../../utils/env.server';

// E-mail by SMTP (SMTP_URL), sent from the notification outbox like the webhooks
// (docs/decisions/0150-email-through-the-outbox.md). This module writes the
// messages and sends one; who receives what is decided in email-notifications.server.ts.
// Like the webhooks, an e-mail carries facts and a link, never a rationale, the
// conditions or the screening details (docs/decisions/0031): mail passes through
// servers outside the organization's control.

/** The kinds of e-mail a person can turn on or off on their notification settings page. */
export const EMAIL_KINDS = ['submitted', 'decided', 'changes_requested', 'approval_ending', 'event_upcoming'] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

export const EMAIL_KIND_LABEL: Record<EmailKind, { label: string; hint: string }> = {
  submitted: { label: 'Proposals submitted for my decision', hint: 'When a proposal you may decide enters review.' },
  decided: { label: 'Decisions on my proposals', hint: 'When staff approve or reject a proposal you made.' },
  changes_requested: { label: 'Change requests on my proposals', hint: 'When staff send a proposal you made back to a step.' },
  approval_ending: { label: 'Reminders before an approval ends', hint: '30, 7 and 1 days before the end date of your approved partnership.' },
  event_upcoming: { label: 'Reminders before an event', hint: '30, 7 and 1 days before the event of a proposal you made.' },
};

/** Days before a date when a reminder goes out, largest first. */
export const REMINDER_DAYS = [30, 7, 1] as const;

export type SmtpConfig = { url: URL; from: string; fromDomain: string };

/** The SMTP server and sender, or null when e-mail is off (SMTP_URL unset). */
export function smtpConfig(): SmtpConfig | null {
  const config = env();
  if (!config.SMTP_URL) return null;
  const url = new URL(config.SMTP_URL);
  const appHost = config.APP_URL ? new URL(config.APP_URL).hostname : '';
  const from = config.MAIL_FROM ?? `Cosponsor <cosponsor@${appHost || url.hostname}>`;
  const address = /<([^>]+)>\s*$/.exec(from)?.[1] ?? from;
  return { url, from, fromDomain: address.slice(address.lastIndexOf('@') + 1) };
}

/** Where the server sends mail, without the user name and password, for the admins' status line. */
export function smtpServerLabel(config: SmtpConfig): string {
  return `${config.url.protocol}//${config.url.hostname}${config.url.port ? `:${config.url.port}` : ''}, from ${config.from}`;
}

/** One queued e-mail, as the outbox row's payload: frozen when queued, like the webhook bodies. */
export type EmailPayload = {
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
};

// ---- Writing a message ----

/**
 * A value bound for a header (a name, a subject): line breaks and other control characters
 * become spaces, so nothing typed into a name or title can start a header of its own.
 */
function headerSafe(value: string, max = 200): string {
  const flat = withoutBidiControls(value).replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * Text without bidirectional controls (overrides, embeddings, isolates, marks). Typed into a title
 * or a name, one would reorder the rest of its line in a mail client, where the pages' <bdi> and
 * dir="auto" do not reach; right-to-left text itself needs none of them.
 */
function withoutBidiControls(text: string): string {
  return text.replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
}

/** An address we send to: one plain mailbox, nothing a mail library could read as a list or a group. */
export function isSendableAddress(address: string): boolean {
  return /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/.test(address) && address.length <= 254;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A link into the app, or null when APP_URL is not set (a relative link means nothing in an e-mail). */
export function appLink(path: string): string | null {
  const base = env().APP_URL?.replace(/\/+$/, '');
  return base ? `${base}${path}` : null;
}

export type MessageFacts = {
  reference: string;
  eventTitle: string;
  eventDate: string;
  partner: string;
  chapter: string;
};

/**
 * The message: plain text, and the same paragraphs as simple HTML with every value escaped.
 * `lines` are the paragraphs; the link (when APP_URL is set) closes the message.
 */
export function composeEmail(args: {
  to: { name: string; address: string };
  subject: string;
  lines: string[];
  link: { href: string | null; label: string };
  why: string;
  /** A message everyone gets whatever their settings (a password link) does not point to them. */
  withoutSettingsHint?: boolean;
}): EmailPayload {
  const name = headerSafe(args.to.name, 120);
  const greeting = name ? `Hello ${name},` : 'Hello,';
  const linkLine = args.link.href
    ? `${args.link.label}: ${args.link.href}`
    : `${args.link.label}: sign in to Cosponsor and open the proposal from your inbox.`;
  const footer = args.withoutSettingsHint ? args.why : `${args.why} You can choose which e-mails you get under Notification settings in Cosponsor.`;
  const lines = args.lines.map(withoutBidiControls);
  const text = [greeting, ...lines, linkLine, '-- ', footer].join('\n\n') + '\n';
  const paragraph = (line: string) => `<p>${escapeHtml(line).replace(/\n/g, '<br>')}</p>`;
  const linkHtml = args.link.href
    ? `<p><a href="${escapeHtml(args.link.href)}">${escapeHtml(args.link.label)}</a></p>`
    : paragraph(linkLine);
  const html = [
    '<!doctype html><html><body>',
    paragraph(greeting),
    ...lines.map(paragraph),
    linkHtml,
    `<hr><p style="color:#555;font-size:90%">${escapeHtml(footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { to: { name, address: args.to.address }, subject: headerSafe(args.subject), text, html };
}

export function describeProposal(facts: MessageFacts): string {
  return `${facts.reference}: “${facts.eventTitle}” with ${facts.partner} (${facts.chapter}), event on ${facts.eventDate}.`;
}

// ---- Sending one ----

/** The outcome of one SMTP attempt; `status` is the server's reply code when it answered. */
export type EmailOutcome =
  | { ok: true; status: number; durationMs: number }
  | { ok: false; status: number | null; error: string; durationMs: number; waitMs: number; unreachable: boolean };

/** The longest one attempt may take: connecting, the greeting, and each reply, each bounded. */
export function emailAttemptDeadlineMs(): number {
  return 4 * env().OUTSIDE_TIMEOUT_MS;
}

/** The server's words, without anything that could be the password or user name of SMTP_URL. */
function scrub(message: string, url: URL): string {
  let text = message;
  for (const secret of [url.password, url.username, decodeURIComponent(url.password), decodeURIComponent(url.username)]) {
    if (secret) text = text.split(secret).join('***');
  }
  return headerSafe(text, 300);
}

type SmtpError = Error & { code?: string; responseCode?: number; response?: string; command?: string };

/**
 * Sends one queued e-mail and never throws: every failure (refused, down, too slow) comes back
 * as an outcome for the outbox to log and retry. `messageKey` makes the Message-ID, the same on
 * every retry, so a receiving system can tell a repeat from a new message.
 */
export async function sendEmail(config: SmtpConfig, payload: EmailPayload, messageKey: string): Promise<EmailOutcome> {
  const timeout = env().OUTSIDE_TIMEOUT_MS;
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  const transport = nodemailer.createTransport({
    host: config.url.hostname,
    port: config.url.port ? Number(config.url.port) : config.url.protocol === 'smtps:' ? 465 : 587,
    secure: config.url.protocol === 'smtps:',
    auth: config.url.username ? { user: decodeURIComponent(config.url.username), pass: decodeURIComponent(config.url.password) } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    dnsTimeout: timeout,
    // One connection per attempt: nothing is held open between ticks.
    pool: false,
    // A clear error instead of a library's console output.
    logger: false,
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`No answer within ${emailAttemptDeadlineMs()} ms.`), { code: 'ETIMEDOUT' })), emailAttemptDeadlineMs());
  });
  try {
    const info = (await Promise.race([
      transport.sendMail({
        from: config.from,
        to: { name: payload.to.name, address: payload.to.address },
        subject: payload.subject,
        text: payload.text,
        html: payload.html,
        messageId: `<${messageKey}@${config.fromDomain}>`,
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
        // Only this address, whatever the message headers say.
        envelope: { from: /<([^>]+)>\s*$/.exec(config.from)?.[1] ?? config.from, to: [payload.to.address] },
      }),
      deadline,
    ])) as { response?: string; rejected?: unknown[] };
    const status = Number(/^\d{3}/.exec(info.response ?? '')?.[0] ?? 250);
    return { ok: true, status, durationMs: took() };
  } catch (caught) {
    const error = caught as SmtpError;
    const status = typeof error.responseCode === 'number' ? error.responseCode : null;
    const what =
      status !== null
        ? `The mail server refused the message${error.command ? ` at ${error.command.split(' ')[0]}` : ''} (${scrub(error.response ?? error.message, config.url)})`
        : `The mail server could not be reached (${error.code ?? 'error'}: ${scrub(error.message, config.url)})`;
    return { ok: false, status, error: what, durationMs: took(), waitMs: 0, unreachable: status === null };
  } finally {
    clearTimeout(timer);
    transport.close();
  }
}
