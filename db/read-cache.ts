import { database, dataVersion, readSnapshot } from './connection';

/**
 * What a read produced, kept for as long as the database holds the same data (db/connection
 * dataVersion: any write, by this process or another, changes it). For reads that are a pure
 * function of the data and of their key: the key must hold everything else the result depends
 * on (who is asking, the day, options), so one person's view is never served to another.
 * A few entries, the least recently used dropped first.
 */
export function dataCache<V>(maxEntries: number) {
  const entries = new Map<string, { version: string; value: V }>();
  return {
    read(key: string, compute: () => V): V {
      // Inside a transaction a read may yet be rolled back, and SQLite's change counter counts
      // rolled-back writes like the others: nothing read there is kept or served.
      const db = database();
      if (db.kind === 'sqlite' && db.sqlite.inTransaction) return compute();
      const kept = entries.get(key);
      if (kept && kept.version === dataVersion()) {
        // Most recently used last: the first entry is the one to drop.
        entries.delete(key);
        entries.set(key, kept);
        return kept.value;
      }
      // The version is read inside the snapshot the value is read from (on PostgreSQL the
      // snapshot is the version), and before it: a write in between only makes the value newer
      // than its key, a key no later read sees again.
      const made = readSnapshot(() => ({ version: dataVersion(), value: compute() }));
      entries.delete(key);
      entries.set(key, made);
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return made.value;
    },
    clear(): void {
      entries.clear();
    },
  };
}
