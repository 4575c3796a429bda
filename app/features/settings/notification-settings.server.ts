import { nowIso } from '../../../db/connection';
import { emailPreferencesOf, saveEmailPreferences } from '../../../db/notification-preferences';
import { can, type ActingUser } from '../../../workflows/policy';
import { EMAIL_KINDS, EMAIL_KIND_LABEL, smtpConfig, type EmailKind } from '../outside/email.server';

// Each person's choice of e-mails. A person is offered the kinds their roles can receive, as the
// policy answers it: submissions to those who may decide proposals, the rest to those who make them.

function offeredKinds(user: ActingUser): EmailKind[] {
  const decides = can(user, 'proposal.decide').ok;
  const proposes = can(user, 'proposal.edit').ok;
  return EMAIL_KINDS.filter((kind) => (kind === 'submitted' ? decides : proposes));
}

type NotificationSetting = { kind: EmailKind; label: string; hint: string; email: boolean };

export function notificationSettingsOf(user: ActingUser & { email: string }) {
  const saved = emailPreferencesOf(user.id);
  const settings: NotificationSetting[] = offeredKinds(user).map((kind) => ({
    kind,
    ...EMAIL_KIND_LABEL[kind],
    // Nothing saved yet means on.
    email: saved.get(kind) ?? true,
  }));
  return { settings, address: user.email, emailOn: smtpConfig() !== null };
}

/** Saves the offered kinds: ticked ones on, the others off. Kinds this person is not offered are left alone. */
export function saveNotificationSettings(user: ActingUser, values: Partial<Record<EmailKind, boolean | undefined>>): { ok: true; message: string } {
  const offered = offeredKinds(user);
  if (offered.length === 0) return { ok: true, message: 'Your roles receive no e-mail, so there was nothing to save.' };
  saveEmailPreferences(user.id, Object.fromEntries(offered.map((kind) => [kind, values[kind] === true])), nowIso());
  const on = offered.filter((kind) => values[kind] === true).length;
  return {
    ok: true,
    message: on === 0 ? 'Saved: you will get no notification e-mails.' : `Saved: you will get ${on} of ${offered.length} kinds of e-mail.`,
  };
}
