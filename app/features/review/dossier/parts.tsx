// What the dossier's sections share: the data they read, labels for ratings and
// answers, a labelled field, and the refusal note beside a form.
import type { SerializeFrom } from '@remix-run/node';
import { FieldError, USER_TEXT_DIRECTION } from '../../../components/forms';
import { CharacterLimit, characterLimitId } from '../../../components/character-limit';
// Types only: erased from the browser bundle.
import type { ReviewFormFailure } from '../review-forms.server';
import type { Dossier } from '../review.server';
import type { dossierPageData } from './markup.server';

export type DossierData = SerializeFrom<NonNullable<Dossier>>;
/** The part of the dossier the page's forms read (markup.server.tsx). */
export type DossierPageData = SerializeFrom<ReturnType<typeof dossierPageData>>;
export type Failure = ReviewFormFailure;

export const RATING: Record<string, { text: string; tone: 'good' | 'warn' | 'bad' | 'neutral' }> = {
  meets: { text: 'Meets', tone: 'good' },
  concern: { text: 'Concern', tone: 'warn' },
  not_met: { text: 'Does not meet', tone: 'bad' },
  unknown: { text: 'Unknown', tone: 'neutral' },
};
export const ANSWER: Record<string, { text: string; tone: 'good' | 'warn' | 'bad' }> = {
  met: { text: 'Met', tone: 'good' },
  condition: { text: 'Met with a condition', tone: 'warn' },
  cannot_meet: { text: 'Cannot be met', tone: 'bad' },
};
export const STANCE: Record<string, string> = { calls_for: 'Calls for', no_position: 'No position', opposes: 'Opposes' };

/** What the person typed into this form before it had to be shown again. */
export function typed(failure: Failure | undefined, intent: string, itemId?: number) {
  if (!failure || failure.intent !== intent) return null;
  if (itemId !== undefined && failure.values.itemId !== String(itemId)) return null;
  return failure;
}

export function Field({
  id,
  label,
  hint,
  required,
  limit,
  errors,
  children,
}: {
  id: string;
  label: string;
  hint?: React.ReactNode;
  /** Marked in the label, in words (not colour or a symbol alone). */
  required?: boolean;
  /** A length limit shown before submitting, with a live count. */
  limit?: { max: number; min?: number };
  errors?: string[];
  children: (props: { id: string; dir: 'auto'; 'aria-invalid'?: true; 'aria-describedby'?: string }) => React.ReactNode;
}) {
  const described = [hint ? `${id}-hint` : null, limit ? characterLimitId(id) : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required ? <span className="req-word"> (required)</span> : null}
      </label>
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {children({ id, ...USER_TEXT_DIRECTION, ...(errors?.length ? { 'aria-invalid': true as const } : {}), ...(described ? { 'aria-describedby': described } : {}) })}
      {limit ? <CharacterLimit fieldId={id} max={limit.max} min={limit.min} /> : null}
      <FieldError id={`${id}-error`} errors={errors} />
    </div>
  );
}

export function Refusal({ id, control }: { id: string; control: { ok: true } | { ok: false; reason: string } }) {
  if (control.ok) return null;
  return (
    <p className="alert alert--warn" id={id} data-testid="decision-refusal">
      <strong>You cannot decide here: </strong>
      {control.reason}
    </p>
  );
}
