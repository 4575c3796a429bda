// A refused submission's errors, placed where its form shows them. A page shows an error beside
// a field it has, and the form's own message in its alert; an error about anything else (an
// unknown intent, a role no checkbox offers, an id no page shows: what only a hand-made post
// sends) would be shown nowhere, so it becomes the form's message instead.

type Errors = Record<string, string[] | null | undefined> | undefined | null;

/** The field a key names: `roles[1]` and `roles.x` belong to `roles`. */
const fieldOf = (key: string) => key.split(/[[.]/, 1)[0] ?? key;

/**
 * formErrors and fieldErrors for conform's reply(): every error under a field in `shown` (or an
 * item of one) beside that field, every other one in the form's message, each message once.
 */
export function placeErrors(errors: Errors, shown: readonly string[]): { formErrors?: string[]; fieldErrors: Record<string, string[]> } {
  const formErrors: string[] = [];
  const fieldErrors: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(errors ?? {})) {
    if (!messages?.length) continue;
    const field = fieldOf(key);
    const target = key !== '' && shown.includes(field) ? (fieldErrors[field] ??= []) : formErrors;
    for (const message of messages) if (!target.includes(message)) target.push(message);
  }
  return { formErrors: formErrors.length ? formErrors : undefined, fieldErrors };
}
