import { z } from 'zod';
import { AGENDA_CLASSIFICATIONS, PERCEPTION_ANSWERS, STEPS, VALUE_RATINGS } from '../../../workflows/types';

// The payload of every event the decision service accepts. Forms have their own
// schemas; whatever reaches the service is checked again here.

const text = (max: number) => z.string().trim().max(max);
const required = (label: string, min = 1, max = 5000) =>
  z.string().trim().min(min, min > 1 ? `${label} needs at least ${min} characters.` : `${label} is required.`).max(max);
const score = z.number().int().min(1, 'Choose a value from 1 to 5.').max(5, 'Choose a value from 1 to 5.');

const valuesInputSchema = z.object({
  ratings: z.record(
    z.string(),
    z.object({
      rating: z.enum(VALUE_RATINGS),
      evidence: text(5000),
      links: z.array(z.string().trim().url('Enter a full link, starting with http:// or https://.')).max(20),
    }),
  ),
});

const agendaItemSchema = z
  .object({
    text: required('The agenda item', 3, 500),
    scope: z.enum(['general', 'event']),
    classification: z.enum(AGENDA_CLASSIFICATIONS),
    positionKey: z.string().trim().min(1).nullable(),
  })
  .superRefine((item, ctx) => {
    if (item.classification === 'unknown' && item.positionKey) {
      ctx.addIssue({ code: 'custom', path: ['positionKey'], message: 'An unknown item is not mapped to a position.' });
    }
    if ((item.classification === 'aligned' || item.classification === 'no_position') && !item.positionKey) {
      ctx.addIssue({
        code: 'custom',
        path: ['positionKey'],
        message: 'Choose the position this item maps to, or mark it unknown.',
      });
    }
  });
const agendaInputSchema = z.object({
  items: z.array(agendaItemSchema).min(1, 'Add at least one agenda item.').max(50),
});

const riskItemSchema = z
  .object({
    kind: z.enum(['risk', 'benefit']),
    category: required('The category', 1, 60),
    description: required('The description', 3, 1000),
    likelihood: score,
    impact: score,
    mitigation: text(2000).nullable(),
    residualLikelihood: score.nullable(),
    residualImpact: score.nullable(),
  })
  .superRefine((item, ctx) => {
    if (item.kind !== 'risk') return;
    if (!item.mitigation) ctx.addIssue({ code: 'custom', path: ['mitigation'], message: 'Describe how this risk is mitigated.' });
    if (item.residualLikelihood === null) {
      ctx.addIssue({ code: 'custom', path: ['residualLikelihood'], message: 'Give the likelihood after mitigation.' });
    }
    if (item.residualImpact === null) {
      ctx.addIssue({ code: 'custom', path: ['residualImpact'], message: 'Give the impact after mitigation.' });
    }
  });
const riskInputSchema = z.object({ items: z.array(riskItemSchema).max(60) });

const perceptionInputSchema = z.object({
  answers: z.record(z.string(), z.object({ answer: z.enum(PERCEPTION_ANSWERS), note: text(2000) })),
});

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date as YYYY-MM-DD.');

export const commandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('SUBMIT_PROPOSAL') }),
  z.object({ type: z.literal('SUBMIT_VALUES'), input: valuesInputSchema }),
  z.object({ type: z.literal('SUBMIT_AGENDA'), input: agendaInputSchema }),
  z.object({ type: z.literal('SUBMIT_RISK'), input: riskInputSchema }),
  z.object({ type: z.literal('SUBMIT_PERCEPTION'), input: perceptionInputSchema }),
  z.object({ type: z.literal('SUBMIT_MOU') }),
  z.object({ type: z.literal('MOU_NOT_NEEDED'), reason: required('The reason', 10, 2000) }),
  z.object({
    type: z.literal('APPROVE'),
    conditions: z.array(required('A condition', 3, 1000)).max(30),
    endDate: isoDate.nullable(),
    rationale: text(5000),
    screeningAcknowledgement: text(5000).optional(),
  }),
  z.object({
    type: z.literal('REJECT'),
    rationale: required('The rationale', 10),
    screeningAcknowledgement: text(5000).optional(),
  }),
  z.object({
    type: z.literal('REQUEST_CHANGES'),
    step: z.enum(STEPS),
    rationale: required('The rationale', 10),
    /** Staff may require an MOU even where the lead judged none was needed. */
    requireMou: z.boolean().optional(),
    screeningAcknowledgement: text(5000).optional(),
  }),
  z.object({ type: z.literal('WITHDRAW'), reason: required('The reason', 5, 2000) }),
  z.object({ type: z.literal('EXPIRE') }),
  z.object({
    type: z.literal('OVERRIDE_OUTCOME'),
    step: z.enum(STEPS),
    outcome: z.string().min(1),
    rationale: required('The rationale', 10),
  }),
  z.object({
    type: z.literal('CLASSIFY_AGENDA_ITEM'),
    itemId: z.number().int().positive(),
    classification: z.enum(AGENDA_CLASSIFICATIONS).exclude(['unknown']),
    positionKey: z.string().min(1).nullable(),
    rationale: text(5000),
  }),
  z.object({ type: z.literal('REOPEN_FOR_REVIEW'), reason: required('The reason', 5, 2000) }),
]);

export type Command = z.infer<typeof commandSchema>;
export type CommandType = Command['type'];

/** Zod issues as "path.to.field" -> messages, the shape forms show beside fields. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || 'form';
    (out[key] ??= []).push(issue.message);
  }
  return out;
}
