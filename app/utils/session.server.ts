import { createHash, randomBytes } from 'node:crypto';
import { createCookie, createCookieSessionStorage, redirect } from '@remix-run/node';
import { nowIso } from '../../db/connection';
import { insertSession, liveSession, revokeSession } from '../../db/sessions';
import { userById, type UserWithRoles } from '../../db/users';
import { appSecret, env } from './env.server';

// Secure always in production (whatever protocol the proxy in front reports),
// and whenever the page was served over HTTPS; plain http://127.0.0.1 in development.
// (Read through a variable: the compiler replaces a literal process.env.NODE_ENV at build time.)
const runtimeEnv = process.env;
const secureCookie = (request: Request) => runtimeEnv.NODE_ENV === 'production' || new URL(request.url).protocol === 'https:';
const secret = appSecret();
export const SESSION_TTL_MS = env().SESSION_TTL_HOURS * 3600_000;

const sessionCookie = createCookie('cosponsor_session', {
  httpOnly: true,
  sameSite: 'lax',
  path: '/',
  secrets: [secret],
  maxAge: Math.floor(SESSION_TTL_MS / 1000),
});

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export type SessionUser = UserWithRoles & { sessionIdHash: string };

async function tokenOf(request: Request): Promise<string | null> {
  const value = await sessionCookie.parse(request.headers.get('Cookie'));
  return typeof value === 'string' && value.length > 20 ? value : null;
}

/** The signed-in user, or null. A revoked, expired or deactivated session counts as none. */
export async function getSessionUser(request: Request): Promise<SessionUser | null> {
  const token = await tokenOf(request);
  if (!token) return null;
  const idHash = hashToken(token);
  const session = liveSession(idHash, nowIso());
  if (!session) return null;
  const user = userById(session.user_id);
  return user ? { ...user, sessionIdHash: idHash } : null;
}

/**
 * Whether a Cookie header carries a live session; the HTTP layer asks before it
 * reads the body of a post to a signed-in page.
 */
export async function hasLiveSession(cookieHeader: string | null): Promise<boolean> {
  const value = await sessionCookie.parse(cookieHeader);
  if (typeof value !== 'string' || value.length <= 20) return false;
  return Boolean(liveSession(hashToken(value), nowIso()));
}

/**
 * Starts a new session (always a new id) and returns the Set-Cookie header. The session this
 * browser held is ended first: the browser forgets its cookie, and a copy of it taken before
 * (on a shared computer, say) must not go on signing someone in for weeks.
 */
export async function startSession(userId: number, request: Request): Promise<string> {
  const previous = await tokenOf(request);
  if (previous) revokeSession(hashToken(previous), nowIso());
  const token = randomBytes(32).toString('base64url');
  const now = Date.now();
  insertSession({
    idHash: hashToken(token),
    userId,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + SESSION_TTL_MS).toISOString(),
    ip: clientAddress(request),
    userAgent: request.headers.get('User-Agent') ?? '',
  });
  return sessionCookie.serialize(token, { secure: secureCookie(request) });
}

export async function endSession(request: Request): Promise<string> {
  const token = await tokenOf(request);
  if (token) revokeSession(hashToken(token), nowIso());
  return sessionCookie.serialize('', { maxAge: 0, secure: secureCookie(request) });
}

export function clientAddress(request: Request): string {
  // Set by our own HTTP layer from the socket (or the proxy when TRUST_PROXY=true).
  return request.headers.get('X-Cosponsor-Client-Ip') ?? 'unknown';
}

// ---- Flash messages: one short confirmation shown after a redirect ----

const flashStorage = createCookieSessionStorage({
  cookie: { name: 'cosponsor_flash', httpOnly: true, sameSite: 'lax', path: '/', secrets: [secret] },
});

export type Flash = { kind: 'success' | 'info' | 'error'; message: string };

export async function redirectWithFlash(url: string, flash: Flash, init: { headers?: HeadersInit } = {}) {
  const session = await flashStorage.getSession();
  session.flash('flash', flash);
  const headers = new Headers(init.headers);
  headers.append('Set-Cookie', await flashStorage.commitSession(session));
  return redirect(url, { headers });
}

export async function readFlash(request: Request): Promise<{ flash: Flash | null; setCookie: string }> {
  const session = await flashStorage.getSession(request.headers.get('Cookie'));
  const flash = (session.get('flash') as Flash | undefined) ?? null;
  return { flash, setCookie: await flashStorage.commitSession(session) };
}


// ---- The single sign-on flow in progress: state, nonce and PKCE verifier, signed, for ten minutes ----

const signOnCookie = createCookie('cosponsor_sign_on', {
  httpOnly: true,
  // Lax: the provider sends the browser back with a top-level GET, which carries it.
  sameSite: 'lax',
  path: '/auth/oidc',
  secrets: [secret],
  maxAge: 600,
});

/** Set-Cookie for a flow in progress; the value is signed, so it comes back unchanged or not at all. */
export function keepSignOnFlow(flow: Record<string, unknown>, request: Request): Promise<string> {
  return signOnCookie.serialize(flow, { secure: secureCookie(request) });
}

export async function readSignOnFlow(request: Request): Promise<unknown> {
  return (await signOnCookie.parse(request.headers.get('Cookie'))) as unknown;
}

/** Each flow is used once: the callback forgets it whatever the outcome. */
export function forgetSignOnFlow(request: Request): Promise<string> {
  return signOnCookie.serialize('', { maxAge: 0, secure: secureCookie(request) });
}

// ---- A partner's questionnaire opened with its passcode: the link's id, signed, on that link's path only ----

const PARTNER_UNLOCK_MS = 2 * 3600_000;
const partnerUnlockCookie = createCookie('cosponsor_partner', { httpOnly: true, sameSite: 'lax', secrets: [secret] });

/** Set-Cookie that keeps this questionnaire open for two hours (no account, no session). */
export function keepPartnerUnlock(linkId: number, path: string, request: Request): Promise<string> {
  return partnerUnlockCookie.serialize(
    { linkId, until: Date.now() + PARTNER_UNLOCK_MS },
    { path, maxAge: PARTNER_UNLOCK_MS / 1000, secure: secureCookie(request) },
  );
}

/** The link this browser unlocked, if the signed cookie is still valid; else null. */
export async function readPartnerUnlock(request: Request): Promise<number | null> {
  const value = (await partnerUnlockCookie.parse(request.headers.get('Cookie'))) as { linkId?: unknown; until?: unknown } | null;
  if (!value || typeof value.linkId !== 'number' || typeof value.until !== 'number' || value.until < Date.now()) return null;
  return value.linkId;
}
