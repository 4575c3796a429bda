import { z } from 'zod';
import { ROLES } from '../../../workflows/types';
import { MAX_PASSWORD_BYTES, MIN_PASSWORD_LENGTH } from '../auth/password.server';
import { wholeNumber } from '../../utils/whole-number.server';

// Admin form schemas. Server-only, so zod never ships to the browser; the pages
// show the errors the server returns beside each field.

const roles = z
  .array(z.enum(ROLES, { error: 'Choose one of the listed roles.' }), { error: 'Choose at least one role.' })
  .min(1, 'Choose at least one role.');
const chapterId = wholeNumber('Choose a chapter from the list.').optional();

/** A chapter lead leads a chapter: without one they could see and propose nothing. */
const leadNeedsChapter = <T extends { roles: string[]; chapterId?: number }>(schema: z.ZodType<T>) =>
  schema.refine((v) => !v.roles.includes('chapter_lead') || v.chapterId !== undefined, {
    path: ['chapterId'],
    message: 'A chapter lead needs a chapter: choose one.',
    // Also checked when another field failed, so every error shows at once.
    when: (payload) => payload.issues.every((issue) => issue.path?.[0] !== 'roles' && issue.path?.[0] !== 'chapterId'),
  });

export const createUserSchema = leadNeedsChapter(
  z.object({
    intent: z.literal('create', { error: 'Choose an action on this page.' }),
    name: z.string({ error: 'Enter the person’s name.' }).trim().min(1, 'Enter the person’s name.').max(120, 'Keep the name under 120 characters.'),
    email: z
      .string({ error: 'Enter an e-mail address.' })
      .trim()
      .toLowerCase()
      // Mail carries at most 254 characters (RFC 5321); a longer address is never sent to (isSendableAddress).
      .max(254, 'An e-mail address has at most 254 characters.')
      .email('Enter a valid e-mail address, like name@example.org.'),
    password: z
      .string({ error: `Enter an initial password of at least ${MIN_PASSWORD_LENGTH} characters.` })
      .min(MIN_PASSWORD_LENGTH, {
        error: (issue) =>
          `The password is too short: use at least ${MIN_PASSWORD_LENGTH} characters (this one has ${String(issue.input ?? '').length}).`,
      })
      .max(200, 'Keep the password under 200 characters.'),
    roles,
    chapterId,
  }),
);

const userStatusSchema = z.object({ intent: z.enum(['deactivate', 'reactivate']) });

/**
 * Resetting the password: a generated temporary password, or one the admin types. Its rules
 * (length, not the person's e-mail or name) are checked by the service, which knows the person.
 */
const passwordResetSchema = z
  .object({
    intent: z.literal('reset-password'),
    mode: z.enum(['generate', 'set'], { error: 'Choose whether to generate a temporary password or set one.' }),
    temporaryPassword: z
      .string()
      .refine((p) => Buffer.byteLength(p, 'utf8') <= MAX_PASSWORD_BYTES, 'A password can be at most 1,024 bytes long.')
      .optional(),
  })
  .refine((v) => v.mode !== 'set' || (v.temporaryPassword ?? '') !== '', {
    path: ['temporaryPassword'],
    message: `Type the temporary password (at least ${MIN_PASSWORD_LENGTH} characters), or choose to generate one.`,
  });

/** The account page's forms: access (roles, chapter), deactivate/reactivate, and the password reset. */
export const userPageSchema = z
  .discriminatedUnion(
    'intent',
    [z.object({ intent: z.literal('update'), roles, chapterId, seenAccess: z.string().max(200).optional() }), userStatusSchema, passwordResetSchema],
    { error: 'Choose an action on this page.' },
  )
  .refine((v) => v.intent !== 'update' || !v.roles.includes('chapter_lead') || v.chapterId !== undefined, {
    path: ['chapterId'],
    message: 'A chapter lead needs a chapter: choose one.',
    when: (payload) => payload.issues.every((issue) => issue.path?.[0] !== 'roles' && issue.path?.[0] !== 'chapterId' && issue.path?.[0] !== 'intent'),
  });

const chapterName = z
  .string({ error: 'Enter the chapter’s name.' })
  .trim()
  .min(2, 'Enter the chapter’s name.')
  .max(120, 'Keep the name under 120 characters.');
const region = z.string().trim().max(80, 'Keep the region under 80 characters.').optional().default('');

/** A chapter the page lists: only a hand-made post sends anything else. */
const pageChapterId = wholeNumber('Choose a chapter on this page.');

/** The chapters page's forms: create, rename (one per chapter) and deactivate/reactivate (one per chapter). */
export const chaptersPageSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('create'), name: chapterName, region }),
    z.object({
      intent: z.literal('rename'),
      chapterId: pageChapterId,
      name: chapterName,
      region,
      // The name and region the page showed: conform reads an empty field as absent, so a missing region is ''.
      seenName: z.string().max(200).optional(),
      seenRegion: z.string().max(200).optional(),
    }),
    z.object({ intent: z.enum(['deactivate', 'reactivate']), chapterId: pageChapterId }),
  ],
  { error: 'Choose an action on this page.' },
);
