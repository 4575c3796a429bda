import { sql, type Compilable, type ExpressionBuilder } from 'kysely';
import { all, first, prebuilt, qb } from './connection';
import { constant, containsText } from './sql-dialect';
import { STATES, type ProposalState } from '../workflows/types';
import type { Database } from './schema';

// The proposal lists (/proposals): filtered, counted per group, and paged by keyset on
// (updated_at, id), newest first, so a page costs the same at any size and never repeats or skips.

export type ProposalListFilter = {
  /** A chapter lead's chapter, or a staff member's chosen one; null for every chapter. */
  chapterId: number | null;
  campaignId: number | null;
  /** Words the person typed: matched in the event title, the partner's name and the reference. */
  text: string | null;
};

/** A group of the list, as states (and whether staff sent it back); decided in workflows/ by the caller. */
export type ProposalListGroup = { states: readonly string[]; returned: boolean | null };

/** Keyset position: the (updated_at, id) of the last card seen (`after`) or the first (`before`). */
export type ListCursor = { updatedAt: string; id: number };
export type ListPage = { after?: ListCursor | null; before?: ListCursor | null; limit: number };

export type ProposalListRow = {
  id: number;
  reference: string;
  state: string;
  returned_to: string | null;
  recommend_reject: number;
  approved_until: string | null;
  event_title: string;
  event_date: string;
  kind: string;
  updated_at: string;
  partner_name: string;
  chapter_name: string;
};

type Eb = ExpressionBuilder<Database & { p: Database['proposals']; pa: Database['partners'] }, 'p' | 'pa'>;

function filtered(filter: ProposalListFilter) {
  let q = qb().selectFrom('proposals as p').innerJoin('partners as pa', 'pa.id', 'p.partner_id');
  if (filter.chapterId !== null) q = q.where('p.chapter_id', '=', filter.chapterId);
  if (filter.campaignId !== null) q = q.where('p.campaign_id', '=', filter.campaignId);
  const text = filter.text?.trim().toLowerCase();
  if (text) {
    // Not LIKE: what was typed is matched literally (no % or _ wildcards).
    q = q.where((eb: Eb) =>
      eb.or([
        containsText(sql`lower(p.event_title)`, text),
        containsText(sql`lower(pa.name)`, text),
        containsText(sql`lower(p.reference)`, text),
      ]),
    );
  }
  return q;
}

function inGroup(group: ProposalListGroup) {
  return (eb: Eb) => {
    const parts = [eb('p.state', 'in', group.states.length ? [...group.states] : [''])];
    if (group.returned === true) parts.push(eb('p.returned_to', 'is not', null));
    if (group.returned === false) parts.push(eb('p.returned_to', 'is', null));
    return eb.and(parts);
  };
}

/** How many proposals each group holds under the filter. */
export function countByGroup<K extends string>(filter: ProposalListFilter, groups: Record<K, ProposalListGroup>): Record<K, number> {
  const keys = Object.keys(groups) as K[];
  if (filter.text?.trim()) {
    // Words typed: only the rows can say which match.
    const row = first(
      filtered(filter).select((eb) =>
        keys.map((k) => eb.fn.sum<number>(eb.case().when(inGroup(groups[k])(eb as Eb)).then(1).else(0).end()).as(k)),
      ),
    ) as Record<K, number | null> | undefined;
    return Object.fromEntries(keys.map((k) => [k, Number(row?.[k] ?? 0)])) as Record<K, number>;
  }
  // Otherwise from the counts the triggers keep (migration 0125): a few rows, not every proposal.
  let q = qb()
    .selectFrom('proposal_counts')
    .select((eb) => ['state', 'returned', eb.fn.sum<number>('n').as('n')])
    .groupBy(['state', 'returned']);
  if (filter.chapterId !== null) q = q.where('chapter_id', '=', filter.chapterId);
  if (filter.campaignId !== null) q = q.where('campaign_id', '=', filter.campaignId);
  const rows = all(q);
  const count = (g: ProposalListGroup) =>
    rows
      .filter((r) => g.states.includes(r.state) && (g.returned === null || g.returned === (r.returned === 1)))
      .reduce((sum, r) => sum + Number(r.n), 0);
  return Object.fromEntries(keys.map((k) => [k, count(groups[k])])) as Record<K, number>;
}

type ByStateParams = { limit: number; chapterId: number; campaignId: number; text: string; updatedAt: string; id: number };
type ByStateShape = { state: ProposalState; chapter: boolean; campaign: boolean; text: boolean; returned: boolean | null; cursor: '<' | '>' | null; order: 'asc' | 'desc' };

// The overview runs this query once per state of each group (about 16 per page): built and
// compiled once per shape and reused, since compiling cost more than SQLite takes to run it.
// The state is part of the shape, written into the SQL: bound, it made SQLite plan the query
// again on every run (a partial index's condition names a state; see constant()).
const byStateQueries = new Map<string, (params: ByStateParams) => Compilable<ProposalListRow>>();

function byStateQuery(shape: ByStateShape) {
  const key = JSON.stringify(shape);
  let query = byStateQueries.get(key);
  if (!query) {
    const names: (keyof ByStateParams)[] = ['limit'];
    if (shape.chapter) names.push('chapterId');
    if (shape.campaign) names.push('campaignId');
    if (shape.text) names.push('text');
    if (shape.cursor) names.push('updatedAt', 'id');
    query = prebuilt<ByStateParams, ProposalListRow>(names, (p) => {
      let q = filtered({ chapterId: shape.chapter ? p.chapterId : null, campaignId: shape.campaign ? p.campaignId : null, text: shape.text ? p.text : null })
        .innerJoin('chapters as c', 'c.id', 'p.chapter_id')
        .where('p.state', '=', constant(shape.state))
        .select([
          'p.id',
          'p.reference',
          'p.state',
          'p.returned_to',
          'p.recommend_reject',
          'p.approved_until',
          'p.event_title',
          'p.event_date',
          'p.kind',
          'p.updated_at',
          'pa.name as partner_name',
          'c.name as chapter_name',
        ]);
      if (shape.returned === true) q = q.where('p.returned_to', 'is not', null);
      if (shape.returned === false) q = q.where('p.returned_to', 'is', null);
      const cursor = shape.cursor;
      if (cursor) q = q.where((eb) => eb(eb.refTuple('p.updated_at', 'p.id'), cursor, eb.tuple(p.updatedAt, p.id)));
      return q.orderBy('p.updated_at', shape.order).orderBy('p.id', shape.order).limit(p.limit) as unknown as Compilable<ProposalListRow>;
    });
    byStateQueries.set(key, query);
  }
  return query;
}

/** A state of the workflow, checked before it is written into SQL. */
function knownState(state: string): ProposalState {
  if (!(STATES as readonly string[]).includes(state)) throw new Error(`Not a proposal state: ${state}`);
  return state as ProposalState;
}

/** One page of a group, newest change first, with the cursors of the pages either side (null at an end). */
export function proposalListPage(filter: ProposalListFilter, group: ProposalListGroup, page: ListPage) {
  const goingBack = page.before != null && page.after == null;
  const cursor = goingBack ? page.before! : (page.after ?? null);
  const order = goingBack ? 'asc' : 'desc';
  // One more than asked: whether a page follows in this direction.
  const wanted = page.limit + 1;
  // Each state's newest rows come straight from an index on (state, updated_at, id), one range per
  // state, merged here: one query over all the group's states would sort the whole group first.
  const text = filter.text?.trim().toLowerCase() || null;
  const byState = (state: string) =>
    all(
      byStateQuery({
        state: knownState(state),
        chapter: filter.chapterId !== null,
        campaign: filter.campaignId !== null,
        text: text !== null,
        returned: group.returned,
        cursor: cursor ? (goingBack ? '>' : '<') : null,
        order,
      })({
        limit: wanted,
        chapterId: filter.chapterId ?? 0,
        campaignId: filter.campaignId ?? 0,
        text: text ?? '',
        updatedAt: cursor?.updatedAt ?? '',
        id: cursor?.id ?? 0,
      }),
    );
  const newestFirst = (a: ProposalListRow, b: ProposalListRow) =>
    a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : b.id - a.id;
  const merged = [...new Set(group.states)].flatMap(byState).sort(goingBack ? (a, b) => newestFirst(b, a) : newestFirst);
  const fetched = merged.slice(0, wanted);
  const more = fetched.length > page.limit;
  const rows = fetched.slice(0, page.limit);
  if (goingBack) rows.reverse();
  const at = (r: ProposalListRow | undefined): ListCursor | null => (r ? { updatedAt: r.updated_at, id: r.id } : null);
  // Coming back from a later page there is a later page; coming forward from an earlier one, an earlier one.
  const hasNewer = goingBack ? more : cursor !== null;
  const hasOlder = goingBack ? true : more;
  return {
    rows,
    newer: hasNewer && rows.length ? at(rows[0]) : null,
    older: hasOlder && rows.length ? at(rows[rows.length - 1]) : null,
  };
}
