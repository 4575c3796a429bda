import { recentFailures, recordLoginAttempt } from '../../../db/login-attempts';
import { env } from '../../utils/env.server';

// Sign-in throttling (docs/decisions/0007-sign-in-throttling.md): failures for
// one account or one address within a window first slow sign-in down, then
// block it until the window has passed. Messages never say whether the e-mail exists.

export const THROTTLE = {
  windowMs: env().THROTTLE_WINDOW_MS,
  slowAfter: 3,
  blockAfterPerAccount: 8,
  blockAfterPerAddress: 30,
  delayStepMs: env().THROTTLE_DELAY_STEP_MS,
  maxDelayMs: 5000,
};

export type ThrottleVerdict = { blocked: true; retryInMinutes: number } | { blocked: false; delayMs: number };

export function throttleVerdict(email: string, ip: string, now = Date.now()): ThrottleVerdict {
  const since = new Date(now - THROTTLE.windowMs).toISOString();
  const { byEmail, byIp } = recentFailures(email, ip, since);
  const blockedBy = [
    byEmail.n >= THROTTLE.blockAfterPerAccount ? byEmail.oldest : null,
    byIp.n >= THROTTLE.blockAfterPerAddress ? byIp.oldest : null,
  ].filter((v): v is string => Boolean(v));
  if (blockedBy.length > 0) {
    const liftsAt = Math.max(...blockedBy.map((oldest) => Date.parse(oldest) + THROTTLE.windowMs));
    return { blocked: true, retryInMinutes: Math.max(1, Math.ceil((liftsAt - now) / 60_000)) };
  }
  const failures = Math.max(byEmail.n, Math.floor(byIp.n / 3));
  const over = failures - THROTTLE.slowAfter + 1;
  return { blocked: false, delayMs: over > 0 ? Math.min(THROTTLE.maxDelayMs, over * THROTTLE.delayStepMs) : 0 };
}

export function noteSignInAttempt(email: string, ip: string, success: boolean): void {
  recordLoginAttempt(email, ip, success, new Date().toISOString());
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
