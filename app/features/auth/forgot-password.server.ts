// "Forgot your password?" (docs/decisions/0410-forgotten-password-by-e-mail.md): a single-use
// link by e-mail, through the outbox (0150). The answer to a request never says whether the
// address has an account; requests count against the sign-in throttle (0007) like failed
// sign-ins. Only the token's SHA-256 is stored, and the queued e-mail holds it sealed (below).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { appendAdminLog } from '../../../db/admin-log';
import { nowIso, transaction } from '../../../db/connection';
import { insertOutboxRow } from '../../../db/outside';
import {
  insertPasswordResetLink,
  passwordResetLinkByHash,
  passwordResetLinksSince,
  spendPasswordResetLink,
  supersedePasswordResetLinks,
} from '../../../db/password-reset-links';
import { revokeAllSessionsOf } from '../../../db/sessions';
import { passwordStateOf, replacePassword, userByEmail, userById } from '../../../db/users';
import { mayResetPasswordByEmail } from '../../../workflows/policy';
import { EMAIL_CHANNEL } from '../outside/email-notifications.server';
import { appLink, composeEmail, isSendableAddress, smtpConfig, type EmailPayload } from '../outside/email.server';
import { appSecret } from '../../utils/env.server';
import { accountSubjectOf } from './account.server';
import { hashPassword } from './password.server';
import { localLoginAllowed } from './sign-on.server';
import { noteSignInAttempt, sleep, throttleVerdict } from './throttle.server';

/** A link works for an hour: long enough to find the e-mail, short for a mailbox read later. */
const RESET_LINK_TTL_MS = 3600_000;
/** E-mails to one account per hour, whichever addresses ask: nobody can flood a mailbox. */
export const RESET_LINKS_PER_ACCOUNT_PER_HOUR = 3;

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

// The outbox keeps finished messages (0150), so the queued e-mail would hold the token. It holds
// it sealed instead (AES-256-GCM under a key derived from SESSION_SECRET, which is not in the
// database), with a placeholder where the link's token goes; the outbox opens it only when it
// sends the message. A copy of the database alone yields no working link.
const TOKEN_PLACEHOLDER = '%%RESET-LINK-TOKEN%%';
const sealingKey = () => createHash('sha256').update(`cosponsor password-reset link\0${appSecret()}`).digest();

function sealToken(token: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(), iv);
  const sealed = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), sealed].map((b) => b.toString('base64url')).join('.');
}

/** A queued link e-mail: the message with the placeholder, and the sealed token. */
type SealedLinkPayload = EmailPayload & { sealedToken: string };

/**
 * The message as it is sent: the token opened and put where the placeholder is. Null when it
 * cannot be opened (SESSION_SECRET changed since it was queued): the person asks again.
 */
export function openLinkPayload(payload: EmailPayload & { sealedToken?: unknown }): EmailPayload | null {
  if (typeof payload.sealedToken !== 'string') return payload;
  const { sealedToken, ...message } = payload;
  const [iv, tag, sealed] = sealedToken.split('.').map((part) => Buffer.from(part, 'base64url'));
  let token: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(), iv!);
    decipher.setAuthTag(tag!);
    token = Buffer.concat([decipher.update(sealed!), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
  return { ...message, text: message.text.replaceAll(TOKEN_PLACEHOLDER, token), html: message.html.replaceAll(TOKEN_PLACEHOLDER, token) };
}

/** Whether this server can send the links: password sign-in on, e-mail set up, and APP_URL to link to. */
export function forgotPasswordAvailable(): boolean {
  // The link's host comes from APP_URL, never from the request: a forged Host header must not
  // send someone's token to another site.
  return localLoginAllowed() && smtpConfig() !== null && appLink('/') !== null;
}

export type ResetRequestResult = { ok: true } | { ok: false; kind: 'throttled'; retryInMinutes: number };

/**
 * Asks for a link for this address. The same answer whether or not an active account with a
 * password has this address (and whether an e-mail was queued), after the same steps: the
 * throttle's verdict and its delay, the attempt noted, one read of the account.
 */
export async function requestPasswordReset(email: string, ip: string): Promise<ResetRequestResult> {
  const verdict = throttleVerdict(email, ip);
  if (verdict.blocked) return { ok: false, kind: 'throttled', retryInMinutes: verdict.retryInMinutes };
  if (verdict.delayMs > 0) await sleep(verdict.delayMs);
  // Counted as a failed sign-in: asking proves nothing, and requests and guesses share one limit.
  noteSignInAttempt(email, ip, false);
  const available = forgotPasswordAvailable();
  const user = userByEmail(email);
  const account = user ? accountSubjectOf(user.id) : undefined;
  if (!available || !user || !account || !mayResetPasswordByEmail(account) || !isSendableAddress(user.email)) return { ok: true };
  const token = randomBytes(32).toString('base64url');
  transaction(() => {
    const at = nowIso();
    if (passwordResetLinksSince(user.id, new Date(Date.parse(at) - 3600_000).toISOString()) >= RESET_LINKS_PER_ACCOUNT_PER_HOUR) return;
    const expiresAt = new Date(Date.parse(at) + RESET_LINK_TTL_MS).toISOString();
    const id = insertPasswordResetLink({ userId: user.id, tokenHash: hashToken(token), ip, createdAt: at, expiresAt });
    const payload = composeEmail({
      to: { name: user.name, address: user.email },
      subject: 'Choose a new Cosponsor password',
      lines: [
        'Someone (we hope you) asked to choose a new password for your Cosponsor account.',
        `The link below works once, for one hour (until ${expiresAt.slice(0, 16).replace('T', ' ')} UTC). Choosing a new password signs you out everywhere.`,
        'If you did not ask, ignore this e-mail: your password stays as it is.',
      ],
      link: { href: appLink(`/reset-password/${TOKEN_PLACEHOLDER}`), label: 'Choose a new password' },
      why: 'You get this e-mail because someone asked for it on the sign-in page.',
      withoutSettingsHint: true,
    });
    insertOutboxRow({
      channel: EMAIL_CHANNEL,
      idempotencyKey: `password-reset-${id}`,
      payload: JSON.stringify({ ...payload, sealedToken: sealToken(token) } satisfies SealedLinkPayload),
      decisionSeq: null,
      createdAt: at,
      event: 'account.password_reset_link',
      recipient: user.email,
    });
  });
  return { ok: true };
}

export type ResetLinkState =
  | { ok: true; linkId: number; person: { id: number; name: string; email: string }; expectedHash: string }
  | { ok: false; kind: LinkRefusal; message: string };

/** Why a link does not work: made up or mangled, spent, replaced, too old, or the account no longer qualifies. */
export type LinkRefusal = 'invalid' | 'used' | 'superseded' | 'expired' | 'ineligible';

const ASK_AGAIN = 'Ask for a new link on the sign-in page (“Forgot your password?”).';

/** What a link holder may do: choose a new password, or why not (each refusal says what to do). */
export function resetLinkState(token: string, now = nowIso()): ResetLinkState {
  const link = token.length > 200 ? undefined : passwordResetLinkByHash(hashToken(token));
  if (!link) return { ok: false, kind: 'invalid', message: `This link is not valid: it may be incomplete, copied wrongly, or very old. ${ASK_AGAIN}` };
  if (link.used_at) return { ok: false, kind: 'used', message: `This link was already used: each link works once. If you did not choose a password with it, ${ASK_AGAIN.toLowerCase()}` };
  if (link.superseded_at) return { ok: false, kind: 'superseded', message: `A newer link was sent since, or the password was changed: this one no longer works. Use the newest e-mail, or ${ASK_AGAIN.toLowerCase()}` };
  if (link.expires_at <= now) return { ok: false, kind: 'expired', message: `This link has expired: links work for one hour. ${ASK_AGAIN}` };
  const user = userById(link.user_id);
  const account = accountSubjectOf(link.user_id);
  const state = passwordStateOf(link.user_id);
  if (!user || !account || !state || !mayResetPasswordByEmail(account)) {
    return { ok: false, kind: 'ineligible', message: 'This account cannot get a new password this way any more. Ask an administrator.' };
  }
  return { ok: true, linkId: link.id, person: { id: user.id, name: user.name, email: user.email }, expectedHash: state.password_hash };
}

export type ResetCompleteResult = { ok: true; message: string; sessionsEnded: number } | { ok: false; kind: LinkRefusal; message: string };

/**
 * Sets the password a link holder chose (already checked against the password rules by the
 * form's schema), spends the link and every other one of the person's, and ends every session.
 * All in one transaction, after the link and the password are read again under the write lock:
 * two tabs with one link, or a reset meanwhile, never both win.
 */
export async function completePasswordReset(token: string, newPassword: string, ip: string): Promise<ResetCompleteResult> {
  const before = resetLinkState(token);
  if (!before.ok) return before;
  // Hashed before the transaction: scrypt is slow and must not hold the write lock.
  const hash = await hashPassword(newPassword);
  const result = transaction((): ResetCompleteResult => {
    const at = nowIso();
    const now = resetLinkState(token, at);
    if (!now.ok) return now;
    if (now.expectedHash !== before.expectedHash) {
      return { ok: false, kind: 'superseded', message: `The password of this account was changed meanwhile: this link no longer works. ${ASK_AGAIN}` };
    }
    if (!spendPasswordResetLink(now.linkId, at)) return { ok: false, kind: 'used', message: `This link was already used: each link works once. ${ASK_AGAIN}` };
    if (!replacePassword(now.person.id, now.expectedHash, { hash, changeRequired: false, temporaryUntil: null }, at)) {
      throw new Error('The password changed under the write lock.');
    }
    supersedePasswordResetLinks(now.person.id, at);
    const sessionsEnded = revokeAllSessionsOf(now.person.id, at);
    appendAdminLog({ actorId: now.person.id, action: 'user.password_change', targetUserId: now.person.id, details: { sessionsEnded, via: 'email_link' }, at });
    const ended = sessionsEnded === 0 ? '' : ` ${sessionsEnded} open session${sessionsEnded === 1 ? ' was' : 's were'} signed out.`;
    return { ok: true, sessionsEnded, message: `Your new password is set.${ended} Sign in with it.` };
  });
  // Proof of the mailbox: this address signs in from here as from a known one.
  if (result.ok) noteSignInAttempt(before.person.email, ip, true);
  return result;
}
