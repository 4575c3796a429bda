import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code, so the key
// function below is a copy of the one this migration introduced
// (workflows/partner-names.ts at the time).
//
// Partner names and agenda items were keyed by their Latin letters only: a name
// in Arabic or Hebrew got an empty key, which matched any search and no
// duplicate. Re-key every row with the key that keeps letters of every script.

const LEGAL_SUFFIXES = new Set(['inc', 'incorporated', 'llc', 'ltd', 'limited', 'corp', 'corporation', 'co', 'org', 'foundation']);
const VARIANTS: Record<string, string> = {
  '\u0671': '\u0627',
  '\u0649': '\u064a',
  '\u0629': '\u0647',
  '\u06cc': '\u064a',
  '\u06a9': '\u0643',
  '\u05da': '\u05db',
  '\u05dd': '\u05de',
  '\u05df': '\u05e0',
  '\u05e3': '\u05e4',
  '\u05e5': '\u05e6',
  '\u03c2': '\u03c3',
  '\u00df': 'ss',
};
const VARIANT_PATTERN = new RegExp(`[${Object.keys(VARIANTS).join('')}]`, 'g');

function nameKey(name: string): string {
  const words = name
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/\u0640/g, '')
    .replace(VARIANT_PATTERN, (c) => VARIANTS[c]!)
    .replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String((d.charCodeAt(0) & 0xf) % 10))
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  if (words[0] === 'the' && words.length > 1) words.shift();
  while (words.length > 1 && LEGAL_SUFFIXES.has(words[words.length - 1]!)) words.pop();
  return words.join(' ');
}

async function rekey(db: Kysely<any>, table: string, source: string, key: string): Promise<void> {
  const rows = (await db.selectFrom(table).select(['id', source, key]).execute()) as Record<string, unknown>[];
  for (const row of rows) {
    const next = nameKey(String(row[source]));
    if (next !== row[key]) await db.updateTable(table).set({ [key]: next }).where('id', '=', row.id).execute();
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await rekey(db, 'partners', 'name', 'normalized_name');
  await rekey(db, 'agenda_items', 'text', 'normalized_text');
}

// The old keys were lossy (letters outside a-z were dropped); the new ones
// match everything the old ones did, so there is nothing to undo.
export async function down(): Promise<void> {}
