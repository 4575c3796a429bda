import { describe, expect, it } from 'vitest';
import { can, COMMAND_LINE_OPERATOR, type AccountSubject, type ActingUser } from '../../workflows/policy';

// Who may reset which password (docs/decisions/0380-password-change-and-reset.md), row by row:
// an admin from the admin page, and the server's operator from the command line.

const person = (id: number, roles: ActingUser['roles']): ActingUser => ({ id, name: `P${id}`, roles, chapterId: null });
const admin = person(1, ['admin']);
const staff = person(2, ['staff']);
const account = (accountId: number, over: Partial<AccountSubject> = {}): AccountSubject => ({
  accountId,
  hasLocalPassword: true,
  mustChoosePassword: false,
  active: true,
  localLogin: true,
  ...over,
});

describe('resetting a password', () => {
  const rows: [string, ActingUser, AccountSubject, boolean][] = [
    ['an admin, another active account', admin, account(2), true],
    ['an admin, a deactivated account', admin, account(2, { active: false }), true],
    ['an admin, their own account', admin, account(1), false],
    ['staff', staff, account(3), false],
    ['the command line, an active account', COMMAND_LINE_OPERATOR, account(2), true],
    // The only admin who forgot their password: the reason the command exists.
    ['the command line, an admin’s account', COMMAND_LINE_OPERATOR, account(1), true],
    ['the command line, an account single sign-on made', COMMAND_LINE_OPERATOR, account(2, { hasLocalPassword: false }), true],
    ['the command line, a deactivated account', COMMAND_LINE_OPERATOR, account(2, { active: false }), false],
    ['the command line, password sign-in off', COMMAND_LINE_OPERATOR, account(2, { localLogin: false }), false],
  ];
  it.each(rows)('%s', (_, actor, subject, allowed) => {
    expect(can(actor, 'account.reset_password', subject).ok).toBe(allowed);
  });

  it('gives the command line nothing else', () => {
    expect(can(COMMAND_LINE_OPERATOR, 'admin.manage').ok).toBe(false);
    expect(can(COMMAND_LINE_OPERATOR, 'account.change_password', account(2)).ok).toBe(false);
    expect(can(COMMAND_LINE_OPERATOR, 'proposal.view', { proposer_id: 2, chapter_id: 1, last_changed_by: null }).ok).toBe(false);
  });
});
