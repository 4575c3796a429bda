import { z } from 'zod';
import { MAX_PASSWORD_BYTES } from './password.server';
import { passwordProblem } from './password-rules.server';

export const loginSchema = z.object({
  email: z.string({ error: 'Enter your e-mail address.' }).trim().email('Enter a valid e-mail address, like name@example.org.'),
  password: z
    .string({ error: 'Enter your password.' })
    .min(1, 'Enter your password.')
    // Checked before hashing: scrypt over megabytes of input would hold the server for seconds.
    .refine((p) => Buffer.byteLength(p, 'utf8') <= MAX_PASSWORD_BYTES, 'A password can be at most 1,024 bytes long.'),
  redirectTo: z.string().optional(),
});

/** "Forgot your password?": the address to send a link to (docs/decisions/0410-forgotten-password-by-e-mail.md). */
export const forgotPasswordSchema = z.object({
  email: z
    .string({ error: 'Enter your e-mail address.' })
    .trim()
    .max(254, 'An e-mail address is at most 254 characters long.')
    .email('Enter a valid e-mail address, like name@example.org.'),
});

/** The "Sign in with <provider>" button. */
export const signOnSchema = z.object({
  intent: z.literal('sign-on'),
  redirectTo: z.string().max(2000).optional(),
});

// ---- Changing one's password (docs/decisions/0380-password-change-and-reset.md) ----

const withinHashLimit = (p: string) => Buffer.byteLength(p, 'utf8') <= MAX_PASSWORD_BYTES;

/**
 * The change form for this person. `forced`: after an administrator's reset the person has just
 * signed in with the temporary password (spent by that sign-in), so no current password is asked.
 * Every field's error beside it, all at once; the passwords are never sent back.
 */
export function passwordChangeSchema(person: { email: string; name: string; forced: boolean }) {
  return z
    .object({
      currentPassword: person.forced
        ? z.string().optional()
        : z
            .string({ error: 'Enter your current password.' })
            .min(1, 'Enter your current password.')
            .refine(withinHashLimit, 'That is not your current password.'),
      newPassword: z.string({ error: 'Enter a new password.' }).superRefine((password, ctx) => {
        const problem = passwordProblem(password, person);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
      confirmPassword: z.string({ error: 'Type the new password a second time.' }),
    })
    .refine((v) => v.confirmPassword === v.newPassword, {
      path: ['confirmPassword'],
      message: 'The two new passwords are not the same. Type the new password in both fields again.',
      when: (payload) => payload.issues.every((issue) => issue.path?.[0] !== 'confirmPassword' && !(issue.path?.[0] === 'newPassword' && issue.code === 'invalid_type')),
    })
    .refine((v) => person.forced || v.newPassword !== v.currentPassword, {
      path: ['newPassword'],
      message: 'The new password is the one you have now. Choose a different one.',
      when: (payload) => payload.issues.every((issue) => issue.path?.[0] !== 'newPassword' && issue.path?.[0] !== 'currentPassword'),
    });
}
