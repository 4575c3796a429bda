import { describe, expect, it } from 'vitest';
import SQLite from 'better-sqlite3';
import { changeToken, transaction } from '../../db/connection';
import { registerFilterChoices } from '../../db/register';
import { currentDatabasePath } from '../support/db';
import { sqlGet, sqlRun } from '../support/sql';

// The register's filter choices are kept while the database is unchanged (db/register.ts,
// db/read-cache.ts): a change by this process or by another one (a second worker, a script) is seen
// by the next page, never an older list.

const names = (rows: readonly { name: string }[]) => rows.map((r) => r.name);

describe('the register filter choices', () => {
  it('show a chapter renamed by another connection on the next read', () => {
    const before = registerFilterChoices();
    const chapter = before.chapters[0]!;
    expect(registerFilterChoices()).toBe(before);
    // Another process's connection to the same file.
    const other = new SQLite(currentDatabasePath());
    try {
      other.prepare('UPDATE chapters SET name = ? WHERE id = ?').run('Renamed Elsewhere Chapter', chapter.id);
    } finally {
      other.close();
    }
    expect(names(registerFilterChoices().chapters)).toContain('Renamed Elsewhere Chapter');
    expect(names(registerFilterChoices().chapters)).not.toContain(chapter.name);
  });

  it('show a campaign renamed by this process on the next read', () => {
    const campaign = registerFilterChoices().campaigns[0]!;
    sqlRun('UPDATE campaigns SET name = ? WHERE id = ?', 'Renamed Here Campaign', campaign.id);
    expect(names(registerFilterChoices().campaigns)).toContain('Renamed Here Campaign');
  });

  it('keep each scope’s own list', () => {
    const all = registerFilterChoices();
    const chapterId = all.chapters[1]!.id;
    const one = registerFilterChoices({ chapterId });
    expect(one.chapters.map((c) => c.id)).toEqual([chapterId]);
    expect(registerFilterChoices().chapters.length).toBe(all.chapters.length);
    expect(registerFilterChoices({ chapterId }).chapters.map((c) => c.id)).toEqual([chapterId]);
  });

  it('are not kept from inside a transaction, whose reads may still be rolled back', () => {
    const campaign = registerFilterChoices().campaigns[0]!;
    expect(() =>
      transaction(() => {
        sqlRun('UPDATE campaigns SET name = ? WHERE id = ?', 'Rolled Back Campaign', campaign.id);
        expect(changeToken()).toBeNull();
        expect(names(registerFilterChoices().campaigns)).toContain('Rolled Back Campaign');
        throw new Error('roll back');
      }),
    ).toThrow('roll back');
    expect(sqlGet<{ name: string }>('SELECT name FROM campaigns WHERE id = ?', campaign.id)!.name).toBe(campaign.name);
    expect(names(registerFilterChoices().campaigns)).not.toContain('Rolled Back Campaign');
  });
});
