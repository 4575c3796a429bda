// Zod schemas of the proposal forms: partner search, new partner, event details, withdrawal.
import { z } from 'zod';
import { RECORDED_MOVEMENTS, supportsTag } from '../../../workflows/rules/agenda';
import { COSPONSORSHIP_KINDS } from '../../../workflows/types';
import { eventYearRange, isEventYear, isRealDay } from '../../utils/calendar-day';
import { hasVisibleText, visibleTextCheck } from '../../utils/visible-text';
import { wholeNumber } from '../../utils/whole-number.server';

const requiredText = (message: string, min: number, max: number) =>
  z
    .string({ error: message })
    .trim()
    // The minimum goes inside the sentence: "Describe the event (at least 10 characters)."
    .min(min, min > 1 ? `${message.replace(/\.$/, '')} (at least ${min} characters).` : message)
    .max(max, `Keep this under ${max} characters.`)
    .refine(hasVisibleText, visibleTextCheck(message));

export const partnerSearchSchema = z.object({
  q: requiredText('Type the partner group’s name.', 2, 200),
});

const isoDay = z
  .string({ error: 'Choose the event date.' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the date as YYYY-MM-DD.')
  .refine(isRealDay, 'This date does not exist.')
  .refine(isEventYear, {
    error: () => {
      const { from, to } = eventYearRange();
      return `Check the year: an event date falls between ${from} and ${to}.`;
    },
  });

const eventFields = {
  eventTitle: requiredText('Give the event a title.', 3, 200),
  eventDate: isoDay,
  eventPlace: requiredText('Say where the event takes place.', 2, 300),
  eventDescription: requiredText('Describe the event.', 10, 5000),
  kind: z.enum(COSPONSORSHIP_KINDS, { error: 'Choose the kind of co-sponsorship.' }),
  campaignId: wholeNumber('Choose the campaign.'),
};

const VERSION_MISSING = 'The form is missing the version of the proposal you saw. Reload the page.';
const seenVersion = wholeNumber(VERSION_MISSING);

export const eventSchema = z.object({ ...eventFields, version: seenVersion });

/** Either an existing partner (partnerId) or a new one (partner fields), plus the event. */
export const newProposalSchema = z
  .object({
    ...eventFields,
    partnerId: wholeNumber('Choose a partner from the list.').optional(),
    // The partner's limits speak for themselves: zod's own message reads "Too big: expected string to have <=200 characters".
    partnerName: z.string().trim().max(200, 'Keep the name under 200 characters.').optional(),
    partnerWebsite: z
      .string()
      .trim()
      .max(300, 'Keep the address under 300 characters.')
      .regex(/^https?:\/\/[^\s/]+\.[^\s]+$/, 'Enter the full address, starting with http:// or https://.')
      .optional(),
    partnerCountry: z.string().trim().max(80, 'Keep the country under 80 characters.').optional(),
    partnerDescription: z.string().trim().max(5000, 'Keep the description under 5,000 characters.').optional(),
    partnerEin: z
      .string()
      .trim()
      .regex(/^\d{2}-?\d{7}$/, 'An EIN has nine digits, written like 12-3456789.')
      .optional(),
    // The EIN chosen in the registry lookup: its registry data is stored with the partner.
    registryEin: z
      .string()
      .trim()
      .regex(/^\d{2}-?\d{7}$/)
      .optional()
      .catch(undefined),
    // The recorded movements' tags, one checkbox each ("supports_bds").
    publicPositions: z.array(z.enum(RECORDED_MOVEMENTS.map(supportsTag))).optional(),
    confirmNew: z.literal('on').optional(),
    // The form's one-time token: a repeated post answers with the proposal it already created.
    creationToken: z
      .string()
      .regex(/^[A-Za-z0-9-]{16,64}$/)
      .optional()
      .catch(undefined),
    q: z.string().optional(),
  })
  // `when`: checked even while other fields fail, so every message shows at once.
  .refine((v) => v.partnerId !== undefined || (typeof v.partnerName === 'string' && v.partnerName.trim().length >= 2 && hasVisibleText(v.partnerName)), {
    path: ['partnerName'],
    message: 'Give the partner group’s name.',
    when: () => true,
  })
  .refine((v) => v.partnerId !== undefined || (typeof v.partnerCountry === 'string' && hasVisibleText(v.partnerCountry)), {
    path: ['partnerCountry'],
    message: 'Give the country the group works in.',
    when: () => true,
  })
  .refine((v) => v.partnerId !== undefined || (typeof v.partnerDescription === 'string' && v.partnerDescription.trim().length >= 10 && hasVisibleText(v.partnerDescription)), {
    path: ['partnerDescription'],
    message: 'Describe the group in a sentence or two (at least 10 characters).',
    when: () => true,
  });

export const withdrawSchema = z.object({
  version: seenVersion,
  reason: requiredText('Say why the proposal is withdrawn.', 5, 2000),
});

/** The draft page's "Submit for vetting" button. */
export const submitProposalSchema = z.object({
  intent: z.literal('submit', { error: 'Unknown action.' }),
  version: seenVersion,
});
