import { z } from 'zod';
import { MAX_PASSWORD_BYTES } from './password.server';

export const loginSchema = z.object({
  email: z.string({ error: 'Enter your e-mail address.' }).trim().email('Enter a valid e-mail address, like name@example.org.'),
  password: z
    .string({ error: 'Enter your password.' })
    .min(1, 'Enter your password.')
    // Checked before hashing: scrypt over megabytes of input would hold the server for seconds.
    .refine((p) => Buffer.byteLength(p, 'utf8') <= MAX_PASSWORD_BYTES, 'A password can be at most 1,024 bytes long.'),
  redirectTo: z.string().optional(),
});

/** The "Sign in with <provider>" button. */
export const signOnSchema = z.object({
  intent: z.literal('sign-on'),
  redirectTo: z.string().max(2000).optional(),
});
