// One zod schema per form of the partner questionnaire: the lead's link form, revoking a
// link, the partner's passcode, and the partner's answers (built from the frozen questions).
import { z } from 'zod';
import { ACCEPTANCES, STANCES, type Questionnaire } from './questions';
import { wholeNumber } from '../../utils/whole-number.server';
import { hasVisibleText, visibleTextCheck } from '../../utils/visible-text';

export const DEFAULT_LINK_DAYS = 14;
export const MAX_LINK_DAYS = 60;
const MIN_PASSCODE_LENGTH = 6;
const MAX_PASSCODE_LENGTH = 200;

const text = (max: number) => z.string().trim().max(max, `Keep this under ${max} characters.`);
const textOrEmpty = (max: number) =>
  text(max)
    .nullish()
    .transform((s) => s ?? '');
const required = (message: string, max: number) =>
  z.string({ error: message }).trim().min(1, message).max(max, `Keep this under ${max} characters.`).refine(hasVisibleText, visibleTextCheck(message));

const createLinkSchema = z.object({
  intent: z.literal('create'),
  contactName: required('Give the name of the partner’s contact.', 200),
  contactEmail: z
    .string()
    .trim()
    .max(320, 'Keep this under 320 characters.')
    // Spaces alone are an empty field, as the form shows them.
    .refine((v) => v === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), 'Give an e-mail address like name@example.org, or leave it empty.')
    .nullish()
    .transform((v) => v ?? ''),
  days: wholeNumber(
    { invalid: `Give a whole number of days from 1 to ${MAX_LINK_DAYS}.`, tooLarge: `A link lasts at most ${MAX_LINK_DAYS} days.` },
    { min: 1, max: MAX_LINK_DAYS },
  )
    .nullish()
    .transform((v) => v ?? DEFAULT_LINK_DAYS),
  passcode: z
    .string()
    .min(MIN_PASSCODE_LENGTH, `A passcode has at least ${MIN_PASSCODE_LENGTH} characters (or leave it empty).`)
    .max(MAX_PASSCODE_LENGTH, `Keep the passcode under ${MAX_PASSCODE_LENGTH} characters.`)
    .nullish()
    .transform((v) => v ?? null),
});

const revokeLinkSchema = z.object({
  intent: z.literal('revoke'),
  link: wholeNumber('Name the link to revoke.'),
});

export const partnerLinkFormSchema = z.discriminatedUnion('intent', [createLinkSchema, revokeLinkSchema], {
  error: 'Unknown action.',
});

export const passcodeSchema = z.object({
  intent: z.literal('unlock'),
  passcode: z.string({ error: 'Enter the passcode you were given.' }).min(1, 'Enter the passcode you were given.').max(MAX_PASSCODE_LENGTH, 'That passcode is too long.'),
});

/** A group of fields the form left out entirely (nothing chosen) still reports its own fields' errors. */
const group = <T extends z.ZodType>(schema: T) => z.preprocess((v) => v ?? {}, schema);

const LINK = /^https?:\/\/[^\s/]+\.[^\s]+$/;
/** Every other text has a limit; a link of a megabyte went into the record and onto every page showing it. */
const MAX_LINK_LENGTH = 2000;
const short = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}…` : s);

/**
 * The embeddings, overrides and isolates of Unicode's bidirectional algorithm. The respondent's
 * name and role go into the record as who answered and into its rationale: one of these there
 * turns the rest of the line around wherever the record is shown. A name written right to left
 * needs none of them.
 */
const DIRECTION_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;
const plainLine = <T extends z.ZodType<string>>(schema: T) =>
  schema.refine((v) => !DIRECTION_CONTROLS.test(v), 'Remove the invisible character that changes the direction of the text around it (often pasted with the name).');

/** The answers form, for the questions this link asks. */
export function answersSchema(q: Questionnaire) {
  const acceptance = (what: string) =>
    group(
      z.object({
        answer: z.enum(ACCEPTANCES, { error: `Say whether you accept ${what}.` }),
        comment: textOrEmpty(2000),
      }).superRefine((v, ctx) => {
        if (v.answer === 'decline' && v.comment === '') {
          ctx.addIssue({ code: 'custom', path: ['comment'], message: 'Say why, or what you could accept instead.' });
        }
      }),
    );
  return z.object({
    intent: z.literal('answer'),
    respondent: group(z.object({ name: plainLine(required('Give your name.', 200)), role: plainLine(textOrEmpty(200)) })),
    leadership: required('Say who leads your organization.', 5000),
    funding: required('Say how your organization is funded.', 5000),
    links: z
      .string()
      .nullish()
      .transform((v) =>
        (v ?? '')
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean),
      )
      .superRefine((links, ctx) => {
        const bad = links.filter((l) => !LINK.test(l));
        if (bad.length > 0) ctx.addIssue({ code: 'custom', message: `Each link must be a full address starting with https:// (check: ${bad.slice(0, 3).join(', ')}).` });
        if (links.length > 20) ctx.addIssue({ code: 'custom', message: 'Give at most 20 links.' });
        if (links.some((l) => l.length > MAX_LINK_LENGTH)) ctx.addIssue({ code: 'custom', message: `Keep each link under ${MAX_LINK_LENGTH.toLocaleString('en-US')} characters.` });
      }),
    positions: group(
      z.object(
        Object.fromEntries(
          q.positions.map((p) => [
            p.key,
            group(
              z.object({
                stance: z.enum(STANCES, { error: `Say where you stand on “${short(p.text)}”.` }),
                statement: textOrEmpty(2000),
              }),
            ),
          ]),
        ),
      ),
    ),
    conditions: group(z.object(Object.fromEntries(q.perception.conditions.map((c) => [c.key, acceptance(`“${short(c.label)}”`)])))),
    useOfName: q.useOfName ? acceptance('the use-of-name clause') : z.unknown().transform(() => null),
  });
}
