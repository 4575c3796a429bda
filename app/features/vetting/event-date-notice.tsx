// A past event date is allowed (a proposal can be recorded late) but never silent:
// the lead sees it on the form as they type and on the proposal, staff in the queue and dossier.
import { useEffect, useState } from 'react';
import { formatDate } from '../../utils/labels';

/** Today as YYYY-MM-DD (UTC, like every date the app stores). */
const todayIso = () => new Date().toISOString().slice(0, 10);

export const isPastDate = (isoDay: string | null | undefined, today = todayIso()) => Boolean(isoDay && /^\d{4}-\d{2}-\d{2}$/.test(isoDay) && isoDay < today);

/** On a proposal: the event date has passed. */
export function EventDatePassed({ eventDate }: { eventDate: string }) {
  if (!isPastDate(eventDate)) return null;
  return (
    <p className="alert alert--warn" data-testid="event-passed">
      <strong>The event date has passed</strong> ({formatDate(eventDate)}). If the event moved, edit the date; staff see that the date
      has passed before they decide.
    </p>
  );
}

/**
 * Beside the event-date field: warns when the date chosen has passed. Rendered from the
 * value the page was built with (no JavaScript needed), then kept up to date as the date changes.
 */
export function PastDateHint({ inputId, initial }: { inputId: string; initial: string | undefined }) {
  const [value, setValue] = useState(initial ?? '');
  useEffect(() => {
    const input = document.getElementById(inputId);
    if (!(input instanceof HTMLInputElement)) return;
    const update = () => setValue(input.value);
    input.addEventListener('input', update);
    input.addEventListener('change', update);
    return () => {
      input.removeEventListener('input', update);
      input.removeEventListener('change', update);
    };
  }, [inputId]);
  return (
    <p className="hint past-date-hint" aria-live="polite" data-testid="past-date-hint">
      {isPastDate(value) ? (
        <>
          <strong>The event date has passed</strong> ({formatDate(value)}). You can still record the proposal; staff will see the date has
          passed.
        </>
      ) : null}
    </p>
  );
}
