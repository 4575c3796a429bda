import { z } from 'zod';
import { wholeNumber } from '../../utils/whole-number.server';
import { hasVisibleText, visibleTextCheck } from '../../utils/visible-text';

// Schemas of the MOU forms. Kept server-side so zod never ships to the browser.
// conform turns empty fields into undefined, hence the defaults.

const optionalText = (max: number, label: string) =>
  z
    .string()
    .max(max, `${label} can have at most ${max} characters.`)
    .optional()
    .transform((v) => v ?? '');
const flag = z.boolean().optional().transform((v) => v ?? false);
const version = wholeNumber('The page is out of date: reload it.');
const baseVersion = wholeNumber('The page is out of date: reload it.')
  .optional()
  .transform((v) => v ?? null);

// The editor is read with no length limits (the request's body is bounded already): a text one
// character too long must not make the whole form unreadable and lose every edit. Saving checks
// the lengths, each beside its field.
const anyText = z
  .string()
  .optional()
  .transform((v) => v ?? '');

function editorSchema(text: (max: number, label: string) => typeof anyText) {
  const clause = z.object({
    id: z.string({ error: 'Missing clause id.' }).regex(/^[a-z]+:[A-Za-z0-9_:.-]{1,80}$/, 'Unknown clause.'),
    text: text(5000, 'A clause'),
    removed: flag,
    reason: text(2000, 'The reason'),
  });
  const section = z.object({
    key: z.string({ error: 'Missing section.' }).regex(/^[a-z0-9_]{1,40}$/, 'Unknown section.'),
    body: text(20000, 'A section'),
    clauses: z.array(clause).max(100).optional().transform((v) => v ?? []),
  });
  return z
    .object({
      intent: z.string({ error: 'Choose what to do.' }).regex(/^(save|add:\d+|remove:\d+:\d+|restore:\d+:\d+)$/, 'Unknown action.'),
      version,
      baseVersion,
      note: text(500, 'The note'),
      confirmVoid: flag,
      sections: z.array(section).min(1, 'The MOU has no sections.').max(60),
    })
    .superRefine((form, ctx) => {
      // The editor shows each section once: a repeated one is a hand-made post, and would be
      // saved, printed and compared as two sections.
      const sectionKeys = new Set<string>();
      form.sections.forEach((s, i) => {
        if (sectionKeys.has(s.key)) ctx.addIssue({ code: 'custom', path: ['sections', i, 'key'], message: 'This section is in the form twice.' });
        sectionKeys.add(s.key);
      });
      const seen = new Set<string>();
      form.sections.forEach((s, i) =>
        s.clauses.forEach((c, j) => {
          if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['sections', i, 'clauses', j, 'id'], message: 'Duplicate clause.' });
          seen.add(c.id);
        }),
      );
    });
}

/** The editor as posted, for any intent (add, remove, restore a clause, or save). */
export const mouEditorSchema = editorSchema(() => anyText);

/** Saving adds checks that adding or removing a clause does not need. */
export const mouSaveSchema = editorSchema(optionalText).superRefine((form, ctx) => {
  form.sections.forEach((s, i) =>
    s.clauses.forEach((c, j) => {
      if (!c.removed && c.text.trim().length < 3) {
        ctx.addIssue({ code: 'custom', path: ['sections', i, 'clauses', j, 'text'], message: 'Write the clause (at least 3 characters), or remove it.' });
      }
      if (c.removed && c.reason.trim().length < 10) {
        ctx.addIssue({
          code: 'custom',
          path: ['sections', i, 'clauses', j, 'reason'],
          message: 'This clause is required: say why it is removed (at least 10 characters), or keep it.',
        });
      }
    }),
  );
});

/** Staff mark the MOU version they read (a hidden field: a bad one is a hand-made post). */
export const mouSeenSchema = z.object({ version: wholeNumber('The page is out of date: reload it.') });

export const mouNotNeededSchema = z.object({
  intent: z.literal('not-needed'),
  version,
  reason: z
    .string({ error: 'Say why no MOU is needed (at least 10 characters).' })
    .trim()
    .min(10, 'Say why no MOU is needed (at least 10 characters).')
    .max(2000, 'The reason can have at most 2000 characters.')
    .refine(hasVisibleText, visibleTextCheck('Say why no MOU is needed (at least 10 characters).')),
});

export const mouSubmitSchema = z.object({
  intent: z.literal('submit'),
  version,
  baseVersion: wholeNumber('Save the MOU before submitting it.'),
});

const templateSection = z.object({
  key: z.string({ error: 'Missing section.' }).regex(/^[a-z0-9_]{1,40}$/, 'Unknown section.'),
  // Each limit its own message: the schema's error is otherwise zod's message for every problem,
  // and a title too long was answered "Give the section a title".
  title: z.string({ error: 'Give the section a title.' }).trim().min(2, 'Give the section a title.').max(200, 'Keep the title under 200 characters.'),
  body: optionalText(20000, 'A section'),
});

export const mouTemplateSchema = z.object({
  baseVersion: version,
  note: z
    .string({ error: 'Say what changed (at least 5 characters).' })
    .trim()
    .min(5, 'Say what changed (at least 5 characters).')
    .max(500, 'Keep the note under 500 characters.'),
  sections: z.array(templateSection).min(1, 'The template needs at least one section: add one.').max(60, 'The template can have at most 60 sections.'),
});
