// The direction of a piece of text by its first strong character, the rule
// browsers apply for dir="auto": digits and punctuation decide nothing.

const FIRST_STRONG = /[\p{L}]/u;
// Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic and their presentation forms.
const RIGHT_TO_LEFT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/u;

export function isRightToLeft(text: string): boolean {
  const first = FIRST_STRONG.exec(text);
  return first !== null && RIGHT_TO_LEFT.test(first[0]);
}
