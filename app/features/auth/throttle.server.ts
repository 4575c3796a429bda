import { recentFailures, recordLoginAttempt } from '../../../db/login-attempts';
import { env } from '../../utils/env.server';

// Sign-in throttling (docs/decisions/0007-sign-in-throttling.md). Guessing one account from
// one address, or many accounts from one address, is blocked until the window has passed.
// Guessing one account from many addresses only slows sign-in down: a block there would let
// anyone who knows an e-mail lock its owner out. An address the account has signed in from
// recently is not slowed by other addresses' failures at all.
// Messages never say whether the e-mail exists.

export const THROTTLE = {
  windowMs: env().THROTTLE_WINDOW_MS,
  slowAfter: 3,
  blockAfterPerPair: 8,
  blockAfterPerAddress: 30,
  delayStepMs: env().THROTTLE_DELAY_STEP_MS,
  maxDelayMs: 5000,
  knownAddressMs: 30 * 24 * 60 * 60_000,
};

export type ThrottleVerdict = { blocked: true; retryInMinutes: number } | { blocked: false; delayMs: number };

export function throttleVerdict(email: string, ip: string, now = Date.now()): ThrottleVerdict {
  const since = new Date(now - THROTTLE.windowMs).toISOString();
  const knownSince = new Date(now - THROTTLE.knownAddressMs).toISOString();
  const { pair, account, address, knownAddress } = recentFailures(email, ip, since, knownSince);
  const blockedBy = [
    pair.n >= THROTTLE.blockAfterPerPair ? pair.oldest : null,
    address.n >= THROTTLE.blockAfterPerAddress ? address.oldest : null,
  ].filter((v): v is string => Boolean(v));
  if (blockedBy.length > 0) {
    const liftsAt = Math.max(...blockedBy.map((oldest) => Date.parse(oldest) + THROTTLE.windowMs));
    return { blocked: true, retryInMinutes: Math.max(1, Math.ceil((liftsAt - now) / 60_000)) };
  }
  // From a known address, only this address's own failures count.
  const failures = Math.max(pair.n, Math.floor(address.n / 3), knownAddress ? 0 : account.n);
  const over = failures - THROTTLE.slowAfter + 1;
  return { blocked: false, delayMs: over > 0 ? Math.min(THROTTLE.maxDelayMs, over * THROTTLE.delayStepMs) : 0 };
}

export function noteSignInAttempt(email: string, ip: string, success: boolean): void {
  recordLoginAttempt(email, ip, success, new Date().toISOString());
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
