// Finding the same group under another spelling, in any script: "The Riverside
// Coalition, Inc." and "riverside coalition" are one partner, "مؤسسة الحق" is
// found with or without its vowel marks and hamza forms, "בְּצֶלֶם" as "בצלם";
// a small typo or a dropped word still matches.

const LEGAL_SUFFIXES = new Set(['inc', 'incorporated', 'llc', 'ltd', 'limited', 'corp', 'corporation', 'co', 'org', 'foundation']);

// Letters written several ways that readers take as one: Arabic alef forms, alef
// maksura, teh marbuta, Persian yeh and kaf; Hebrew final letters; Greek final
// sigma and German sharp s (toLowerCase is not full case folding).
const LETTER_VARIANTS: Record<string, string> = {
  '\u0671': '\u0627', // ٱ alef wasla
  '\u0649': '\u064a', // ى alef maksura
  '\u0629': '\u0647', // ة teh marbuta
  '\u06cc': '\u064a', // ی Persian yeh
  '\u06a9': '\u0643', // ک Persian kaf
  '\u05da': '\u05db', // ך
  '\u05dd': '\u05de', // ם
  '\u05df': '\u05e0', // ן
  '\u05e3': '\u05e4', // ף
  '\u05e5': '\u05e6', // ץ
  '\u03c2': '\u03c3', // ς
  '\u00df': 'ss',
};
const VARIANT_PATTERN = new RegExp(`[${Object.keys(LETTER_VARIANTS).join('')}]`, 'g');

/** Arabic-Indic and Eastern Arabic-Indic digits read as 0-9. */
function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String((d.charCodeAt(0) & 0xf) % 10));
}

/**
 * The key two spellings of one name share. NFKC first (presentation forms,
 * full-width letters), then marks are dropped after NFKD (accents, Arabic
 * harakat and hamza, Hebrew niqqud), tatweel and punctuation become nothing
 * or spaces. Letters and digits of every script are kept.
 */
export function normalizePartnerName(name: string): string {
  const folded = asciiDigits(
    name
      .normalize('NFKC')
      .toLowerCase()
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .replace(/\u0640/g, '')
      .replace(VARIANT_PATTERN, (c) => LETTER_VARIANTS[c]!),
  );
  const words = folded
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  if (words[0] === 'the' && words.length > 1) words.shift();
  while (words.length > 1 && LEGAL_SUFFIXES.has(words[words.length - 1]!)) words.pop();
  return words.join(' ');
}

/** Levenshtein distance, stopping early once it exceeds max. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      row.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    previous = row;
  }
  return previous[b.length]!;
}

export type NameMatch = { kind: 'exact' | 'close' | 'contains'; distance: number };

/**
 * One name is the other with a word or two left out or added ("Lakeshore
 * Students for Palestinian Rights" and "Lakeshore University Students for
 * Palestinian Rights"): the shorter has at least two words, all found in the
 * longer in the same order. Returns the number of words dropped, or null.
 */
function droppedWords(a: string, b: string, maxDropped = 2): number | null {
  const [shorter, longer] = a.length <= b.length ? [a.split(' '), b.split(' ')] : [b.split(' '), a.split(' ')];
  if (shorter.length < 2 || longer.length - shorter.length > maxDropped) return null;
  let i = 0;
  for (const word of longer) if (i < shorter.length && word === shorter[i]) i++;
  return i === shorter.length ? longer.length - shorter.length : null;
}

/** How a known partner's normalized name matches what the user typed, if at all. */
export function matchPartnerName(query: string, candidate: string): NameMatch | null {
  // An empty key (a name of punctuation only) would match everything.
  if (!query || !candidate) return null;
  if (query === candidate) return { kind: 'exact', distance: 0 };
  // One typo per five letters, at most three.
  const allowed = Math.min(3, Math.max(1, Math.floor(query.length / 5)));
  const distance = editDistance(query, candidate, allowed);
  if (distance <= allowed) return { kind: 'close', distance };
  const dropped = droppedWords(query, candidate);
  if (dropped !== null) return { kind: 'close', distance: allowed + dropped };
  if (query.length >= 4 && candidate.length >= 4 && (candidate.includes(query) || query.includes(candidate))) {
    return { kind: 'contains', distance: Math.abs(candidate.length - query.length) };
  }
  return null;
}
