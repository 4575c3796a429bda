// Zod schemas of the four rated step forms. Each one's parsed value IS the step's
// input: the command decide() validates with the same item schemas and records as
// `inputs`, so a step's input has one shape from the form to the record. Parsed
// from the browser with parseWithZod (conform's a.b[0].c names, strings coerced),
// and again in decide() from the typed value (nulls, numbers, arrays), so each
// schema accepts both and gives the same output.
import { z } from 'zod';
import {
  AGENDA_CLASSIFICATIONS,
  PERCEPTION_ANSWERS,
  VALUE_RATINGS,
  type PerceptionChecklistDoc,
  type RiskItemInput,
  type ValuesCriterion,
} from '../../../workflows/types';
import { riskItemProblems, riskListProblems } from '../../../workflows/rules/risk';
import { SCALE_VALUE, splitLines } from './step-forms';
import { ACCEPTED_TYPES } from '../attachments/file-type.server';
import { MAX_ATTACHMENTS_PER_ITEM } from '../attachments/attachments.server';
import { isRealDay } from '../../utils/calendar-day';
import { hasVisibleText, visibleTextCheck } from '../../utils/visible-text';
import { wholeNumber } from '../../utils/whole-number.server';

const RANGE = 'Choose a value from 1 to 5.';
/** A 1..5 scale: `missing` when nothing was chosen, the range otherwise. */
const scale = (missing: string) =>
  z.preprocess(
    // From the form only the select's own digits count: conform's coercion (Number())
    // would read 0x3, 3e0, +3 or ' 3' as 3 while the page shows nothing chosen. Other
    // text becomes NaN (the range message); '' is left for conform to read as missing,
    // and a typed command's number (or wrong type) passes through untouched.
    (v) => (typeof v === 'string' && v !== '' && !SCALE_VALUE.test(v) ? Number.NaN : v),
    z
      .number({ error: (issue) => (issue.input === undefined ? missing : RANGE) })
      .int(RANGE)
      .min(1, RANGE)
      .max(5, RANGE),
  );
const optionalText = (max: number) => z.string().trim().max(max, `Keep this under ${max} characters.`).nullish();
/** Optional text recorded as '' when empty. */
const textOrEmpty = (max: number) => optionalText(max).transform((s) => s ?? '');

// ---- Evidence files (stored by app/features/attachments; the rows travel as hidden fields) ----

const DATE_MESSAGE = 'Give the date this document is from (YYYY-MM-DD): the date it speaks for, not today’s.';
const attachmentSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: wholeNumber('The file’s size is missing: attach it again.'),
  type: z.enum([...ACCEPTED_TYPES.keys()] as [string, ...string[]]),
  name: z.string().trim().min(1).max(200),
  effectiveDate: z
    .string({ error: DATE_MESSAGE })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, DATE_MESSAGE)
    .refine(isRealDay, DATE_MESSAGE),
  uploadedAt: z.string().max(40),
});
/** An item's files; none recorded as no key at all, so inputs without files keep their old shape. */
const attachmentsSchema = z
  .array(attachmentSchema)
  .max(MAX_ATTACHMENTS_PER_ITEM, `At most ${MAX_ATTACHMENTS_PER_ITEM} files per item.`)
  .nullish()
  .transform((list) => (list && list.length > 0 ? list : undefined));

// ---- Values ----

const LINK = /^https?:\/\/[^\s/]+\.[^\s]+/;
/** Every other text has a limit; a link of a megabyte went into the record and onto every page showing it. */
const MAX_LINK_LENGTH = 2000;

/** One criterion's rating; `label` names it in the message. */
function ratingSchema(label?: string) {
  return z.object({
    rating: z.enum(VALUE_RATINGS, {
      error: label ? `Rate “${label}” (use “unknown” when you do not know).` : 'Choose a rating (or unknown).',
    }),
    evidence: textOrEmpty(5000),
    // One link a line in the form; a list once parsed.
    links: z
      .union([z.string(), z.array(z.string())])
      .nullish()
      .transform((v) => (Array.isArray(v) ? v.map((l) => l.trim()).filter(Boolean) : splitLines(v ?? '')))
      .superRefine((links, ctx) => {
        const bad = links.filter((l) => !LINK.test(l));
        if (bad.length > 0) {
          ctx.addIssue({ code: 'custom', message: `Each link must be a full address starting with http:// or https:// (check: ${bad.join(', ')}).` });
        }
        if (links.length > 20) ctx.addIssue({ code: 'custom', message: 'Give at most 20 links.' });
        if (links.some((l) => l.length > MAX_LINK_LENGTH)) ctx.addIssue({ code: 'custom', message: `Keep each link under ${MAX_LINK_LENGTH.toLocaleString('en-US')} characters.` });
      }),
    attachments: attachmentsSchema,
  });
}

/** The values form: one rating per criterion of the active configuration. */
export function valuesFormSchema(criteria: ValuesCriterion[]) {
  return z.object({
    ratings: z.object(Object.fromEntries(criteria.map((c) => [c.key, ratingSchema(c.label)])), { error: 'Rate every criterion.' }),
  });
}

/** SUBMIT_VALUES's input: which criteria must be rated is checked against the configuration in decide(). */
export const valuesInputSchema = z.object({ ratings: z.record(z.string(), ratingSchema()) });

// ---- Agenda ----

/** The longest lists the step forms take; a draft longer than these is never stored. */
export const MAX_AGENDA_ITEMS = 50;
export const MAX_RISK_ITEMS = 60;

const agendaItemSchema = z
  .object({
    text: z
      .string({ error: 'Describe the agenda item.' })
      .trim()
      .min(3, 'Describe the agenda item in at least 3 characters.')
      .max(500, 'Keep the item under 500 characters.')
      .refine(hasVisibleText, visibleTextCheck('Describe the agenda item in at least 3 characters.')),
    scope: z.enum(['general', 'event'], { error: 'Say whether this is their general agenda or this event’s.' }),
    classification: z.enum(AGENDA_CLASSIFICATIONS, { error: 'Choose a classification (or unknown).' }),
    positionKey: z.string().trim().nullish(),
  })
  // `when`: checked even while the item's text fails, so both messages show at once.
  .refine((item) => !(item.classification === 'unknown' && item.positionKey), {
    path: ['positionKey'],
    message: 'An unknown item is not mapped: clear the position or choose a classification.',
    when: () => true,
  })
  .refine((item) => !((item.classification === 'aligned' || item.classification === 'no_position') && !item.positionKey), {
    path: ['positionKey'],
    message: 'Choose the position this item maps to, or mark it unknown.',
    when: () => true,
  })
  .transform((item) => ({ ...item, positionKey: item.positionKey || null }));

/** The agenda form, and SUBMIT_AGENDA's input as it is (nothing in it follows the configuration). */
export const agendaFormSchema = z.object({
  items: z
    .array(agendaItemSchema, { error: 'Add at least one agenda item.' })
    .min(1, 'Add at least one agenda item.')
    .max(MAX_AGENDA_ITEMS, `At most ${MAX_AGENDA_ITEMS} agenda items.`),
});

// ---- Risk (the rules themselves live in workflows/rules/risk.ts) ----

const riskItemSchema = z
  .object({
    kind: z.enum(['risk', 'benefit']),
    category: z.string({ error: 'Choose a category.' }).trim().min(1, 'Choose a category.').max(60),
    description: z
      .string({ error: 'Describe it.' })
      .trim()
      .min(3, 'Describe it in at least 3 characters.')
      .max(1000, 'Keep the description under 1000 characters.')
      .refine(hasVisibleText, visibleTextCheck('Describe it in at least 3 characters.')),
    likelihood: scale('Choose a likelihood.'),
    impact: scale('Choose an impact.'),
    mitigation: optionalText(2000),
    residualLikelihood: scale('Choose the likelihood after mitigation.').nullish(),
    residualImpact: scale('Choose the impact after mitigation.').nullish(),
    attachments: attachmentsSchema,
  })
  .transform((i): RiskItemInput => {
    // Mitigation and residual values mean nothing for a benefit: not recorded.
    const risk = i.kind === 'risk';
    return {
      kind: i.kind,
      category: i.category,
      description: i.description,
      likelihood: i.likelihood,
      impact: i.impact,
      mitigation: risk ? i.mitigation || null : null,
      residualLikelihood: risk ? (i.residualLikelihood ?? null) : null,
      residualImpact: risk ? (i.residualImpact ?? null) : null,
      ...(i.attachments ? { attachments: i.attachments } : {}),
    };
  });

/** SUBMIT_RISK's input: the shape; decide() then applies the register's rules (riskSubmitProblems). */
export const riskInputSchema = z.object({ items: z.array(riskItemSchema).max(MAX_RISK_ITEMS, `At most ${MAX_RISK_ITEMS} items.`) });

/** Rule problems as issues on the form's fields. */
function addRiskIssues(ctx: z.RefinementCtx, problems: ReturnType<typeof riskListProblems>) {
  for (const p of problems) ctx.addIssue({ code: 'custom', path: p.index === null ? [] : [p.index, p.field ?? 'description'], message: p.message });
}

/** The risk form: the input's shape plus the register's rules, each message beside its field. */
export const riskFormSchema = z.object({
  items: z
    .array(riskItemSchema, { error: 'Add at least one risk and one benefit.' })
    .max(MAX_RISK_ITEMS, `At most ${MAX_RISK_ITEMS} items.`)
    // `when`: the rules run even while other fields fail, so every message shows at once;
    // the scales are left to the schema, which has already reported them.
    .superRefine(
      (items, ctx) => {
        // No list at all: the array's own message says it.
        if (!Array.isArray(items)) return;
        const rows = (items as unknown[]).map((v) => (v && typeof v === 'object' ? (v as Partial<RiskItemInput>) : {}));
        addRiskIssues(ctx, [...rows.flatMap((row, i) => riskItemProblems(row, i, { complete: true, scales: false })), ...riskListProblems(rows as RiskItemInput[])]);
      },
      { when: () => true },
    ),
});

// ---- Perception ----

const perceptionAnswerSchema = z.object({
  answer: z.enum(PERCEPTION_ANSWERS, { error: 'Answer this item: met, a condition, or cannot be met.' }),
  note: textOrEmpty(2000),
  attachments: attachmentsSchema,
});

/** The form asks why an item cannot be met (records made before this rule may lack it). */
function needsReason(a: z.infer<typeof perceptionAnswerSchema>, ctx: z.RefinementCtx) {
  if (a.answer === 'cannot_meet' && !a.note) ctx.addIssue({ code: 'custom', path: ['note'], message: 'Say why this cannot be met.' });
}

export function perceptionFormSchema(checklist: PerceptionChecklistDoc) {
  return z.object({
    answers: z.object(Object.fromEntries(checklist.items.map((item) => [item.key, perceptionAnswerSchema.superRefine(needsReason)])), {
      error: 'Answer every item of the checklist.',
    }),
  });
}

/** SUBMIT_PERCEPTION's input: which items must be answered is checked against the configuration in decide(). */
export const perceptionInputSchema = z.object({ answers: z.record(z.string(), perceptionAnswerSchema) });
