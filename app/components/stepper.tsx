// The five vetting steps as a row of cards: done, current, skipped (with the rule's reason),
// sent back (returned) or still to come. Status is written out in words, never colour alone.
import { Link } from '@remix-run/react';
import type { Step } from '../../workflows/types';
import { outcomeLabel, outcomeTone, stepLabel } from '../utils/labels';

type StepperStatus = 'done' | 'current' | 'skipped' | 'todo' | 'returned';
export type StepperStep = {
  step: Step;
  status: StepperStatus;
  outcome?: string | null;
  reason?: string | null;
  href?: string | null;
};

const STATUS_TEXT: Record<StepperStatus, string> = {
  done: 'Done',
  current: 'Current step',
  skipped: 'Skipped',
  todo: 'To come',
  returned: 'Changes requested',
};
const STATUS_ICON: Record<StepperStatus, string> = {
  done: '✓',
  current: '➜',
  skipped: '–',
  todo: '○',
  returned: '↺',
};

export function Stepper({ steps, label = 'Vetting steps' }: { steps: StepperStep[]; label?: string }) {
  return (
    <ol className="stepper" aria-label={label}>
      {steps.map((s, i) => {
        const name = `${i + 1}. ${stepLabel(s.step)}`;
        const isHere = s.status === 'current' || s.status === 'returned';
        // A done step takes the colour of its outcome: "Done: Incompatible" is never green.
        const tone = s.status === 'done' && s.outcome ? ` tone-${outcomeTone(s.outcome)}` : '';
        return (
          <li key={s.step} className={`is-${s.status}${tone}`} data-step={s.step} data-status={s.status} aria-current={isHere ? 'step' : undefined}>
            {s.href ? (
              <Link to={s.href} className="stepper__name">
                {name}
              </Link>
            ) : (
              <span className="stepper__name">{name}</span>
            )}
            <span className="stepper__status">
              <span aria-hidden="true">{STATUS_ICON[s.status]} </span>
              {/* A skipped step says what the record says ("Not applicable"), not a word of its own. */}
              {s.status === 'skipped' && s.outcome ? outcomeLabel(s.outcome) : STATUS_TEXT[s.status]}
              {s.outcome && s.status !== 'skipped' ? `: ${outcomeLabel(s.outcome)}` : null}
            </span>
            {s.reason ? <span className="stepper__reason">{s.reason}</span> : null}
          </li>
        );
      })}
    </ol>
  );
}
