// The values step's typed form values: read from what arrived, and read leniently for the live preview.
import type { ValueRating, ValuesInput } from '../../../workflows/types';
import { obj, readAttachments, splitLines, str, type ValuesTyped } from './step-forms';

export type { ValuesTyped };

export function readValuesTyped(raw: unknown, keys: string[]): ValuesTyped {
  const ratings = obj(obj(raw).ratings);
  return {
    ratings: Object.fromEntries(
      keys.map((k) => {
        const r = obj(ratings[k]);
        const links = Array.isArray(r.links) ? r.links.map(str).join('\n') : str(r.links);
        return [k, { rating: str(r.rating), evidence: str(r.evidence), links, attachments: readAttachments(r.attachments) }];
      }),
    ),
  };
}

export function previewValuesInput(t: ValuesTyped): ValuesInput {
  const ratings: ValuesInput['ratings'] = {};
  for (const [k, r] of Object.entries(t.ratings)) {
    if (!r.rating) continue;
    ratings[k] = { rating: r.rating as ValueRating, evidence: r.evidence, links: splitLines(r.links) };
  }
  return { ratings };
}
