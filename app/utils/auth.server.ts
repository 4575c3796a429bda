import { redirect } from '@remix-run/node';
import { proposalRow } from '../../db/proposals';
import { can, mustChoosePasswordFirst, type Action, type ActingUser } from '../../workflows/policy';
import type { Proposal } from '../../db/schema';
import { env } from './env.server';
import { toResponse } from './errors.server';
import { pathId } from './path-id';
import { getSessionUser, type SessionUser } from './session.server';

// require* helpers: every loader and action starts with one. They throw
// Responses, so a route cannot forget to stop when access is refused.

export function actingUser(user: SessionUser): ActingUser {
  return { id: user.id, name: user.name, roles: user.roles, chapterId: user.chapter_id };
}

export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getSessionUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = `${url.pathname}${url.search}`;
    const login = back === '/' ? '/login' : `/login?redirectTo=${encodeURIComponent(back)}`;
    if (request.method === 'GET' || request.method === 'HEAD') throw redirect(login);
    throw toResponse({ kind: 'signed_out', message: 'Your session has ended. Sign in again; what you typed was not saved.' }, { login });
  }
  if (mustChoosePasswordFirst({ passwordChangeRequired: user.password_change_required === 1 }, env().LOCAL_LOGIN) && new URL(request.url).pathname !== ACCOUNT_PAGE) {
    // After an administrator's reset, the page to choose a new password comes before any other.
    if (request.method === 'GET' || request.method === 'HEAD') throw redirect(ACCOUNT_PAGE);
    throw toResponse({ kind: 'forbidden', message: 'Choose a new password first: an administrator reset yours. Nothing was saved.' });
  }
  return user;
}

/** The signed-in person's own page, where the password is changed (and chosen after a reset). */
const ACCOUNT_PAGE = '/account';

/** A 403 with the reason, shown by the error page. */
export function forbidden(reason: string): never {
  throw toResponse({ kind: 'forbidden', message: reason });
}

export function notFound(what: string): never {
  throw toResponse({ kind: 'not_found', message: `${what} was not found.` });
}

export async function requirePermission(request: Request, action: Action, subject?: Parameters<typeof can>[2]) {
  const user = await requireUser(request);
  const permission = can(actingUser(user), action, subject);
  if (!permission.ok) forbidden(permission.reason);
  return user;
}

/** The proposal, if the user may see it (404 if absent, 403 if another chapter's). */
export async function requireProposal(request: Request, idParam: string | undefined, action: Action = 'proposal.view') {
  const user = await requireUser(request);
  const id = pathId(idParam);
  const proposal = id !== null ? proposalRow(id) : undefined;
  if (!proposal) notFound('This proposal');
  const permission = can(actingUser(user), action, proposal);
  if (!permission.ok) forbidden(permission.reason);
  return { user, proposal: proposal as Proposal };
}
