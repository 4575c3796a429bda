import { getInputProps, type FieldMetadata } from '../../components/form-state';
import { FieldError } from '../../components/forms';

/** A password input with its label, an optional hint and its message, as /account and a reset link's page show them. */
export function PasswordField({
  field,
  label,
  autoComplete = 'new-password',
  hint,
}: {
  field: FieldMetadata<string | undefined>;
  label: string;
  autoComplete?: 'new-password' | 'current-password';
  hint?: string;
}) {
  const hintId = `${field.id}-hint`;
  const describedBy = [hint ? hintId : '', field.errors ? field.errorId : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <input {...getInputProps(field, { type: 'password' })} autoComplete={autoComplete} aria-describedby={describedBy || undefined} />
      {hint ? (
        <p id={hintId} className="hint small muted">
          {hint}
        </p>
      ) : null}
      <FieldError id={field.errorId} errors={field.errors} />
    </div>
  );
}
