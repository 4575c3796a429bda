import { describe, expect, it } from 'vitest';
import { generateTemporaryPassword, passwordProblem } from '../../app/features/auth/password-rules.server';

// What a new password may not be: too short, the person's e-mail or name, the app's name,
// a famous password, a run of keys or digits, one thing repeated.

const dana = { email: 'dana.okafor@cosponsor.test', name: 'Dana Okafor' };

describe('a new password', () => {
  it('is accepted when long and unrelated to the person', () => {
    for (const ok of ['harbour lantern violet seventy', 'Kq8#vT2m!pLz', 'tres-gatos-azules-2026']) expect(passwordProblem(ok, dana), ok).toBeNull();
  });

  it('needs 12 characters, counted as a person counts them', () => {
    expect(passwordProblem('short-one', dana)).toBe(
      'The password is too short: use at least 12 characters (this one has 9). A few words together are long and easy to remember.',
    );
    // Eleven letters, some of them outside ASCII: still eleven.
    expect(passwordProblem('ñandú-çéàüö', dana)).toMatch(/this one has 11\)/);
  });

  it('may not contain the e-mail address or its name part, or the person’s name', () => {
    expect(passwordProblem('dana.okafor@cosponsor.test', dana)).toMatch(/contains your e-mail address/);
    expect(passwordProblem('DanaOkafor-2026!', dana)).toMatch(/contains your e-mail address/);
    expect(passwordProblem('i am okafor and proud', dana)).toMatch(/contains your name/);
  });

  it('may not be one of the first guesses', () => {
    expect(passwordProblem('Password1234!', dana)).toMatch(/first passwords anyone would try/);
    expect(passwordProblem('qwertyuiop12', dana)).toMatch(/first passwords anyone would try/);
    expect(passwordProblem('123456789012', dana)).toMatch(/first passwords anyone would try/);
    expect(passwordProblem('abcdefghijklm', dana)).toMatch(/first passwords anyone would try/);
    expect(passwordProblem('aaaaaaaaaaaaaa', dana)).toMatch(/repeats the same few characters/);
    expect(passwordProblem('abcabcabcabc', dana)).toMatch(/repeats the same few characters/);
    expect(passwordProblem('cosponsor-demo', dana)).toMatch(/name of this app/);
    expect(passwordProblem('4927-1836-5028', dana)).toMatch(/digits and symbols only/);
  });
});

describe('a temporary password', () => {
  it('is 16 random characters without look-alikes, in four groups, different each time', () => {
    const made = new Set(Array.from({ length: 200 }, generateTemporaryPassword));
    expect(made.size).toBe(200);
    for (const p of made) expect(p).toMatch(/^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){3}$/);
  });
});
