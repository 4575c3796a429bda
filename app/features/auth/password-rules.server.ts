import { randomInt } from 'node:crypto';
import { MAX_PASSWORD_BYTES, MIN_PASSWORD_LENGTH } from './password.server';

// What a new password must be (docs/decisions/0380-password-change-and-reset.md): long enough
// (0005), and not one of the first guesses anyone would try against this person: their e-mail,
// their name, the app's name, a famous password, a keyboard or counting run, one character
// repeated. Length is the real defence; these only stop the choices an attacker tries first.

/** Cores of the passwords people choose first, compared with digits and symbols taken away. */
const COMMON = new Set([
  'password', 'passwort', 'motdepasse', 'contrasena', 'qwerty', 'qwertz', 'azerty', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm',
  'letmein', 'welcome', 'iloveyou', 'admin', 'administrator', 'changeme', 'secret', 'trustno', 'monkey', 'dragon',
  'football', 'baseball', 'sunshine', 'princess', 'master', 'login', 'abc', 'abcdef', 'abcdefghijkl', 'temporary',
  'temppassword', 'newpassword', 'mypassword', 'passw', 'pass', 'test', 'testtest', 'default', 'guest', 'user',
]);

const RUNS = ['abcdefghijklmnopqrstuvwxyz', '0123456789', 'qwertyuiopasdfghjklzxcvbnm', '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p'];

/** Whether the text is a stretch of one of the runs (either way), or those runs repeated. */
function isRun(text: string): boolean {
  if (text.length < 4) return false;
  for (const run of RUNS) {
    const both = [run.repeat(3), [...run].reverse().join('').repeat(3)];
    if (both.some((r) => r.includes(text))) return true;
  }
  return false;
}

const letters = (text: string) => text.toLowerCase().normalize('NFKD').replace(/[^a-z]/g, '');

/**
 * Why this password may not be chosen by this person, or null. The message says what to do,
 * and never repeats the password.
 */
export function passwordProblem(password: string, person: { email: string; name: string }): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    return `The password is too short: use at least ${MIN_PASSWORD_LENGTH} characters (this one has ${length}). A few words together are long and easy to remember.`;
  }
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) return 'A password can be at most 1,024 bytes long.';
  const lower = password.toLowerCase();
  const compact = lower.replace(/[\s\-_.]/g, '');
  if (/^(.)\1*$/su.test(compact) || /^(.{1,3})\1+$/su.test(compact)) {
    return 'The password repeats the same few characters: guessing programs try those first. Use a few unrelated words.';
  }
  const email = person.email.trim().toLowerCase();
  const local = email.split('@')[0] ?? '';
  if (lower.includes(email) || (letters(local).length >= 4 && letters(lower).includes(letters(local)))) {
    return 'The password contains your e-mail address: anyone who knows it would try that first. Choose something else.';
  }
  const nameParts = person.name.split(/\s+/).map(letters).filter((part) => part.length >= 4);
  if (nameParts.some((part) => letters(lower).includes(part))) {
    return 'The password contains your name: anyone who knows you would try that first. Choose something else.';
  }
  const core = letters(password);
  if (core.includes('cosponsor')) return 'The password contains the name of this app: guessing programs try that first. Choose something else.';
  if (core === '' && !isRun(compact)) {
    return 'A password of digits and symbols only is quick to guess by trying them all. Use a few unrelated words.';
  }
  if (COMMON.has(core) || isRun(compact) || isRun(core)) {
    return 'This is one of the first passwords anyone would try (a common word, a keyboard row or a count). Use a few unrelated words.';
  }
  return null;
}

// ---- Temporary passwords an administrator hands over ----

/** A temporary password signs in once, and only within this time. */
export const TEMPORARY_PASSWORD_TTL_MS = 72 * 3600_000;

/** No look-alikes (0/o, 1/l/i): it is read aloud or copied from a screen by hand. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** 16 random characters in four groups (about 79 bits): "k7mq-x3vp-9htr-c2wd". */
export function generateTemporaryPassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let group = '';
    for (let i = 0; i < 4; i++) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}
