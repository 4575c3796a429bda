// Small form pieces shared by every page: an error line tied to its field, and
// the direction every field people type into takes.

/**
 * Text people type may be in any script: with dir="auto" the browser sets a
 * field's direction from its first strong letter, so Arabic or Hebrew reads
 * right to left and Latin left to right. Spread on every text input and textarea.
 */
export const USER_TEXT_DIRECTION = { dir: 'auto' } as const;

export function FieldError({ id, errors }: { id?: string; errors?: string[] | null }) {
  if (!errors || errors.length === 0) return null;
  return (
    <p className="field-error" id={id} role="alert">
      {errors.join(' ')}
    </p>
  );
}

export function Tag({ tone, children }: { tone: 'good' | 'warn' | 'bad' | 'neutral'; children: React.ReactNode }) {
  return <span className={`tag tag--${tone}`}>{children}</span>;
}

/** What the asterisk beside a label means (the controls also carry aria-required). */
export function RequiredNote() {
  return (
    <p className="small muted required-note">
      Fields marked <span className="req">*</span> are required.
    </p>
  );
}

/** A select of a GET filter form: "all" (an empty value) or one of the choices. */
export function FilterSelect({
  id,
  name,
  label,
  allLabel,
  value,
  choices,
}: {
  id: string;
  name: string;
  label: string;
  allLabel: string;
  value: number | string | null;
  choices: { id: number | string; name: string }[];
}) {
  return (
    <div className="field" style={{ marginBottom: 0 }}>
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value ?? ''}>
        <option value="">{allLabel}</option>
        {choices.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Parts of a page's address it could not use, each with why: said, never dropped silently. */
export function LeftOutNotice({ title, items, testId }: { title: string; items: { key: string; label: string; value: string; reason: string }[]; testId: string }) {
  if (items.length === 0) return null;
  return (
    <div className="alert alert--warn" role="status" data-testid={testId}>
      <h2>{title}</h2>
      <ul className="error-list">
        {items.map((d) => (
          <li key={d.key}>
            The {d.label} “{d.value}” was not used: {d.reason}
          </li>
        ))}
      </ul>
    </div>
  );
}
