// HTML written as text, for the parts a loader renders that only show data (the register's
// table): building the string directly costs a fraction of rendering components for it, and
// the rows are the bulk of those pages' work. Every value put into the template is escaped,
// as React escapes text and attributes; only HTML made by this same template passes as is.

const ESCAPED: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' };
const SPECIAL = /[&<>"']/g;
// Without the g flag: test() on a global expression would carry lastIndex from one call to the next.
const ANY_SPECIAL = /[&<>"']/;

/** Text or an attribute value as HTML (the same characters and entities React writes). */
export function escapeHtml(value: string | number): string {
  const text = String(value);
  return ANY_SPECIAL.test(text) ? text.replace(SPECIAL, (c) => ESCAPED[c]!) : text;
}

/** HTML this module built: the only kind of value the template does not escape. */
export class SafeHtml {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

type Value = string | number | SafeHtml | null | undefined | false | readonly Value[];

function piece(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.html;
  if (Array.isArray(value)) return value.map(piece).join('');
  return escapeHtml(value as string | number);
}

/** html`<p>${text}</p>`: each value escaped (null, undefined and false leave nothing; arrays join). */
export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += piece(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}
