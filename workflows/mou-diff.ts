import { diffWordsWithSpace } from 'diff';
import type { ClauseOrigin, MouClause, MouSection } from './mou';

// Word-level comparison of two MOU versions, section by section and clause by
// clause (matched by key and id, so a moved or renamed clause is not lost).

export type DiffPart = { kind: 'same' | 'added' | 'removed'; text: string };
export type ChangeStatus = 'same' | 'added' | 'removed' | 'changed';

export type ClauseDiff = {
  id: string;
  status: ChangeStatus;
  origin: ClauseOrigin | null;
  parts: DiffPart[];
};

export type SectionDiff = {
  key: string;
  status: ChangeStatus;
  /** The title as it reads now (or read, for a removed section). */
  title: string;
  titleParts: DiffPart[];
  bodyParts: DiffPart[];
  clauses: ClauseDiff[];
};

export type MouDiffResult = {
  sections: SectionDiff[];
  /** Sections with any change, including added and removed ones. */
  changedSections: number;
  wordsAdded: number;
  wordsRemoved: number;
};

/**
 * Word-level diff of two texts. Spaces are tokens too, so both texts can be
 * rebuilt exactly from the parts (plain diffWords borrows the new text's spacing).
 */
export function diffText(before: string, after: string): DiffPart[] {
  if (before === after) return after ? [{ kind: 'same', text: after }] : [];
  const raw: DiffPart[] = diffWordsWithSpace(before, after).map((change) => ({
    kind: change.added ? 'added' : change.removed ? 'removed' : 'same',
    text: change.value,
  }));
  // A lone space kept between two changes reads better inside them: "event" ->
  // "approval end" rather than "approval", " ", "end".
  const parts: DiffPart[] = [];
  let run: DiffPart[] = [];
  const flush = () => {
    if (run.length) pushMerged(parts, run);
    run = [];
  };
  raw.forEach((part, i) => {
    const between = part.kind === 'same' && /^\s+$/.test(part.text) && run.length > 0 && i < raw.length - 1 && raw[i + 1]!.kind !== 'same';
    if (part.kind !== 'same' || between) run.push(part);
    else {
      flush();
      push(parts, part);
    }
  });
  flush();
  return parts;
}

function push(parts: DiffPart[], part: DiffPart) {
  const last = parts[parts.length - 1];
  if (last && last.kind === part.kind) last.text += part.text;
  else if (part.text) parts.push({ ...part });
}

/** A run of changes (with the spaces between them) as one removal then one addition. */
function pushMerged(parts: DiffPart[], run: DiffPart[]) {
  const hasRemoved = run.some((p) => p.kind === 'removed');
  const hasAdded = run.some((p) => p.kind === 'added');
  // Only a replacement can absorb the spaces: both texts must still be rebuilt exactly.
  if (!hasRemoved || !hasAdded) {
    for (const p of run) push(parts, p);
    return;
  }
  push(parts, { kind: 'removed', text: run.filter((p) => p.kind !== 'added').map((p) => p.text).join('') });
  push(parts, { kind: 'added', text: run.filter((p) => p.kind !== 'removed').map((p) => p.text).join('') });
}

const whole = (kind: DiffPart['kind'], text: string): DiffPart[] => (text ? [{ kind, text }] : []);

function statusOf(parts: DiffPart[][]): ChangeStatus {
  return parts.some((list) => list.some((p) => p.kind !== 'same')) ? 'changed' : 'same';
}

/**
 * Merges two keyed lists in the order of `after`, putting each item that only
 * `before` has right after the item that preceded it there.
 */
function mergeByKey<T>(before: T[], after: T[], keyOf: (t: T) => string): { before?: T; after?: T }[] {
  const afterKeys = new Set(after.map(keyOf));
  const beforeByKey = new Map(before.map((b) => [keyOf(b), b]));
  const out: { before?: T; after?: T }[] = after.map((a) => ({ before: beforeByKey.get(keyOf(a)), after: a }));
  let anchor = -1; // index in out of the last `before` item also found in `after`
  for (const b of before) {
    const key = keyOf(b);
    if (afterKeys.has(key)) {
      anchor = out.findIndex((o) => o.after && keyOf(o.after) === key);
      continue;
    }
    out.splice(anchor + 1, 0, { before: b });
    anchor += 1;
  }
  return out;
}

function diffClause(before: MouClause | undefined, after: MouClause | undefined): ClauseDiff {
  if (before && !after) return { id: before.id, status: 'removed', origin: before.origin, parts: whole('removed', before.text) };
  if (!before && after) return { id: after.id, status: 'added', origin: after.origin, parts: whole('added', after.text) };
  const parts = diffText(before!.text, after!.text);
  return { id: after!.id, status: statusOf([parts]), origin: after!.origin, parts };
}

function countWords(parts: DiffPart[], kind: 'added' | 'removed'): number {
  return parts.filter((p) => p.kind === kind).reduce((n, p) => n + (p.text.match(/\S+/g)?.length ?? 0), 0);
}

/** Compares two versions; `before` null means everything in `after` is new. */
export function diffMou(before: MouSection[] | null, after: MouSection[]): MouDiffResult {
  const pairs = mergeByKey(before ?? [], after, (s) => s.key);
  const sections: SectionDiff[] = pairs.map(({ before: b, after: a }) => {
    if (b && !a) {
      return {
        key: b.key,
        status: 'removed',
        title: b.title,
        titleParts: whole('removed', b.title),
        bodyParts: whole('removed', b.body),
        clauses: b.clauses.map((c) => diffClause(c, undefined)),
      };
    }
    if (!b && a) {
      return {
        key: a.key,
        status: 'added',
        title: a.title,
        titleParts: whole('added', a.title),
        bodyParts: whole('added', a.body),
        clauses: a.clauses.map((c) => diffClause(undefined, c)),
      };
    }
    const titleParts = diffText(b!.title, a!.title);
    const bodyParts = diffText(b!.body, a!.body);
    const clauses = mergeByKey(b!.clauses, a!.clauses, (c) => c.id).map((p) => diffClause(p.before, p.after));
    const changed = statusOf([titleParts, bodyParts]) === 'changed' || clauses.some((c) => c.status !== 'same');
    // Clause order matters in a signed text: a reordering alone counts as a change.
    const reordered = b!.clauses.map((c) => c.id).join('\n') !== a!.clauses.map((c) => c.id).join('\n');
    return {
      key: a!.key,
      status: changed || reordered ? 'changed' : 'same',
      title: a!.title,
      titleParts,
      bodyParts,
      clauses,
    };
  });
  const allParts = sections.flatMap((s) => [s.titleParts, s.bodyParts, ...s.clauses.map((c) => c.parts)]);
  return {
    sections,
    changedSections: sections.filter((s) => s.status !== 'same').length,
    wordsAdded: allParts.reduce((n, p) => n + countWords(p, 'added'), 0),
    wordsRemoved: allParts.reduce((n, p) => n + countWords(p, 'removed'), 0),
  };
}
