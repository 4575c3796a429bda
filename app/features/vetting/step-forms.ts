// What a step form holds while someone types: plain strings, exactly as entered,
// so a draft, an error re-render or a stale re-render gives back every character.
// The same readers take a submitted input (numbers, nulls, link lists) back to text
// when a step sent back starts from its last submission. No zod here: this module
// also runs in the browser (live outcomes), and must stay small.
import type {
  AgendaClassification,
  AgendaInput,
  PerceptionAnswer,
  PerceptionInput,
  RiskInput,
  ValueRating,
  ValuesInput,
} from '../../../workflows/types';

/** Shown at the top of a form whose submit found the proposal changed by someone else. */
export const STALE_NOTE = 'Someone else changed the proposal meanwhile. Your input is kept below: check the proposal, then submit again.';

export type ValuesTyped = { ratings: Record<string, { rating: string; evidence: string; links: string }> };
export type AgendaTypedItem = { text: string; scope: string; classification: string; positionKey: string };
export type AgendaTyped = { items: AgendaTypedItem[] };
export type RiskTypedItem = {
  kind: string;
  category: string;
  description: string;
  likelihood: string;
  impact: string;
  mitigation: string;
  residualLikelihood: string;
  residualImpact: string;
};
export type RiskTyped = { items: RiskTypedItem[] };
export type PerceptionTyped = { answers: Record<string, { answer: string; note: string }> };

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : []);

// ---- Reading what arrived (form payload, saved draft) into typed values ----

export function readValuesTyped(raw: unknown, keys: string[]): ValuesTyped {
  const ratings = obj(obj(raw).ratings);
  return {
    ratings: Object.fromEntries(
      keys.map((k) => {
        const r = obj(ratings[k]);
        const links = Array.isArray(r.links) ? r.links.map(str).join('\n') : str(r.links);
        return [k, { rating: str(r.rating), evidence: str(r.evidence), links }];
      }),
    ),
  };
}

export const emptyAgendaItem = (): AgendaTypedItem => ({ text: '', scope: 'event', classification: '', positionKey: '' });

export function readAgendaTyped(raw: unknown): AgendaTyped {
  return {
    items: arr(obj(raw).items).map((v) => {
      const i = obj(v);
      return { text: str(i.text), scope: str(i.scope), classification: str(i.classification), positionKey: str(i.positionKey) };
    }),
  };
}

export const emptyRiskItem = (kind: 'risk' | 'benefit'): RiskTypedItem => ({
  kind,
  category: '',
  description: '',
  likelihood: '',
  impact: '',
  mitigation: '',
  residualLikelihood: '',
  residualImpact: '',
});

export function readRiskTyped(raw: unknown): RiskTyped {
  return {
    items: arr(obj(raw).items).map((v) => {
      const i = obj(v);
      return {
        kind: str(i.kind) || 'risk',
        category: str(i.category),
        description: str(i.description),
        likelihood: str(i.likelihood),
        impact: str(i.impact),
        mitigation: str(i.mitigation),
        residualLikelihood: str(i.residualLikelihood),
        residualImpact: str(i.residualImpact),
      };
    }),
  };
}

export function readPerceptionTyped(raw: unknown, keys: string[]): PerceptionTyped {
  const answers = obj(obj(raw).answers);
  return {
    answers: Object.fromEntries(
      keys.map((k) => {
        const a = obj(answers[k]);
        return [k, { answer: str(a.answer), note: str(a.note) }];
      }),
    ),
  };
}

// ---- Lenient conversion for previews (the live outcome); the server validates strictly ----

const num = (s: string): number => (s.trim() === '' ? Number.NaN : Number(s));
const numOrNull = (s: string): number | null => (s.trim() === '' ? null : Number(s));

export function previewValuesInput(t: ValuesTyped): ValuesInput {
  const ratings: ValuesInput['ratings'] = {};
  for (const [k, r] of Object.entries(t.ratings)) {
    if (!r.rating) continue;
    ratings[k] = { rating: r.rating as ValueRating, evidence: r.evidence, links: splitLines(r.links) };
  }
  return { ratings };
}

export function previewAgendaInput(t: AgendaTyped): AgendaInput {
  return {
    items: t.items
      .filter((i) => i.text.trim() !== '')
      .map((i) => ({
        text: i.text.trim(),
        scope: i.scope === 'general' ? 'general' : 'event',
        classification: (i.classification || 'unknown') as AgendaClassification,
        positionKey: i.positionKey || null,
      })),
  };
}

export function previewRiskInput(t: RiskTyped): RiskInput {
  return {
    items: t.items.map((i) => {
      const risk = i.kind !== 'benefit';
      return {
        kind: risk ? 'risk' : 'benefit',
        category: i.category,
        description: i.description,
        likelihood: num(i.likelihood),
        impact: num(i.impact),
        mitigation: risk ? i.mitigation || null : null,
        residualLikelihood: risk ? numOrNull(i.residualLikelihood) : null,
        residualImpact: risk ? numOrNull(i.residualImpact) : null,
      };
    }),
  };
}

export function previewPerceptionInput(t: PerceptionTyped): PerceptionInput {
  const answers: PerceptionInput['answers'] = {};
  for (const [k, a] of Object.entries(t.answers)) {
    if (a.answer) answers[k] = { answer: a.answer as PerceptionAnswer, note: a.note };
  }
  return { answers };
}

export function splitLines(s: string): string[] {
  return s
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

// ---- Form field names (conform's convention: a.b[0].c) ----

/** "items.2.residualImpact" or "input.items.2.x" (service paths) -> "items[2].residualImpact". */
export function formKey(path: string): string {
  return path.replace(/^input\./, '').replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}
