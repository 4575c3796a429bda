import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all, qb } from '../../db/connection';
import { proposalRow } from '../../db/proposals';
import { catchUpSearchIndex } from '../../db/search-index';
import { startApp, type TestApp } from '../support/app-server';
import { ALIGNED_ITEM, decideAs, newPartner, proposalInReview } from '../integration/review-fixtures';

// SQLite plans a statement again on every run when a bound value is compared with the condition
// of a partial index (`current = ?` against `... WHERE current = 1`): to know whether the index
// applies it must see the value, so each new binding expires the prepared plan. Measured, such a
// statement cost twice its plain run (bench/replanned-statements.ts). Our own constants are written
// into the SQL instead; this test opens the pages and takes the decisions people do most, records
// every statement prepared, and finds any that still binds a value where a partial index's condition
// names a constant.

const prepared = new Set<string>();
const originalPrepare = SQLite.prototype.prepare;
let app: TestApp;
const cookies: Record<string, string> = {};
const PEOPLE = ['lead@cosponsor.test', 'staff@cosponsor.test', 'reviewer@cosponsor.test'];
let ids: { review: number; returned: number; partner: number };

beforeAll(async () => {
  SQLite.prototype.prepare = function (this: SQLite.Database, source: string) {
    prepared.add(source);
    return originalPrepare.call(this, source);
  } as typeof SQLite.prototype.prepare;
  app = await startApp();
  for (const email of PEOPLE) cookies[email] = await app.login(email);
  const partner = newPartner('Replanned Statements Group');
  const review = proposalInReview({ partnerId: partner });
  // Sent back to the agenda, then submitted again: the resubmission retires the step's current items.
  const returned = proposalInReview({ partnerId: newPartner('Returned Twice Group') });
  expect(decideAs('staff@cosponsor.test', returned, { type: 'REQUEST_CHANGES', step: 'agenda', rationale: 'Name the speakers on the agenda.' }).ok).toBe(true);
  const resubmitted = decideAs('lead@cosponsor.test', returned, { type: 'SUBMIT_AGENDA', input: { items: [ALIGNED_ITEM] } });
  expect(resubmitted.ok, JSON.stringify(resubmitted)).toBe(true);
  ids = { review, returned, partner };
  expect(proposalRow(returned)!.state).not.toBe('agenda');
  catchUpSearchIndex();
});

afterAll(async () => {
  SQLite.prototype.prepare = originalPrepare;
  await app.close();
});

type Condition = { table: string; column: string; listLength: number | null };

/** The terms of every partial index's condition that compare a column with constants. */
function partialIndexConditions(): Condition[] {
  const indexes = all(
    qb().selectFrom('sqlite_master' as never).select(['tbl_name', 'sql'] as never[]).where('type' as never, '=', 'index' as never),
  ) as unknown as { tbl_name: string; sql: string | null }[];
  const conditions: Condition[] = [];
  for (const { tbl_name: table, sql } of indexes) {
    const where = sql ? /\bWHERE\b([\s\S]*)$/i.exec(sql)?.[1] : undefined;
    if (!where) continue;
    for (const term of topLevelAnd(where)) {
      const equal = /^\(*\s*(\w+)\s*=\s*('[^']*'|-?\d+)\s*\)*$/.exec(term);
      if (equal) conditions.push({ table, column: equal[1]!, listLength: null });
      const list = /^\(*\s*(\w+)\s+(?:NOT\s+)?IN\s*\(([^)]*)\)\s*\)*$/i.exec(term);
      if (list) conditions.push({ table, column: list[1]!, listLength: list[2]!.split(',').length });
    }
  }
  return conditions;
}

function topLevelAnd(expression: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && /^\sAND\s/i.test(expression.slice(i, i + 5))) {
      terms.push(expression.slice(start, i).trim());
      start = i + 5;
    }
  }
  terms.push(expression.slice(start).trim());
  return terms;
}

/** The statements among `sources` that bind a value where one of `conditions` names a constant. */
function replannedStatements(sources: Iterable<string>, conditions: Condition[]): string[] {
  const found = new Set<string>();
  const distinct = [...new Map(conditions.map((c) => [JSON.stringify(c), c])).values()];
  for (const text of sources) {
    // An UPDATE's SET assigns, it does not compare: only what follows is planned.
    const source = text.replace(/\bset\b[\s\S]*?\bwhere\b/i, 'where');
    for (const { table, column, listLength } of distinct) {
      if (!new RegExp(`\\b(from|join|update|into)\\s+"?${table}"?(\\s|$)`, 'i').test(source)) continue;
      const name = `(?:"?\\w+"?\\.)?"?${column}"?`;
      const bound =
        listLength === null
          ? new RegExp(`${name}\\s*=\\s*\\?`, 'i')
          : new RegExp(`${name}\\s+(?:not\\s+)?in\\s*\\(\\s*\\?(?:\\s*,\\s*\\?){${listLength - 1}}\\s*\\)`, 'i');
      if (bound.test(source)) found.add(`${table}.${column}: ${text.replace(/\s+/g, ' ').slice(0, 300)}`);
    }
  }
  return [...found];
}

describe('statements SQLite would plan again on every run', () => {
  it('finds a bound value compared with a partial index condition', () => {
    const conditions = partialIndexConditions();
    expect(conditions).toContainEqual({ table: 'agenda_items', column: 'current', listLength: null });
    expect(replannedStatements(['update "agenda_items" set "current" = ? where "proposal_id" = ? and "current" = ?'], conditions)).toHaveLength(1);
    expect(replannedStatements(['update "agenda_items" set "current" = 0 where "proposal_id" = ? and "current" = 1'], conditions)).toEqual([]);
  });

  it('none is prepared by the pages and decisions people use most', async () => {
    const pages = [
      '/',
      '/proposals',
      '/proposals?group=decided',
      '/review',
      '/inbox',
      '/decisions',
      '/decisions?q=housing',
      '/decisions?step=decision&outcome=approved',
      '/decisions?step=risk&from=2020-01-01',
      `/decisions?partner=${ids.partner}`,
      '/review/revetting',
      '/audit',
      '/insights',
      `/partners/${ids.partner}`,
      ...[ids.review, ids.returned].flatMap((id) => [
        `/proposals/${id}`,
        `/review/${id}`,
        `/proposals/${id}/record`,
        ...['values', 'agenda', 'risk', 'perception', 'mou'].map((s) => `/proposals/${id}/steps/${s}`),
      ]),
    ];
    for (const email of PEOPLE) {
      for (const path of pages) {
        const response = await app.fetch(path, { cookie: cookies[email] });
        await response.arrayBuffer();
        expect(response.status, `${path} as ${email}`).toBeLessThan(500);
      }
    }
    expect(prepared.size).toBeGreaterThan(50);
    expect(replannedStatements(prepared, partialIndexConditions())).toEqual([]);
  });
});
