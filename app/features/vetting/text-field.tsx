// A labelled one-line text input, apart from proposal-form.tsx so the step pages, which
// have none, do not ship it.
import { LabelledField, type Common } from './proposal-form';

export function TextField({
  defaultValue,
  type = 'text',
  autoFocus,
  autoComplete,
  placeholder,
  ...common
}: Common & { defaultValue?: string; type?: 'text' | 'date' | 'url' | 'search'; autoFocus?: boolean; autoComplete?: string; placeholder?: string }) {
  return (
    <LabelledField {...common}>
      {(control) => (
        // eslint-disable-next-line jsx-a11y/no-autofocus -- callers set it only on a page's one primary field
        <input {...control} type={type} defaultValue={defaultValue} autoFocus={autoFocus} autoComplete={autoComplete} placeholder={placeholder} />
      )}
    </LabelledField>
  );
}
