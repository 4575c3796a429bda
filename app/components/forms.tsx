// Small form pieces shared by every page: an error line tied to its field.

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
