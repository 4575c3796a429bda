import { beforeEach, describe, expect, it } from 'vitest';
import { THROTTLE, throttleVerdict } from '../../app/features/auth/throttle.server';
import { recordLoginAttempt } from '../../db/login-attempts';
import { freshDatabase } from '../support/db';

// The sign-in throttle's verdicts (docs/decisions/0007-sign-in-throttling.md) on a real
// database: guessing from one address is blocked, guessing from many is slowed, and a
// stranger's failures never lock the owner out.

const OWNER = 'staff@cosponsor.test';
const STRANGER = '198.51.100.66';
const HOME = '203.0.113.20';
const NEW_PLACE = '203.0.113.99';
const now = Date.parse('2026-11-29T12:00:00.000Z');
const at = (msAgo: number) => new Date(now - msAgo).toISOString();
const minutes = 60_000;
const days = 24 * 60 * minutes;

function failures(email: string, ip: string, count: number, msAgo = minutes) {
  for (let i = 0; i < count; i++) recordLoginAttempt(email, ip, false, at(msAgo - i * 1000));
}

beforeEach(() => {
  freshDatabase('empty');
});

describe('a stranger guessing one account from their own address', () => {
  it('is blocked at that address after 8 failures, and told in how many minutes', () => {
    failures(OWNER, STRANGER, 7);
    expect(throttleVerdict(OWNER, STRANGER, now)).toMatchObject({ blocked: false });
    failures(OWNER, STRANGER, 1);
    expect(throttleVerdict(OWNER, STRANGER, now)).toEqual({ blocked: true, retryInMinutes: 14 });
  });

  it('does not lock the owner out from another address, new or known', () => {
    recordLoginAttempt(OWNER, HOME, true, at(2 * days));
    failures(OWNER, STRANGER, 25);
    // Home, where the owner signed in two days ago: neither blocked nor slowed.
    expect(throttleVerdict(OWNER, HOME, now)).toEqual({ blocked: false, delayMs: 0 });
    // Somewhere new: slowed (at most the cap), never blocked.
    expect(throttleVerdict(OWNER, NEW_PLACE, now)).toEqual({ blocked: false, delayMs: THROTTLE.maxDelayMs });
  });

  it('stays blocked at the stranger’s address after the owner signs in elsewhere', () => {
    failures(OWNER, STRANGER, 8);
    recordLoginAttempt(OWNER, HOME, true, at(10_000));
    expect(throttleVerdict(OWNER, STRANGER, now)).toMatchObject({ blocked: true });
    expect(throttleVerdict(OWNER, HOME, now)).toEqual({ blocked: false, delayMs: 0 });
  });

  it('forgets an address where the owner last signed in long ago', () => {
    recordLoginAttempt(OWNER, HOME, true, at(THROTTLE.knownAddressMs + days));
    failures(OWNER, STRANGER, 25);
    expect(throttleVerdict(OWNER, HOME, now)).toEqual({ blocked: false, delayMs: THROTTLE.maxDelayMs });
  });
});

describe('guessing one account from many addresses', () => {
  it('slows sign-in down more with each failure, up to the cap, and never blocks', () => {
    let address = 0;
    const spread = (count: number) => {
      for (let i = 0; i < count; i++) recordLoginAttempt(OWNER, `192.0.${Math.floor(++address / 256)}.${address % 256}`, false, at(minutes));
    };
    spread(2);
    expect(throttleVerdict(OWNER, NEW_PLACE, now)).toEqual({ blocked: false, delayMs: 0 });
    spread(3); // 5 failures: the third past the threshold
    expect(throttleVerdict(OWNER, NEW_PLACE, now)).toEqual({ blocked: false, delayMs: Math.min(THROTTLE.maxDelayMs, 3 * THROTTLE.delayStepMs) });
    spread(100);
    expect(throttleVerdict(OWNER, NEW_PLACE, now)).toEqual({ blocked: false, delayMs: THROTTLE.maxDelayMs });
    // Each of those addresses may still try that account (it has one failure), slowed.
    expect(throttleVerdict(OWNER, '192.0.0.1', now)).toEqual({ blocked: false, delayMs: THROTTLE.maxDelayMs });
  });

  it('counts the account’s failures only since its last success', () => {
    for (let i = 0; i < 20; i++) recordLoginAttempt(OWNER, `192.0.2.${i + 1}`, false, at(2 * minutes));
    recordLoginAttempt(OWNER, HOME, true, at(minutes));
    expect(throttleVerdict(OWNER, NEW_PLACE, now)).toEqual({ blocked: false, delayMs: 0 });
  });
});

describe('one address guessing many accounts', () => {
  it('is blocked after 30 failures, whatever its own account’s success in between', () => {
    for (let i = 0; i < 29; i++) recordLoginAttempt(`victim${i}@cosponsor.test`, STRANGER, false, at(2 * minutes));
    recordLoginAttempt('attacker@cosponsor.test', STRANGER, true, at(minutes + 1000));
    expect(throttleVerdict('victim99@cosponsor.test', STRANGER, now)).toMatchObject({ blocked: false });
    recordLoginAttempt('victim29@cosponsor.test', STRANGER, false, at(minutes));
    expect(throttleVerdict('victim99@cosponsor.test', STRANGER, now)).toEqual({ blocked: true, retryInMinutes: 13 });
    // Blocked for its own account too: the address is what is blocked.
    expect(throttleVerdict('attacker@cosponsor.test', STRANGER, now)).toMatchObject({ blocked: true });
    // The owner elsewhere is not affected.
    expect(throttleVerdict(OWNER, HOME, now)).toEqual({ blocked: false, delayMs: 0 });
  });

  it('lifts every block once the window has passed', () => {
    failures(OWNER, STRANGER, 40, THROTTLE.windowMs + minutes);
    expect(throttleVerdict(OWNER, STRANGER, now)).toEqual({ blocked: false, delayMs: 0 });
  });
});
