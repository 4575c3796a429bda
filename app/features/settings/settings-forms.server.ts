import { z } from 'zod';
import { EMAIL_KINDS, type EmailKind } from '../outside/email.server';

// The notification settings form: one checkbox per kind of e-mail. Server-only, so zod never
// ships to the browser. An unticked box is absent from the post: absent means "off".

const checkbox = z.boolean({ error: 'Tick the box or leave it empty.' }).optional();

export const notificationSettingsSchema = z.object(
  Object.fromEntries(EMAIL_KINDS.map((kind) => [kind, checkbox])) as Record<EmailKind, typeof checkbox>,
);
