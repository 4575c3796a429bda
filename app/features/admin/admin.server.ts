import { appendAdminLog, recentAdminLog, type AdminLogEntry } from '../../../db/admin-log';
import { nowIso, transaction } from '../../../db/connection';
import { supersedePasswordResetLinks } from '../../../db/password-reset-links';
import { revokeAllSessionsOf } from '../../../db/sessions';
import {
  activeMembersByChapter,
  chapterById,
  chapterByName,
  createChapter,
  createUser,
  listChapters,
  listUsers,
  renameChapter,
  setChapterActive,
  setRoles,
  setUserActive,
  setUserChapter,
  userByEmail,
  userById,
} from '../../../db/users';
import type { Role } from '../../../workflows/types';
import { roleLabel } from '../../utils/labels';
import { hashPassword } from '../auth/password.server';
import { accountSubjectOf } from '../auth/account.server';
import { generateTemporaryPassword, passwordProblem, TEMPORARY_PASSWORD_TTL_MS } from '../auth/password-rules.server';
import { can, COMMAND_LINE_OPERATOR, removesOwnAdminRole, type ActingUser } from '../../../workflows/policy';
import { passwordStateOf, replacePassword } from '../../../db/users';

// Accounts and chapters. Every change and its admin_log entry are written in
// one transaction; users are never deleted, only deactivated.

export type AdminResult =
  | { ok: true; message: string; id: number }
  | { ok: false; kind: 'invalid' | 'forbidden' | 'not_found' | 'stale'; formError?: string; fieldErrors?: Record<string, string[]> };

const refused = (kind: 'invalid' | 'forbidden' | 'not_found' | 'stale', formError: string, fieldErrors?: Record<string, string[]>): AdminResult => ({
  ok: false,
  kind,
  formError,
  fieldErrors,
});
const fieldError = (field: string, message: string): AdminResult => ({ ok: false, kind: 'invalid', fieldErrors: { [field]: [message] } });

/** Checked here as well as by the route guard, so no caller can skip it. */
function guard(actor: ActingUser): AdminResult | null {
  const permission = can(actor, 'admin.manage');
  return permission.ok ? null : refused('forbidden', permission.reason);
}

const roleList = (roles: readonly string[]) => (roles.length ? roles.map(roleLabel).join(', ') : 'no role');
const sameRoles = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join();

/** A chapter someone may be placed in: it exists, and is active unless they are already in it. */
function assignableChapter(chapterId: number | undefined, currentChapterId: number | null): AdminResult | null {
  if (chapterId === undefined) return null;
  const chapter = chapterById(chapterId);
  if (!chapter) return fieldError('chapterId', 'Choose a chapter from the list.');
  if (!chapter.active && chapter.id !== currentChapterId) {
    return fieldError('chapterId', `${chapter.name} is deactivated: reactivate it first, or choose another chapter.`);
  }
  return null;
}

// ---- Accounts ----

export async function createAccount(
  actor: ActingUser,
  input: { name: string; email: string; password: string; roles: Role[]; chapterId?: number },
): Promise<AdminResult> {
  const denied = guard(actor);
  if (denied) return denied;
  if (userByEmail(input.email)) return fieldError('email', 'An account with this e-mail address already exists.');
  const chapterProblem = assignableChapter(input.chapterId, null);
  if (chapterProblem) return chapterProblem;
  // The rules a changed or reset password meets (0380), against this person: not their e-mail or name, not a famous one.
  const weak = passwordProblem(input.password, input);
  if (weak) return fieldError('password', weak);
  // Hash before the transaction: scrypt is slow and must not hold the write lock.
  const passwordHash = await hashPassword(input.password);
  return transaction(() => {
    // Checked again inside the lock: another admin may have just used the address.
    if (userByEmail(input.email)) return fieldError('email', 'An account with this e-mail address already exists.');
    const at = nowIso();
    const id = createUser({ email: input.email, name: input.name, passwordHash, chapterId: input.chapterId ?? null, roles: input.roles });
    const chapter = input.chapterId ? chapterById(input.chapterId) : undefined;
    appendAdminLog({
      actorId: actor.id,
      action: 'user.create',
      targetUserId: id,
      targetChapterId: chapter?.id ?? null,
      details: { email: input.email, roles: input.roles, chapter: chapter?.name ?? null },
      at,
    });
    return { ok: true, id, message: `The account of ${input.name} (${input.email}) was created.` } as const;
  });
}

/**
 * An account's roles and chapter as the page showed them: a save made on a page that showed
 * something else (another admin, another tab, changed it since) is refused, never applied over it.
 */
export function accessShown(user: { roles: Role[]; chapter_id: number | null }): string {
  return `${[...new Set(user.roles)].sort().join(',')}|${user.chapter_id ?? ''}`;
}

export function changeAccess(actor: ActingUser, userId: number, input: { roles: Role[]; chapterId?: number; seenAccess?: string }): AdminResult {
  const denied = guard(actor);
  if (denied) return denied;
  const user = userById(userId);
  if (!user) return refused('not_found', 'There is no such account.');
  if (input.seenAccess !== undefined && input.seenAccess !== accessShown(user)) {
    const now = `${user.roles.length ? roleList(user.roles) : 'no role'}${user.chapter_name ? `, ${user.chapter_name}` : ''}`;
    return refused('stale', `${user.name}’s access changed since you opened this page: it is now ${now}. Check it below, then save again.`);
  }
  if (removesOwnAdminRole(actor, user, input.roles)) {
    return fieldError(
      'roles',
      'You cannot remove your own admin role: ask another admin. This way nobody locks themselves out by mistake, and the organization always keeps an admin.',
    );
  }
  const chapterProblem = assignableChapter(input.chapterId, user.chapter_id);
  if (chapterProblem) return chapterProblem;
  const newChapterId = input.chapterId ?? null;
  const rolesChanged = !sameRoles(user.roles, input.roles);
  const chapterChanged = newChapterId !== user.chapter_id;
  if (!rolesChanged && !chapterChanged) return { ok: true, id: userId, message: `Nothing changed for ${user.name}.` };
  return transaction(() => {
    const at = nowIso();
    if (rolesChanged) {
      setRoles(userId, input.roles);
      appendAdminLog({
        actorId: actor.id,
        action: 'user.roles',
        targetUserId: userId,
        details: { from: [...user.roles].sort(), to: [...new Set(input.roles)].sort() },
        at,
      });
    }
    if (chapterChanged) {
      setUserChapter(userId, newChapterId, at);
      const to = newChapterId ? chapterById(newChapterId) : undefined;
      appendAdminLog({
        actorId: actor.id,
        action: 'user.chapter',
        targetUserId: userId,
        targetChapterId: newChapterId,
        details: { from: user.chapter_name, to: to?.name ?? null },
        at,
      });
    }
    return { ok: true, id: userId, message: `${user.name}’s access was updated: ${roleList(input.roles)}.` } as const;
  });
}

export function setAccountActive(actor: ActingUser, userId: number, active: boolean): AdminResult {
  const denied = guard(actor);
  if (denied) return denied;
  const user = userById(userId);
  if (!user) return refused('not_found', 'There is no such account.');
  if (!active && userId === actor.id) {
    return refused(
      'forbidden',
      'You cannot deactivate your own account: another admin must do it. This way the organization always keeps at least one active admin.',
    );
  }
  if (Boolean(user.active) === active) {
    return { ok: true, id: userId, message: `${user.name}’s account is already ${active ? 'active' : 'deactivated'}.` };
  }
  return transaction(() => {
    const at = nowIso();
    setUserActive(userId, active, at);
    // Deactivation ends every open session at once, not at their expiry.
    const sessionsEnded = active ? 0 : revokeAllSessionsOf(userId, at);
    appendAdminLog({
      actorId: actor.id,
      action: active ? 'user.reactivate' : 'user.deactivate',
      targetUserId: userId,
      details: active ? {} : { sessionsEnded },
      at,
    });
    const message = active
      ? `${user.name}’s account was reactivated.`
      : `${user.name}’s account was deactivated; ${sessionsEnded} open session${sessionsEnded === 1 ? ' was' : 's were'} ended.`;
    return { ok: true, id: userId, message } as const;
  });
}

// ---- Password resets (docs/decisions/0380-password-change-and-reset.md) ----

export type PasswordResetResult =
  | { ok: true; id: number; message: string; expiresAt: string; /** Only when generated: shown to the admin once, stored nowhere. */ temporaryPassword: string | null }
  | Extract<AdminResult, { ok: false }>;

/**
 * Gives another person's account a temporary password: generated here (shown to the admin once),
 * or the admin's own choice. It signs in once, within TEMPORARY_PASSWORD_TTL_MS; then the person
 * must choose their own before any other page. Every open session of theirs ends now. The
 * admin log records who reset whose password and when, never the password.
 */
export async function resetPassword(
  actor: ActingUser,
  userId: number,
  input: { mode: 'generate' } | { mode: 'set'; temporaryPassword: string },
): Promise<PasswordResetResult> {
  const user = userById(userId);
  const account = accountSubjectOf(userId);
  const state = passwordStateOf(userId);
  if (!user || !account || !state) return { ok: false, kind: 'not_found', formError: 'There is no such account.' };
  const permission = can(actor, 'account.reset_password', account);
  if (!permission.ok) return { ok: false, kind: 'forbidden', formError: permission.reason };
  const generated = input.mode === 'generate';
  const temporaryPassword = input.mode === 'generate' ? generateTemporaryPassword() : input.temporaryPassword;
  if (input.mode === 'set') {
    const problem = passwordProblem(temporaryPassword, user);
    if (problem) return fieldError('temporaryPassword', problem) as Extract<AdminResult, { ok: false }>;
  }
  const given = await giveTemporaryPassword(user, state.password_hash, temporaryPassword, { actorId: actor.id, details: { generated } });
  if (!given.ok) return { ok: false, kind: 'stale', formError: `${user.name}’s password changed while you were resetting it. Nothing was reset: try again.` };
  return {
    ok: true,
    id: userId,
    expiresAt: given.expiresAt,
    temporaryPassword: generated ? temporaryPassword : null,
    message: `${user.name}’s password was reset; ${sessionsEndedText(given.sessionsEnded)}. The temporary password works for one sign-in, until ${minuteUtc(given.expiresAt)} UTC; then ${user.name} must choose a new one.`,
  };
}

const sessionsEndedText = (n: number) => `${n} open session${n === 1 ? ' was' : 's were'} ended`;
const minuteUtc = (iso: string) => iso.slice(0, 16).replace('T', ' ');

/**
 * What every reset does, whoever asks: the temporary password's hash replaces the one read
 * (`expectedHash`, so a change meanwhile is never overwritten unseen), it works once until
 * TEMPORARY_PASSWORD_TTL_MS from now, the person must choose their own next, every session of
 * theirs ends, and the admin log says so, in one transaction. Never the password in the log.
 */
async function giveTemporaryPassword(
  user: { id: number },
  expectedHash: string,
  temporaryPassword: string,
  log: { actorId: number; details: Record<string, unknown> },
): Promise<{ ok: true; expiresAt: string; sessionsEnded: number } | { ok: false }> {
  // Hashed before the transaction: scrypt is slow and must not hold the write lock.
  const hash = await hashPassword(temporaryPassword);
  return transaction(() => {
    const at = nowIso();
    const expiresAt = new Date(Date.parse(at) + TEMPORARY_PASSWORD_TTL_MS).toISOString();
    if (!replacePassword(user.id, expectedHash, { hash, changeRequired: true, temporaryUntil: expiresAt }, at)) return { ok: false } as const;
    // A "Forgot your password?" link sent before must not undo the reset.
    supersedePasswordResetLinks(user.id, at);
    const sessionsEnded = revokeAllSessionsOf(user.id, at);
    appendAdminLog({ actorId: log.actorId, action: 'user.password_reset', targetUserId: user.id, details: { ...log.details, sessionsEnded, expiresAt }, at });
    return { ok: true, expiresAt, sessionsEnded } as const;
  });
}

export type CommandLineResetResult =
  | { ok: true; name: string; email: string; temporaryPassword: string; expiresAt: string; sessionsEnded: number; message: string }
  | { ok: false; message: string };

/**
 * `npm run account:reset-password -- <email>`: the same reset as an admin's, from the server's
 * shell, for an installation where no admin can sign in. The password is always generated and
 * returned to be printed once. The admin log names the account itself as the actor (every entry
 * needs an account) and says it came from the command line, with the system user who ran it.
 */
export async function resetPasswordFromCommandLine(email: string, systemUser: string | null): Promise<CommandLineResetResult> {
  const found = userByEmail(email);
  const account = found ? accountSubjectOf(found.id) : undefined;
  const state = found ? passwordStateOf(found.id) : undefined;
  if (!found || !account || !state) return { ok: false, message: `There is no account with the e-mail address ${email.trim()}. Nothing was changed.` };
  const permission = can(COMMAND_LINE_OPERATOR, 'account.reset_password', account);
  if (!permission.ok) return { ok: false, message: `${permission.reason} Nothing was changed.` };
  const temporaryPassword = generateTemporaryPassword();
  const given = await giveTemporaryPassword(found, state.password_hash, temporaryPassword, {
    actorId: found.id,
    details: { generated: true, via: 'command_line', systemUser },
  });
  if (!given.ok) return { ok: false, message: `${found.name}’s password changed while it was being reset. Nothing was reset: run the command again.` };
  return {
    ok: true,
    name: found.name,
    email: found.email,
    temporaryPassword,
    expiresAt: given.expiresAt,
    sessionsEnded: given.sessionsEnded,
    message: `The password of ${found.name} (${found.email}) was reset; ${sessionsEndedText(given.sessionsEnded)}. The temporary password below works for one sign-in, until ${minuteUtc(given.expiresAt)} UTC; then ${found.name} must choose a new one before any other page.`,
  };
}

/** Why this admin may not reset this account's password (their own; password sign-in off), or null. */
export function passwordResetRefusal(actor: ActingUser, userId: number): string | null {
  const account = accountSubjectOf(userId);
  if (!account) return 'There is no such account.';
  const permission = can(actor, 'account.reset_password', account);
  return permission.ok ? null : permission.reason;
}

// ---- Chapters ----

export function addChapter(actor: ActingUser, input: { name: string; region: string }): AdminResult {
  const denied = guard(actor);
  if (denied) return denied;
  return transaction(() => {
    if (chapterByName(input.name)) return fieldError('name', 'A chapter with this name already exists.');
    const at = nowIso();
    const id = createChapter(input.name, input.region);
    appendAdminLog({ actorId: actor.id, action: 'chapter.create', targetChapterId: id, details: { name: input.name, region: input.region }, at });
    return { ok: true, id, message: `The chapter ${input.name} was created.` } as const;
  });
}

export function editChapter(
  actor: ActingUser,
  chapterId: number,
  input: { name: string; region: string; seenName?: string; seenRegion?: string },
): AdminResult {
  const denied = guard(actor);
  if (denied) return denied;
  const chapter = chapterById(chapterId);
  if (!chapter) return refused('not_found', 'There is no such chapter.');
  // A rename made on a page that showed another name or region would replace a change unseen.
  if (input.seenName !== undefined && (input.seenName !== chapter.name || (input.seenRegion ?? '') !== chapter.region)) {
    return refused('stale', `This chapter changed since you opened this page: it is now ${chapter.name}${chapter.region ? ` (${chapter.region})` : ''}. Check it, then save again.`);
  }
  if (chapter.name === input.name && chapter.region === input.region) {
    return { ok: true, id: chapterId, message: `Nothing changed for ${chapter.name}.` };
  }
  return transaction(() => {
    const clash = chapterByName(input.name);
    if (clash && clash.id !== chapterId) return fieldError('name', 'Another chapter already has this name.');
    const at = nowIso();
    renameChapter(chapterId, input.name, input.region);
    appendAdminLog({
      actorId: actor.id,
      action: 'chapter.rename',
      targetChapterId: chapterId,
      details: { from: { name: chapter.name, region: chapter.region }, to: { name: input.name, region: input.region } },
      at,
    });
    return { ok: true, id: chapterId, message: `The chapter ${chapter.name} is now ${input.name}.` } as const;
  });
}

export function setChapterStatus(actor: ActingUser, chapterId: number, active: boolean): AdminResult {
  const denied = guard(actor);
  if (denied) return denied;
  const chapter = chapterById(chapterId);
  if (!chapter) return refused('not_found', 'There is no such chapter.');
  if (Boolean(chapter.active) === active) {
    return { ok: true, id: chapterId, message: `${chapter.name} is already ${active ? 'active' : 'deactivated'}.` };
  }
  return transaction(() => {
    setChapterActive(chapterId, active);
    appendAdminLog({ actorId: actor.id, action: active ? 'chapter.reactivate' : 'chapter.deactivate', targetChapterId: chapterId, at: nowIso() });
    // Its members keep their accounts and its proposals stay on record; only new assignments stop.
    return { ok: true, id: chapterId, message: `${chapter.name} was ${active ? 'reactivated' : 'deactivated'}.` } as const;
  });
}

// ---- What the pages show ----

type AdminChange = { id: number; at: string; actor: string; text: string };

/** One log entry as a sentence: "changed X’s roles from A to B". */
function describeChange(entry: AdminLogEntry): AdminChange {
  const d = entry.details;
  const who = entry.target_user_name ?? 'an account';
  const chapter = (d.name as string | undefined) ?? entry.target_chapter_name ?? 'a chapter';
  const fromCommandLine = entry.action === 'user.password_reset' && d.via === 'command_line';
  const texts: Record<AdminLogEntry['action'], () => string> = {
    'user.create': () =>
      `created the account of ${who} (${String(d.email ?? '')}) as ${roleList((d.roles as string[]) ?? [])}${d.chapter ? `, ${String(d.chapter)}` : ''}`,
    'user.roles': () => `changed ${who}’s roles from ${roleList((d.from as string[]) ?? [])} to ${roleList((d.to as string[]) ?? [])}`,
    'user.chapter': () => `moved ${who} from ${String(d.from ?? 'no chapter')} to ${String(d.to ?? 'no chapter')}`,
    'user.deactivate': () =>
      `deactivated ${who}’s account${typeof d.sessionsEnded === 'number' ? ` (${d.sessionsEnded} open session${d.sessionsEnded === 1 ? '' : 's'} ended)` : ''}`,
    'user.reactivate': () => `reactivated ${who}’s account`,
    'user.sign_on_create': () =>
      `signed in with single sign-on for the first time (${String(d.email ?? '')}); the account was created ${
        ((d.roles as string[] | undefined) ?? []).length > 0 ? `as ${roleList(d.roles as string[])} from the provider’s groups` : 'inactive, waiting for an administrator'
      }`,
    'user.sign_on_link': () => `linked single sign-on (${String(d.email ?? '')}) to ${who}’s account by its verified e-mail`,
    'user.password_reset': () =>
      `reset ${who}’s password (${d.generated ? 'a generated' : 'a chosen'} temporary password${
        typeof d.sessionsEnded === 'number' ? `; ${d.sessionsEnded} open session${d.sessionsEnded === 1 ? '' : 's'} ended` : ''
      }${fromCommandLine ? `; npm run account:reset-password${typeof d.systemUser === 'string' ? `, run by the system user ${d.systemUser}` : ''}` : ''})`,
    'user.password_change': () =>
      `changed their own password${d.afterReset ? ' after a reset' : ''}${d.via === 'email_link' ? ' with a link e-mailed to them' : ''}${
        typeof d.sessionsEnded === 'number' && d.sessionsEnded > 0 ? ` (${d.sessionsEnded} other session${d.sessionsEnded === 1 ? '' : 's'} ended)` : ''
      }`,
    'chapter.create': () => `created the chapter ${chapter}`,
    'chapter.rename': () => {
      const from = d.from as { name: string; region: string } | undefined;
      const to = d.to as { name: string; region: string } | undefined;
      return `renamed the chapter ${from?.name ?? '?'}${from?.region ? ` (${from.region})` : ''} to ${to?.name ?? '?'}${to?.region ? ` (${to.region})` : ''}`;
    },
    'chapter.deactivate': () => `deactivated the chapter ${entry.target_chapter_name ?? ''}`,
    'chapter.reactivate': () => `reactivated the chapter ${entry.target_chapter_name ?? ''}`,
  };
  // A reset from the server's shell is logged under the account itself (every entry needs one): the person did not do it.
  const actor = fromCommandLine ? COMMAND_LINE_OPERATOR.name : entry.actor_name;
  return { id: entry.id, at: entry.at, actor, text: (texts[entry.action] ?? (() => entry.action))() };
}

/** A person as the admin pages list and show them. */
function personShown(u: ReturnType<typeof listUsers>[number]) {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    roles: u.roles,
    chapter: u.chapter_name,
    active: u.active === 1,
    awaitingAdmin: u.awaiting_admin === 1,
    mustChoosePassword: u.password_change_required === 1,
  };
}

export function usersPageData() {
  return {
    users: listUsers().map(personShown),
    chapters: listChapters(true).map((c) => ({ id: c.id, name: c.name })),
    changes: recentAdminLog({ kind: 'user', limit: 20 }).map(describeChange),
  };
}

export function userPageData(userId: number) {
  const user = userById(userId);
  if (!user) return null;
  return {
    user: { ...personShown(user), chapterId: user.chapter_id, access: accessShown(user) },
    // Active chapters, plus the person's own even if it was deactivated since.
    chapters: listChapters()
      .filter((c) => c.active === 1 || c.id === user.chapter_id)
      .map((c) => ({ id: c.id, name: c.active ? c.name : `${c.name} (deactivated)` })),
    changes: recentAdminLog({ userId, limit: 50 }).map(describeChange),
  };
}

export function chaptersPageData() {
  const members = activeMembersByChapter();
  return {
    chapters: listChapters().map((c) => ({
      id: c.id,
      name: c.name,
      region: c.region,
      active: c.active === 1,
      members: members.get(c.id) ?? 0,
    })),
    changes: recentAdminLog({ kind: 'chapter', limit: 20 }).map(describeChange),
  };
}
