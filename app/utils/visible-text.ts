// Whether a text shows anything. trim() takes away white space but not the characters that
// show nothing by themselves: format characters (zero-width space U+200B, word joiner, soft
// hyphen, direction marks, U+FEFF) and the blank fillers (Hangul fillers, braille blank). A
// required field filled with those alone was taken as filled. They are kept inside real text
// (a zero-width non-joiner belongs in Persian words, a joiner in emoji): only text that is
// nothing but them is refused.

const SHOWS_SOMETHING = /[^\s\p{Cf}\u115f\u1160\u2800\u3164\uffa0]/u;

export function hasVisibleText(text: string): boolean {
  return SHOWS_SOMETHING.test(text);
}

/** refine()'s options for it: run only when the field has no other issue, so an empty field keeps its one message. */
export function visibleTextCheck(message: string) {
  return { message, when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };
}
