// A text field's length limit, shown before anyone submits: the limit in words from the
// server (enough without JavaScript), then a live count as the person types.
import { useEffect, useState } from 'react';

const number = new Intl.NumberFormat('en-US');

export const characterLimitId = (fieldId: string) => `${fieldId}-limit`;

export function CharacterLimit({ fieldId, max, min }: { fieldId: string; max: number; min?: number }) {
  const [length, setLength] = useState<number | null>(null);
  useEffect(() => {
    const field = document.getElementById(fieldId);
    if (!(field instanceof HTMLTextAreaElement || field instanceof HTMLInputElement)) return;
    const update = () => setLength(field.value.length);
    update();
    field.addEventListener('input', update);
    return () => field.removeEventListener('input', update);
  }, [fieldId]);
  const limit = min ? `At least ${number.format(min)}, at most ${number.format(max)} characters` : `Up to ${number.format(max)} characters`;
  return (
    <span className="hint char-count" id={characterLimitId(fieldId)} data-over={length !== null && length > max ? 'true' : undefined}>
      {limit}
      {length !== null ? <span className="char-count__used">: {number.format(length)} used</span> : null}.
    </span>
  );
}
