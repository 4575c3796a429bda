// Single sign-on with OpenID Connect (docs/decisions/0130-single-sign-on.md): the
// authorization code flow with PKCE, state and nonce, through openid-client. The
// browser carries the flow's secrets in a signed, short-lived cookie
// (sign-on-cookie.server.ts); this module never sees a Request or a Response.
import * as oidc from 'openid-client';
import { z } from 'zod';
import { nowIso, transaction } from '../../../db/connection';
import { appendAdminLog } from '../../../db/admin-log';
import { createSignOnUser, identityUser, linkedSubject, linkIdentity, noteIdentitySignIn } from '../../../db/identities';
import { userByEmail, userById } from '../../../db/users';
import { rolesFromSignOnGroups } from '../../../workflows/policy';
import { env } from '../../utils/env.server';
import { noteSignInAttempt, throttleVerdict } from './throttle.server';

export type SignOnProvider = { name: string; issuer: string; clientId: string; clientSecret: string; roleClaim?: string };

/** The configured provider, or null when single sign-on is off. */
export function signOnProvider(): SignOnProvider | null {
  const e = env();
  if (!e.OIDC_ISSUER || !e.OIDC_CLIENT_ID || !e.OIDC_CLIENT_SECRET) return null;
  return {
    name: e.OIDC_PROVIDER_NAME ?? new URL(e.OIDC_ISSUER).hostname,
    issuer: e.OIDC_ISSUER,
    clientId: e.OIDC_CLIENT_ID,
    clientSecret: e.OIDC_CLIENT_SECRET,
    roleClaim: e.OIDC_ROLE_CLAIM,
  };
}

export const localLoginAllowed = () => env().LOCAL_LOGIN;

/** What the browser keeps between leaving for the provider and coming back. */
export type PendingSignOn = { state: string; nonce: string; verifier: string; redirectTo: string; issuer: string; expiresAt: number };
const PENDING_TTL_MS = 10 * 60_000;

const pendingSchema = z.object({
  state: z.string().min(16).max(200),
  nonce: z.string().min(16).max(200),
  verifier: z.string().min(43).max(128),
  redirectTo: z.string().max(2000),
  issuer: z.string().max(2000),
  expiresAt: z.number(),
});

/** The flow the browser brought back (already signature-checked by the cookie), or null. */
export function pendingSignOnOf(value: unknown): PendingSignOn | null {
  const parsed = pendingSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Where the provider sends the browser back: APP_URL when set (behind a proxy), else this request's origin. */
export function signOnRedirectUri(requestUrl: string): string {
  const base = env().APP_URL ?? new URL(requestUrl).origin;
  return new URL('/auth/oidc/callback', base).href;
}

export type SignOnRefusal = { ok: false; kind: 'refused' | 'unavailable' | 'throttled' | 'waiting'; message: string };

// Discovery once per issuer and client, kept while it works. A failure is not kept:
// the next click tries again, with the same deadline.
let discovered: { key: string; config: Promise<oidc.Configuration> } | null = null;

function configuration(provider: SignOnProvider): Promise<oidc.Configuration> {
  const key = `${provider.issuer}\n${provider.clientId}\n${provider.clientSecret}`;
  if (discovered?.key === key) return discovered.config;
  const issuer = new URL(provider.issuer);
  const config = oidc.discovery(issuer, provider.clientId, undefined, oidc.ClientSecretPost(provider.clientSecret), {
    // Every call to the provider (discovery, token, keys, userinfo) has this deadline, in seconds.
    timeout: Math.max(1, Math.ceil(env().OUTSIDE_TIMEOUT_MS / 1000)),
    // Plain http only for a loopback issuer (the environment refuses any other http issuer).
    execute: issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
  });
  discovered = { key, config };
  config.catch(() => {
    if (discovered?.config === config) discovered = null;
  });
  return config;
}

const throttleKey = (ip: string) => `sign-on:${ip}`;

function unavailable(provider: SignOnProvider): SignOnRefusal {
  return {
    ok: false,
    kind: 'unavailable',
    message: `${provider.name} is not answering right now, so single sign-on is not possible at the moment. Try again in a few minutes.`,
  };
}

function throttled(retryInMinutes: number): SignOnRefusal {
  return {
    ok: false,
    kind: 'throttled',
    message: `Too many failed sign-ins from your network. Sign-in is paused; try again in ${retryInMinutes} minute${retryInMinutes === 1 ? '' : 's'}.`,
  };
}

/** The provider's address to send the browser to, and what the browser must bring back. */
export async function beginSignOn(input: { redirectUri: string; redirectTo: string; ip: string }): Promise<
  { ok: true; authorizationUrl: string; pending: PendingSignOn } | SignOnRefusal
> {
  const provider = signOnProvider();
  if (!provider) return { ok: false, kind: 'refused', message: 'Single sign-on is not set up here. Sign in with your e-mail and password.' };
  const verdict = throttleVerdict(throttleKey(input.ip), input.ip);
  if (verdict.blocked) return throttled(verdict.retryInMinutes);
  let config: oidc.Configuration;
  try {
    config = await configuration(provider);
  } catch {
    return unavailable(provider);
  }
  const pending: PendingSignOn = {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    verifier: oidc.randomPKCECodeVerifier(),
    redirectTo: input.redirectTo,
    issuer: provider.issuer,
    expiresAt: Date.now() + PENDING_TTL_MS,
  };
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: input.redirectUri,
    scope: 'openid email profile',
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: 'S256',
  });
  return { ok: true, authorizationUrl: authorizationUrl.href, pending };
}

/** Why the provider's answer was not accepted, in words for the person who sees it. */
function refusalOf(error: unknown, provider: SignOnProvider): SignOnRefusal {
  const restart = 'Nothing was changed. Go back to the sign-in page and start again.';
  if (error instanceof oidc.AuthorizationResponseError) {
    const why = error.error === 'access_denied' ? 'the sign-in was cancelled or refused there' : `it answered “${error.error}”`;
    return { ok: false, kind: 'refused', message: `${provider.name} did not sign you in: ${why}. ${restart}` };
  }
  // openid-client names the kind of failure; the check that failed is in the cause's message.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
  const text = error instanceof Error ? `${error.message} ${cause} ${String((error as { code?: unknown }).code ?? '')}` : String(error);
  if (/"state"/.test(text)) {
    return { ok: false, kind: 'refused', message: `This answer does not belong to the sign-in this browser started (the state does not match). ${restart}` };
  }
  if (/"nonce"/.test(text)) {
    return { ok: false, kind: 'refused', message: `The identity token from ${provider.name} was not issued for this sign-in (the nonce does not match). ${restart}` };
  }
  if (error instanceof oidc.ResponseBodyError) {
    // The provider refused the code: used already, expired, or sent with the wrong PKCE verifier.
    return { ok: false, kind: 'refused', message: `${provider.name} did not accept this sign-in (${error.error}). ${restart}` };
  }
  if (error instanceof TypeError || (error instanceof Error && /timeout|abort|fetch failed|ECONNREFUSED/i.test(text))) return unavailable(provider);
  return { ok: false, kind: 'refused', message: `The answer from ${provider.name} could not be checked, so it was not accepted. ${restart}` };
}

type Claims = { sub: string; email?: unknown; email_verified?: unknown; name?: unknown; [claim: string]: unknown };

/**
 * Checks the provider's answer against what this browser started (state, nonce, PKCE) and
 * signs the person in: the account linked to this identity, else the account with the same
 * verified e-mail, else a new account that waits for an administrator.
 */
export async function finishSignOn(input: { callbackUrl: URL; pending: PendingSignOn | null; ip: string }): Promise<{ ok: true; userId: number; redirectTo: string } | SignOnRefusal> {
  const provider = signOnProvider();
  if (!provider) return { ok: false, kind: 'refused', message: 'Single sign-on is not set up here.' };
  const fail = (refusal: SignOnRefusal): SignOnRefusal => {
    // A provider that is down is not the visitor's failure.
    if (refusal.kind === 'refused') noteSignInAttempt(throttleKey(input.ip), input.ip, false);
    return refusal;
  };
  const verdict = throttleVerdict(throttleKey(input.ip), input.ip);
  if (verdict.blocked) return throttled(verdict.retryInMinutes);
  const { pending } = input;
  if (!pending || pending.expiresAt < Date.now() || pending.issuer !== provider.issuer) {
    return fail({
      ok: false,
      kind: 'refused',
      message: 'This sign-in was not started in this browser, or it took longer than 10 minutes. Nothing was changed. Go back to the sign-in page and start again.',
    });
  }

  let config: oidc.Configuration;
  try {
    config = await configuration(provider);
  } catch {
    return unavailable(provider);
  }
  let claims: Claims;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, input.callbackUrl, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims) throw new Error('no ID token');
    claims = { ...idClaims };
    // Providers put e-mail and name in the ID token or only at the userinfo endpoint.
    if (config.serverMetadata().userinfo_endpoint && (claims.email === undefined || claims.email_verified === undefined)) {
      const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      claims = { ...info, ...claims, email: claims.email ?? info.email, email_verified: claims.email_verified ?? info.email_verified };
    }
  } catch (error) {
    return fail(refusalOf(error, provider));
  }

  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (!email) {
    return fail({ ok: false, kind: 'refused', message: `${provider.name} did not tell us your e-mail address, so we cannot find your account. Ask your administrator.` });
  }
  if (claims.email_verified !== true) {
    return fail({
      ok: false,
      kind: 'refused',
      message: `${provider.name} has not verified the e-mail address ${email}, so it cannot be used to sign in here. Verify it with ${provider.name} first, then try again.`,
    });
  }

  const at = nowIso();
  const linked = transaction((): { userId: number } | SignOnRefusal => {
    const known = identityUser(provider.issuer, claims.sub);
    if (known !== undefined) {
      noteIdentitySignIn(provider.issuer, claims.sub, email, at);
      return { userId: known };
    }
    const existing = userByEmail(email);
    if (existing) {
      const other = linkedSubject(existing.id, provider.issuer);
      if (other !== undefined) {
        return {
          ok: false,
          kind: 'refused',
          message: `The account for ${email} is already linked to another ${provider.name} identity. Ask an administrator.`,
        };
      }
      linkIdentity({ issuer: provider.issuer, subject: claims.sub, userId: existing.id, email, at });
      noteIdentitySignIn(provider.issuer, claims.sub, email, at);
      appendAdminLog({ actorId: existing.id, action: 'user.sign_on_link', targetUserId: existing.id, details: { email, issuer: provider.issuer }, at });
      return { userId: existing.id };
    }
    const roles = provider.roleClaim ? rolesFromSignOnGroups(claims[provider.roleClaim]) : [];
    const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : email;
    const userId = createSignOnUser({ email, name, roles, at });
    linkIdentity({ issuer: provider.issuer, subject: claims.sub, userId, email, at });
    noteIdentitySignIn(provider.issuer, claims.sub, email, at);
    appendAdminLog({ actorId: userId, action: 'user.sign_on_create', targetUserId: userId, details: { email, roles, issuer: provider.issuer }, at });
    return { userId };
  });
  if ('ok' in linked) return fail(linked);

  const user = userById(linked.userId);
  if (!user) return fail({ ok: false, kind: 'refused', message: 'That account no longer exists. Ask an administrator.' });
  if (user.awaiting_admin) {
    return {
      ok: false,
      kind: 'waiting',
      message: `Your account (${user.email}) was created and is waiting for an administrator to give it a role and a chapter. You can sign in once they have.`,
    };
  }
  if (!user.active) {
    noteSignInAttempt(email, input.ip, false);
    return { ok: false, kind: 'refused', message: `The account for ${user.email} has been deactivated. Ask an administrator if you need it again.` };
  }
  noteSignInAttempt(email, input.ip, true);
  return { ok: true, userId: user.id, redirectTo: pending.redirectTo };
}
