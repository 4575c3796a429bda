import { z } from 'zod';
import type { BandName, PositionStance } from '../../../workflows/types';
import { decimalNumber, wholeNumber } from '../../utils/whole-number.server';

// The configuration editors' form schemas, one per page. Server-only, so zod
// never ships to the browser. Each checks what the vetting rules rely on:
// unique keys, at least one entry, risk bands covering 1–25 without gaps or overlaps.

const BAND_NAMES = ['low', 'medium', 'high', 'critical'] as const satisfies readonly BandName[];
const STANCES = ['calls_for', 'no_position', 'opposes'] as const satisfies readonly PositionStance[];

const baseVersion = wholeNumber('The page is out of date: reload it.');
const note = z
  .string({ error: 'Say what changed (at least 5 characters).' })
  .trim()
  .min(5, 'Say what changed (at least 5 characters).')
  .max(500, 'Keep the note under 500 characters.');

const text = (missing: string, max: number) =>
  z.string({ error: missing }).trim().min(1, missing).max(max, `Keep this under ${max} characters.`);
const RESERVED_KEYS = new Set(['constructor', 'prototype']);

/** Keys name entries inside decision records, so they stay plain. */
const key = z
  .string({ error: 'Enter a key.' })
  .trim()
  .min(1, 'Enter a key.')
  .max(60, 'Keep the key under 60 characters.')
  .regex(/^[a-z][a-z0-9_]*$/, 'Use lowercase letters, digits and underscores, starting with a letter (e.g. “fair_funding”).')
  // Keys become form field names (ratings.<key>.rating, conditions.<key>.answer), which the request
  // bounding refuses for these names (app/http/form-limits.ts): such a key would block every form using it.
  .refine((k) => !RESERVED_KEYS.has(k), { message: 'This key is reserved: choose another (e.g. “constructor_check”).' });

/**
 * Reports each repeated key beside its field. Runs even when another field failed
 * (every message shows at once), so it reads the values defensively.
 */
function uniqueKeys(list: unknown, ctx: z.RefinementCtx, path: (i: number) => (string | number)[], what: string) {
  if (!Array.isArray(list)) return;
  const seen = new Map<string, number>();
  list.forEach((item: unknown, i) => {
    const k = typeof item === 'string' ? item : (item as { key?: unknown } | undefined)?.key;
    if (typeof k !== 'string' || !k) return;
    const firstAt = seen.get(k);
    if (firstAt !== undefined) ctx.addIssue({ code: 'custom', path: path(i), message: `Another ${what} (number ${firstAt + 1}) already uses the key “${k}”.` });
    else seen.set(k, i);
  });
}

/** Cross-field checks run even when a field failed, so all messages show together. */
const always = { when: () => true };

// ---- Values criteria ----

export const valuesCriteriaSchema = z
  .object({
    baseVersion,
    note,
    criteria: z
      .array(
        z.object({
          key,
          label: text('Enter the criterion’s name.', 120),
          description: text('Describe what the criterion asks of a partner.', 3000),
          required: z.boolean().optional().default(false),
        }),
        { error: 'Keep at least one criterion: the values step rates the partner against them.' },
      )
      .min(1, 'Keep at least one criterion: the values step rates the partner against them.')
      .max(50, 'Keep at most 50 criteria.'),
  })
  .superRefine((v, ctx) => uniqueKeys(v?.criteria, ctx, (i) => ['criteria', i, 'key'], 'criterion'), always);

// ---- Perception checklist ----

export const perceptionChecklistSchema = z
  .object({
    baseVersion,
    note,
    movement: text('Name the movement the checklist is about (e.g. BDS).', 60),
    items: z
      .array(
        z.object({
          key,
          label: text('Enter the question the lead answers.', 500),
          condition: text('Enter the MOU clause this item becomes as a condition.', 2000),
        }),
        { error: 'Keep at least one checklist item.' },
      )
      .min(1, 'Keep at least one checklist item.')
      .max(50, 'Keep at most 50 items.'),
  })
  .superRefine((v, ctx) => uniqueKeys(v?.items, ctx, (i) => ['items', i, 'key'], 'item'), always);

// ---- Risk matrix ----

const score = (what: string) => wholeNumber(`Enter the band’s ${what} score, a whole number from 1 to 25.`, { min: 1, max: 25 });
const scaleLabel = text('Enter a label for this level.', 60);

export const riskMatrixSchema = z
  .object({
    baseVersion,
    note,
    bands: z
      .array(z.object({ name: z.enum(BAND_NAMES, { error: 'Unknown band.' }), min: score('lowest'), max: score('highest') }))
      .length(BAND_NAMES.length, 'The matrix has four bands: low, medium, high and critical.'),
    closeMarginPercent: decimalNumber('Enter a percentage from 0 to 100.', { min: 0, max: 100 }),
    likelihoodLabels: z.tuple([scaleLabel, scaleLabel, scaleLabel, scaleLabel, scaleLabel], { error: 'Name each of the five likelihood levels.' }),
    impactLabels: z.tuple([scaleLabel, scaleLabel, scaleLabel, scaleLabel, scaleLabel], { error: 'Name each of the five impact levels.' }),
    categories: z
      .array(key, { error: 'Keep at least one risk category.' })
      .min(1, 'Keep at least one risk category.')
      .max(40, 'Keep at most 40 categories.'),
  })
  .superRefine((v, ctx) => {
    uniqueKeys(v?.categories, ctx, (i) => ['categories', i], 'category');
    // The bands, in order of severity, must cover every score from 1 to 25 once:
    // scoring an item looks its score up in them.
    if (!Array.isArray(v?.bands)) return;
    let expected = 1;
    for (const [i, name] of BAND_NAMES.entries()) {
      const band = v.bands[i];
      // A band whose scores did not parse has its own message already.
      if (band && (typeof band.min !== 'number' || typeof band.max !== 'number')) return;
      if (!band || band.name !== name) {
        ctx.addIssue({ code: 'custom', path: ['bands'], message: 'The bands must be low, medium, high and critical, in that order.' });
        return;
      }
      if (band.min !== expected) {
        ctx.addIssue({
          code: 'custom',
          path: ['bands', i, 'min'],
          message:
            i === 0
              ? 'The low band must start at 1.'
              : `The ${name} band must start at ${expected}, right after the ${BAND_NAMES[i - 1]} band ends: no gap, no overlap.`,
        });
        return;
      }
      if (band.max < band.min) {
        ctx.addIssue({ code: 'custom', path: ['bands', i, 'max'], message: `The ${name} band ends before it starts (${band.min} to ${band.max}).` });
        return;
      }
      expected = band.max + 1;
    }
    if (expected !== 26) {
      ctx.addIssue({ code: 'custom', path: ['bands', BAND_NAMES.length - 1, 'max'], message: 'The critical band must end at 25, the highest score.' });
    }
  }, always);

// ---- Positions catalog ----

/** "000: the quote", one a line: the seed document and the words quoted from it. */
const sourceLines = z
  .string()
  .max(20000, 'Keep the sources under 20,000 characters.')
  .optional()
  .transform((v, ctx) => {
    const sources: { seed: string; quote: string }[] = [];
    for (const [n, raw] of (v ?? '').split(/\r?\n/).entries()) {
      const line = raw.trim();
      if (!line) continue;
      const match = /^([^:]{1,40}):\s*(.+)$/.exec(line);
      if (!match) {
        ctx.addIssue({ code: 'custom', message: `Line ${n + 1}: write the source document, a colon, then the quote (e.g. “000: Cancel all orders…”).` });
        return z.NEVER;
      }
      sources.push({ seed: match[1]!.trim(), quote: match[2]!.trim() });
    }
    return sources;
  });

const keywordLines = z
  .string()
  .max(5000, 'Keep the keywords under 5,000 characters.')
  .optional()
  .transform((v) => [...new Set((v ?? '').split(/\r?\n/).map((k) => k.trim().toLowerCase()).filter(Boolean))]);

export const positionsSchema = z
  .object({
    baseVersion,
    note,
    positions: z
      .array(
        z.object({
          key,
          statement: text('Enter the position’s statement.', 2000),
          stance: z.enum(STANCES, { error: 'Choose the organization’s stance.' }),
          campaignKey: z.string().trim().max(60).optional().transform((v) => v || null),
          perceptionSensitive: z.string().trim().max(60, 'Keep this under 60 characters.').optional().transform((v) => v || undefined),
          keywords: keywordLines,
          sources: sourceLines,
        }),
        { error: 'Keep at least one position: the agenda step maps items onto them.' },
      )
      .min(1, 'Keep at least one position: the agenda step maps items onto them.')
      .max(300, 'Keep at most 300 positions.'),
  })
  .superRefine((v, ctx) => {
    uniqueKeys(v?.positions, ctx, (i) => ['positions', i, 'key'], 'position');
    if (!Array.isArray(v?.positions)) return;
    v.positions.forEach((p, i) => {
      if (p?.perceptionSensitive && p.stance && p.stance !== 'no_position') {
        ctx.addIssue({
          code: 'custom',
          path: ['positions', i, 'perceptionSensitive'],
          message: 'Only a “no position” entry can be perception-sensitive: clear this, or change the stance.',
        });
      }
    });
  }, always);
