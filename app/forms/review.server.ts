import { z } from 'zod';
import { STEPS } from '../../workflows/types';
import { fieldErrorsOf } from '../services/payloads.server';

// The staff decision forms: plain HTML form fields in, a decide() command out.
// The decision service validates every command again; these schemas exist to
// give each field its own message and to keep what the person typed.

export const REVIEW_INTENTS = ['approve', 'reject', 'request_changes', 'override', 'classify'] as const;
export type ReviewIntent = (typeof REVIEW_INTENTS)[number];

const isoDay = /^\d{4}-\d{2}-\d{2}$/;

export function addMonthsIso(day: string, months: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

const rationale = (min: number, what: string) =>
  z.string().trim().min(min, `${what} needs at least ${min} characters.`).max(5000, 'Keep it under 5,000 characters.');
const optionalText = z.string().trim().max(5000, 'Keep it under 5,000 characters.');

const approveSchema = (today: string) =>
  z.object({
    conditions: z
      .array(z.string().min(3, 'Each condition needs at least 3 characters.').max(1000, 'Keep each condition under 1,000 characters.'))
      .max(30, 'At most 30 conditions.'),
    endDate: z
      .string()
      .trim()
      .transform((v) => v || null)
      .refine((v) => v === null || isoDay.test(v), 'Enter a date as YYYY-MM-DD.')
      .refine((v) => v === null || v >= today, 'The end date cannot be in the past.')
      .refine((v) => v === null || v <= addMonthsIso(today, 12), `An approval lasts at most 12 months (until ${addMonthsIso(today, 12)}).`),
    rationale: optionalText,
    screeningAcknowledgement: optionalText,
  });

const rejectSchema = z.object({ rationale: rationale(10, 'The rationale'), screeningAcknowledgement: optionalText });

const requestChangesSchema = z.object({
  step: z.enum(STEPS, { message: 'Choose the step to return to.' }),
  rationale: rationale(10, 'The rationale'),
  requireMou: z.boolean(),
  screeningAcknowledgement: optionalText,
});

const overrideSchema = z.object({
  target: z.string().regex(/^[a-z]+:[a-z_]+$/, 'Choose the step and its new outcome.'),
  rationale: rationale(10, 'An override'),
});

const CLASSIFICATIONS = ['aligned', 'compatible', 'no_position', 'conflicting'] as const;
export const STANCES = ['calls_for', 'no_position', 'opposes'] as const;

const classifySchema = z
  .object({
    itemId: z.coerce.number().int().positive('Choose an agenda item.'),
    classification: z.enum(CLASSIFICATIONS, { message: 'Choose a classification.' }),
    positionKey: z
      .string()
      .trim()
      .transform((v) => v || null),
    rationale: optionalText,
    newPositionStatement: z.string().trim().max(500, 'Keep the statement under 500 characters.'),
    newPositionStance: z.enum(STANCES, { message: 'Choose what the organization says about it.' }).optional(),
    newPositionCampaign: z
      .string()
      .trim()
      .transform((v) => v || null),
  })
  .superRefine((v, ctx) => {
    if (v.newPositionStatement && v.newPositionStatement.length < 10) {
      ctx.addIssue({ code: 'custom', path: ['newPositionStatement'], message: 'A new position needs a statement of at least 10 characters.' });
    }
    if (v.newPositionStatement && !v.newPositionStance) {
      ctx.addIssue({ code: 'custom', path: ['newPositionStance'], message: 'Say what the organization says about it.' });
    }
    if (v.newPositionStatement && v.positionKey) {
      ctx.addIssue({ code: 'custom', path: ['positionKey'], message: 'Choose an existing position or add a new one, not both.' });
    }
    if ((v.classification === 'aligned' || v.classification === 'no_position') && !v.positionKey && !v.newPositionStatement) {
      ctx.addIssue({ code: 'custom', path: ['positionKey'], message: 'Name the position this item maps to, or add one to the catalog.' });
    }
  });

export type NewPosition = { statement: string; stance: (typeof STANCES)[number]; campaignKey: string | null };

export type ParsedReviewForm =
  | { ok: true; intent: ReviewIntent; version: number; command: Record<string, unknown>; newPosition: NewPosition | null }
  | { ok: false; intent: ReviewIntent | null; fieldErrors: Record<string, string[]>; formError: string };

/** What the person typed, to put back into the form when it has to be shown again. */
export type ReviewFormValues = Record<string, string>;

export function formValues(formData: FormData): ReviewFormValues {
  const values: ReviewFormValues = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value !== 'string') continue;
    values[key] = key in values ? `${values[key]}\n${value}` : value;
  }
  return values;
}

const text = (formData: FormData, key: string) => {
  const v = formData.get(key);
  return typeof v === 'string' ? v : '';
};

/** Conditions come as several inputs, one per line in a text area, or both. */
export function conditionsOf(formData: FormData): string[] {
  return formData
    .getAll('conditions')
    .flatMap((v) => (typeof v === 'string' ? v.split(/\r?\n/) : []))
    .map((c) => c.replace(/^\s*[-*•]\s*/, '').trim())
    .filter((c) => c.length > 0);
}

export function parseReviewForm(formData: FormData, today: string): ParsedReviewForm {
  const intentRaw = text(formData, 'intent');
  const intent = (REVIEW_INTENTS as readonly string[]).includes(intentRaw) ? (intentRaw as ReviewIntent) : null;
  if (!intent) return { ok: false, intent: null, fieldErrors: {}, formError: 'Choose what to do: approve, reject or request changes.' };
  const version = Number(text(formData, 'version'));
  if (!Number.isInteger(version) || version < 1) {
    return { ok: false, intent, fieldErrors: {}, formError: 'The form is missing the version of the proposal you saw. Reload the page.' };
  }
  const fail = (error: z.ZodError): ParsedReviewForm => ({
    ok: false,
    intent,
    fieldErrors: fieldErrorsOf(error),
    formError: 'Some fields need attention.',
  });
  const ack = (v: string) => (v ? { screeningAcknowledgement: v } : {});

  switch (intent) {
    case 'approve': {
      const parsed = approveSchema(today).safeParse({
        conditions: conditionsOf(formData),
        endDate: text(formData, 'endDate'),
        rationale: text(formData, 'rationale'),
        screeningAcknowledgement: text(formData, 'screeningAcknowledgement'),
      });
      if (!parsed.success) return fail(parsed.error);
      const v = parsed.data;
      return {
        ok: true,
        intent,
        version,
        newPosition: null,
        command: { type: 'APPROVE', conditions: v.conditions, endDate: v.endDate, rationale: v.rationale, ...ack(v.screeningAcknowledgement) },
      };
    }
    case 'reject': {
      const parsed = rejectSchema.safeParse({
        rationale: text(formData, 'rationale'),
        screeningAcknowledgement: text(formData, 'screeningAcknowledgement'),
      });
      if (!parsed.success) return fail(parsed.error);
      return {
        ok: true,
        intent,
        version,
        newPosition: null,
        command: { type: 'REJECT', rationale: parsed.data.rationale, ...ack(parsed.data.screeningAcknowledgement) },
      };
    }
    case 'request_changes': {
      const parsed = requestChangesSchema.safeParse({
        step: text(formData, 'step'),
        rationale: text(formData, 'rationale'),
        requireMou: formData.get('requireMou') === 'on',
        screeningAcknowledgement: text(formData, 'screeningAcknowledgement'),
      });
      if (!parsed.success) return fail(parsed.error);
      const v = parsed.data;
      return {
        ok: true,
        intent,
        version,
        newPosition: null,
        command: { type: 'REQUEST_CHANGES', step: v.step, rationale: v.rationale, requireMou: v.requireMou, ...ack(v.screeningAcknowledgement) },
      };
    }
    case 'override': {
      const parsed = overrideSchema.safeParse({ target: text(formData, 'target'), rationale: text(formData, 'rationale') });
      if (!parsed.success) return fail(parsed.error);
      const [step, outcome] = parsed.data.target.split(':') as [string, string];
      return {
        ok: true,
        intent,
        version,
        newPosition: null,
        command: { type: 'OVERRIDE_OUTCOME', step, outcome, rationale: parsed.data.rationale },
      };
    }
    case 'classify': {
      const stance = text(formData, 'newPositionStance');
      const parsed = classifySchema.safeParse({
        itemId: text(formData, 'itemId'),
        classification: text(formData, 'classification'),
        positionKey: text(formData, 'positionKey'),
        rationale: text(formData, 'rationale'),
        newPositionStatement: text(formData, 'newPositionStatement'),
        newPositionStance: stance || undefined,
        newPositionCampaign: text(formData, 'newPositionCampaign'),
      });
      if (!parsed.success) return fail(parsed.error);
      const v = parsed.data;
      return {
        ok: true,
        intent,
        version,
        newPosition: v.newPositionStatement
          ? { statement: v.newPositionStatement, stance: v.newPositionStance!, campaignKey: v.newPositionCampaign }
          : null,
        command: {
          type: 'CLASSIFY_AGENDA_ITEM',
          itemId: v.itemId,
          classification: v.classification,
          positionKey: v.positionKey,
          rationale: v.rationale,
        },
      };
    }
  }
}
