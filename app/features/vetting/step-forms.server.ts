// Zod schemas of the four step forms, built from the active configuration (the
// criteria and checklist items are fields). Parsed with parseWithZod, so field
// names follow conform's a.b[0].c convention and errors come back keyed the same.
import { z } from 'zod';
import {
  AGENDA_CLASSIFICATIONS,
  PERCEPTION_ANSWERS,
  VALUE_RATINGS,
  type AgendaInput,
  type PerceptionChecklistDoc,
  type PerceptionInput,
  type RiskInput,
  type ValuesCriterion,
  type ValuesInput,
} from '../../../workflows/types';
import { splitLines } from './step-forms';

const scale = (message: string) => z.number({ error: message }).int(message).min(1, message).max(5, message);
const optionalText = (max: number) => z.string().trim().max(max, `Keep this under ${max} characters.`).optional();

export function valuesFormSchema(criteria: ValuesCriterion[]) {
  return z.object({
    ratings: z.object(
      Object.fromEntries(
        criteria.map((c) => [
          c.key,
          z.object({
            rating: z.enum(VALUE_RATINGS, { error: `Rate “${c.label}” (use “unknown” when you do not know).` }),
            evidence: optionalText(5000),
            links: z
              .string()
              .optional()
              .transform((s) => splitLines(s ?? ''))
              .superRefine((links, ctx) => {
                const bad = links.filter((l) => !/^https?:\/\/[^\s/]+\.[^\s]+/.test(l));
                if (bad.length > 0) {
                  ctx.addIssue({
                    code: 'custom',
                    message: `Each link must be a full address starting with http:// or https:// (check: ${bad.join(', ')}).`,
                  });
                }
                if (links.length > 20) ctx.addIssue({ code: 'custom', message: 'Give at most 20 links.' });
              }),
          }),
        ]),
      ),
      { error: 'Rate every criterion.' },
    ),
  });
}

export function valuesInputOf(value: z.infer<ReturnType<typeof valuesFormSchema>>): ValuesInput {
  const ratings: ValuesInput['ratings'] = {};
  for (const [key, r] of Object.entries(value.ratings)) {
    ratings[key] = { rating: r.rating, evidence: r.evidence ?? '', links: r.links };
  }
  return { ratings };
}

/** The longest lists the step forms take; a draft longer than these is never stored. */
export const MAX_AGENDA_ITEMS = 50;
export const MAX_RISK_ITEMS = 60;

export const agendaFormSchema = z.object({
  items: z
    .array(
      z
        .object({
          text: z
            .string({ error: 'Describe the agenda item.' })
            .trim()
            .min(3, 'Describe the agenda item in at least 3 characters.')
            .max(500, 'Keep the item under 500 characters.'),
          scope: z.enum(['general', 'event'], { error: 'Say whether this is their general agenda or this event’s.' }),
          classification: z.enum(AGENDA_CLASSIFICATIONS, { error: 'Choose a classification (or unknown).' }),
          positionKey: z.string().trim().optional(),
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
        }),
      { error: 'Add at least one agenda item.' },
    )
    .min(1, 'Add at least one agenda item.')
    .max(MAX_AGENDA_ITEMS, `At most ${MAX_AGENDA_ITEMS} agenda items.`),
});

export function agendaInputOf(value: z.infer<typeof agendaFormSchema>): AgendaInput {
  return {
    items: value.items.map((i) => ({
      text: i.text,
      scope: i.scope,
      classification: i.classification,
      positionKey: i.positionKey ? i.positionKey : null,
    })),
  };
}

export const riskFormSchema = z.object({
  items: z
    .array(
      z
        .object({
          kind: z.enum(['risk', 'benefit']),
          category: z.string({ error: 'Choose a category.' }).trim().min(1, 'Choose a category.').max(60),
          description: z
            .string({ error: 'Describe it.' })
            .trim()
            .min(3, 'Describe it in at least 3 characters.')
            .max(1000, 'Keep the description under 1000 characters.'),
          likelihood: scale('Choose a likelihood.'),
          impact: scale('Choose an impact.'),
          mitigation: optionalText(2000),
          residualLikelihood: scale('Choose the likelihood after mitigation.').optional(),
          residualImpact: scale('Choose the impact after mitigation.').optional(),
        })
        // `when`: each check runs even while other fields of the item fail, so every message shows at once.
        .refine((item) => item.kind !== 'risk' || (typeof item.mitigation === 'string' && item.mitigation.trim() !== ''), {
          path: ['mitigation'],
          message: 'Describe how this risk is mitigated.',
          when: () => true,
        })
        .refine((item) => item.kind !== 'risk' || item.residualLikelihood !== undefined, {
          path: ['residualLikelihood'],
          message: 'Give the likelihood after mitigation.',
          when: () => true,
        })
        .refine((item) => item.kind !== 'risk' || item.residualImpact !== undefined, {
          path: ['residualImpact'],
          message: 'Give the impact after mitigation.',
          when: () => true,
        })
        .superRefine((item, ctx) => {
          if (item.kind !== 'risk' || item.residualLikelihood === undefined || item.residualImpact === undefined) return;
          const inherent = item.likelihood * item.impact;
          const residual = item.residualLikelihood * item.residualImpact;
          if (residual > inherent) {
            ctx.addIssue({
              code: 'custom',
              path: ['residualImpact'],
              message: `The residual score (${residual}) cannot be above the inherent score (${inherent}): a mitigation does not raise a risk.`,
            });
          }
        }),
      { error: 'Add at least one risk and one benefit.' },
    )
    .max(MAX_RISK_ITEMS, `At most ${MAX_RISK_ITEMS} items.`)
    .superRefine((items, ctx) => {
      if (!items.some((i) => i.kind === 'risk')) ctx.addIssue({ code: 'custom', message: 'Add at least one risk.' });
      if (!items.some((i) => i.kind === 'benefit')) ctx.addIssue({ code: 'custom', message: 'Add at least one benefit.' });
    }),
});

export function riskInputOf(value: z.infer<typeof riskFormSchema>): RiskInput {
  return {
    items: value.items.map((i) => {
      const risk = i.kind === 'risk';
      return {
        kind: i.kind,
        category: i.category,
        description: i.description,
        likelihood: i.likelihood,
        impact: i.impact,
        mitigation: risk ? (i.mitigation ?? null) : null,
        residualLikelihood: risk ? (i.residualLikelihood ?? null) : null,
        residualImpact: risk ? (i.residualImpact ?? null) : null,
      };
    }),
  };
}

export function perceptionFormSchema(checklist: PerceptionChecklistDoc) {
  return z.object({
    answers: z.object(
      Object.fromEntries(
        checklist.items.map((item) => [
          item.key,
          z
            .object({
              answer: z.enum(PERCEPTION_ANSWERS, { error: 'Answer this item: met, a condition, or cannot be met.' }),
              note: optionalText(2000),
            })
            .superRefine((a, ctx) => {
              if (a.answer === 'cannot_meet' && !a.note) {
                ctx.addIssue({ code: 'custom', path: ['note'], message: 'Say why this cannot be met.' });
              }
            }),
        ]),
      ),
      { error: 'Answer every item of the checklist.' },
    ),
  });
}

export function perceptionInputOf(value: z.infer<ReturnType<typeof perceptionFormSchema>>): PerceptionInput {
  const answers: PerceptionInput['answers'] = {};
  for (const [key, a] of Object.entries(value.answers)) answers[key] = { answer: a.answer, note: a.note ?? '' };
  return { answers };
}
