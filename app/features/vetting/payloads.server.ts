import { z } from 'zod';
import { AGENDA_CLASSIFICATIONS, STEPS } from '../../../workflows/types';
import { agendaFormSchema, perceptionInputSchema, riskInputSchema, valuesInputSchema } from './step-forms.server';
import { isRealDay } from '../../utils/calendar-day';

// The payload of every event the decision service accepts; a step's input is checked
// with the same schema as its form (step-forms.server.ts), whatever sends it.

const text = (max: number) => z.string().trim().max(max);
const required = (label: string, min = 1, max = 5000) =>
  z.string().trim().min(min, min > 1 ? `${label} needs at least ${min} characters.` : `${label} is required.`).max(max);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date as YYYY-MM-DD.').refine(isRealDay, 'This date does not exist.');

export const commandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('SUBMIT_PROPOSAL') }),
  z.object({ type: z.literal('SUBMIT_VALUES'), input: valuesInputSchema }),
  z.object({ type: z.literal('SUBMIT_AGENDA'), input: agendaFormSchema }),
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
