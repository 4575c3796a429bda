import { z } from 'zod';
import { STEPS } from '../../../workflows/types';
import type { ActingUser } from '../../../workflows/policy';
import type { RefusalStatus } from '../../utils/errors.server';
import { addMonthsIso, decideReview, type ReviewDecision, type ReviewDecisionResult } from './review.server';
import { isRealDay } from '../../utils/calendar-day';
import { screeningAcknowledgementProblem } from '../outside/screening.server';
import { wholeNumber } from '../../utils/whole-number.server';
import { hasVisibleText, visibleTextCheck } from '../../utils/visible-text';

// The staff decision forms: plain HTML form fields in, a decide() command out.
// The decision service validates every command again; these schemas exist to
// give each field its own message and to keep what the person typed.
// conform hands empty fields over as undefined: optional text defaults to ''.

const REVIEW_INTENTS = ['approve', 'reject', 'request_changes', 'override', 'classify'] as const;
export type ReviewIntent = (typeof REVIEW_INTENTS)[number];

const isoDay = /^\d{4}-\d{2}-\d{2}$/;

const rationale = (min: number, what: string) =>
  z
    .string({ error: `${what} needs at least ${min} characters.` })
    .trim()
    .min(min, `${what} needs at least ${min} characters.`)
    .max(5000, 'Keep it under 5,000 characters.')
    .refine(hasVisibleText, visibleTextCheck(`${what} needs at least ${min} characters.`));
const optionalText = z.string().trim().max(5000, 'Keep it under 5,000 characters.').default('');
const optionalKey = z
  .string()
  .trim()
  .optional()
  .transform((v) => v || null);

/** Conditions come as several inputs, one per line in a text area, or both. */
const conditionLines = (v: unknown) =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v])
    .flatMap((x) => (typeof x === 'string' ? x.split(/\r?\n/) : []))
    .map((c) => c.replace(/^\s*[-*•]\s*/, '').trim())
    .filter((c) => c.length > 0);

const approveSchema = (today: string) =>
  z.object({
    conditions: z.preprocess(
      conditionLines,
      z
      .array(
        z
          .string()
          .min(3, 'Each condition needs at least 3 characters.')
          .max(1000, 'Keep each condition under 1,000 characters.')
          .refine(hasVisibleText, visibleTextCheck('Each condition needs at least 3 characters.')),
      )
      .max(30, 'At most 30 conditions.'),
    ),
    endDate: optionalKey
      .refine((v) => v === null || isoDay.test(v), { message: 'Enter a date as YYYY-MM-DD.', abort: true })
      // 2027-02-30 matches the pattern, and Date would read it as March 2: it would go on the record as typed.
      .refine((v) => v === null || isRealDay(v), { message: 'This date does not exist.', abort: true })
      .refine((v) => v === null || v >= today, 'The end date cannot be in the past.')
      .refine((v) => v === null || v <= addMonthsIso(today, 12), `An approval lasts at most 12 months (until ${addMonthsIso(today, 12)}).`),
    rationale: optionalText,
    screeningAcknowledgement: optionalText,
  });

const rejectSchema = z.object({ rationale: rationale(10, 'The rationale'), screeningAcknowledgement: optionalText });

const requestChangesSchema = z.object({
  step: z.enum(STEPS, { message: 'Choose the step to return to.' }),
  rationale: rationale(10, 'The rationale'),
  requireMou: z.boolean().optional().transform(Boolean),
  screeningAcknowledgement: optionalText,
});

const overrideSchema = z.object({
  target: z.string({ error: 'Choose the step and its new outcome.' }).regex(/^[a-z]+:[a-z_]+$/, 'Choose the step and its new outcome.'),
  rationale: rationale(10, 'An override'),
});

const CLASSIFICATIONS = ['aligned', 'compatible', 'no_position', 'conflicting'] as const;
const STANCES = ['calls_for', 'no_position', 'opposes'] as const;

const classifySchema = z
  .object({
    itemId: wholeNumber('Choose an agenda item.'),
    classification: z.enum(CLASSIFICATIONS, { message: 'Choose a classification.' }),
    positionKey: optionalKey,
    rationale: optionalText,
    newPositionStatement: z.string().trim().max(500, 'Keep the statement under 500 characters.').default(''),
    newPositionStance: z.enum(STANCES, { message: 'Choose what the organization says about it.' }).optional(),
    newPositionCampaign: optionalKey,
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

/** What the person typed, to put back into the form when it has to be shown again. */
type ReviewFormValues = Record<string, string>;

/** One schema for the five staff decision forms; `intent` says which form was sent. */
export function reviewFormSchema(today: string) {
  const version = wholeNumber('The form is missing the version of the proposal you saw. Reload the page.');
  return z.discriminatedUnion(
    'intent',
    [
      approveSchema(today).extend({ intent: z.literal('approve'), version }),
      rejectSchema.extend({ intent: z.literal('reject'), version }),
      requestChangesSchema.extend({ intent: z.literal('request_changes'), version }),
      overrideSchema.extend({ intent: z.literal('override'), version }),
      classifySchema.safeExtend({ intent: z.literal('classify'), version }),
    ],
    { error: 'Choose what to do: approve, reject or request changes.' },
  );
}
export type ReviewForm = z.infer<ReturnType<typeof reviewFormSchema>>;

const ack = (v: string) => (v ? { screeningAcknowledgement: v } : {});

/** The decide() command a valid form asks for (and the catalog position it adds, if any). */
function reviewDecisionOf(v: ReviewForm): ReviewDecision {
  const base = { intent: v.intent, version: v.version, newPosition: null };
  switch (v.intent) {
    case 'approve':
      return { ...base, command: { type: 'APPROVE', conditions: v.conditions, endDate: v.endDate, rationale: v.rationale, ...ack(v.screeningAcknowledgement) } };
    case 'reject':
      return { ...base, command: { type: 'REJECT', rationale: v.rationale, ...ack(v.screeningAcknowledgement) } };
    case 'request_changes':
      return {
        ...base,
        command: { type: 'REQUEST_CHANGES', step: v.step, rationale: v.rationale, requireMou: v.requireMou, ...ack(v.screeningAcknowledgement) },
      };
    case 'override': {
      const [step, outcome] = v.target.split(':') as [string, string];
      return { ...base, command: { type: 'OVERRIDE_OUTCOME', step, outcome, rationale: v.rationale } };
    }
    case 'classify':
      return {
        ...base,
        newPosition: v.newPositionStatement ? { statement: v.newPositionStatement, stance: v.newPositionStance!, campaignKey: v.newPositionCampaign } : null,
        command: { type: 'CLASSIFY_AGENDA_ITEM', itemId: v.itemId, classification: v.classification, positionKey: v.positionKey, rationale: v.rationale },
      };
  }
}

/** What was sent, as text per field (repeated fields one per line), to fill the form again. */
export function typedValues(payload: Record<string, unknown>): ReviewFormValues {
  const out: ReviewFormValues = {};
  for (const [key, value] of Object.entries(payload)) {
    const parts = (Array.isArray(value) ? value : [value]).filter((x): x is string => typeof x === 'string');
    if (parts.length) out[key] = parts.join('\n');
  }
  return out;
}

/** conform's error keys ("conditions[0]") in the dotted form the decision service uses ("conditions.0"). */
function dottedErrors(error: Record<string, string[] | null> | null | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(error ?? {})) {
    if (messages?.length) (out[key.replace(/\[(\d+)\]/g, '.$1') || 'form'] ??= []).push(...messages);
  }
  return out;
}

type Refusal = Extract<ReviewDecisionResult, { ok: false }>;
/** A refused decision form as the page gets it: its status, and what the person typed to show it again. */
export type ReviewFormFailure = Refusal & { status: RefusalStatus; values: ReviewFormValues };

/** A staff decision form that parsed: the decision it asks for, decided. */
export function decideReviewForm(proposalId: number, actor: ActingUser, form: ReviewForm): ReviewDecisionResult {
  return decideReview(proposalId, actor, reviewDecisionOf(form));
}

/**
 * A staff decision form that did not parse: the refusal, each message beside its field. A
 * decision on a partner with screening hits also needs its acknowledgement: said now with the
 * rest, not on the next try (the rule is screening.server.ts's; decide() applies it again).
 */
export function invalidReviewForm(
  proposalId: number,
  error: Record<string, string[] | null> | null | undefined,
  payload: Record<string, unknown>,
): Refusal {
  const errors = dottedErrors(error);
  const intentRaw = typeof payload.intent === 'string' ? payload.intent : '';
  const intent = (REVIEW_INTENTS as readonly string[]).includes(intentRaw) ? (intentRaw as ReviewIntent) : null;
  if ((intent === 'approve' || intent === 'reject' || intent === 'request_changes') && !errors.screeningAcknowledgement) {
    const acknowledgement = typeof payload.screeningAcknowledgement === 'string' ? payload.screeningAcknowledgement.trim() : '';
    const problem = screeningAcknowledgementProblem(proposalId, acknowledgement);
    if (problem) errors.screeningAcknowledgement = [problem];
  }
  // A missing intent or version is the page's fault, not a field's: say so once.
  const formError = !intent ? 'Choose what to do: approve, reject or request changes.' : (errors.version?.[0] ?? 'Some fields need attention.');
  delete errors.intent;
  delete errors.version;
  delete errors.form;
  return { ok: false, kind: 'invalid', intent, formError, fieldErrors: errors, changes: [] };
}
