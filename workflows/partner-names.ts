// Finding the same group under another spelling: "The Riverside Coalition, Inc."
// and "riverside coalition" are one partner; a small typo should still match.

const LEGAL_SUFFIXES = new Set(['inc', 'incorporated', 'llc', 'ltd', 'limited', 'corp', 'corporation', 'co', 'org', 'foundation']);

export function normalizePartnerName(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
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

/** How a known partner's normalized name matches what the user typed, if at all. */
export function matchPartnerName(query: string, candidate: string): NameMatch | null {
  if (!query) return null;
  if (query === candidate) return { kind: 'exact', distance: 0 };
  // One typo per five letters, at most three.
  const allowed = Math.min(3, Math.max(1, Math.floor(query.length / 5)));
  const distance = editDistance(query, candidate, allowed);
  if (distance <= allowed) return { kind: 'close', distance };
  if (query.length >= 4 && (candidate.includes(query) || query.includes(candidate))) {
    return { kind: 'contains', distance: Math.abs(candidate.length - query.length) };
  }
  return null;
}
