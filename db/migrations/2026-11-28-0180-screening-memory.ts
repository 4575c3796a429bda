import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// Screening that remembers (docs/outside-services.md):
// 1. The scheduled rescan finds a partner's latest screening, whatever proposal it was for.
// 2. A hit the rescan finds on an approved partnership raises one alert per proposal and listed
//    entity: the unique key is what makes a second rescan with the same hit raise nothing.
//    The judgment that a hit is "not a true match" is a decision record, not a row here.

const statements = [
  `CREATE INDEX screenings_partner ON screenings(partner_id, id)`,
  `CREATE TABLE screening_alerts (
    id INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL REFERENCES proposals(id),
    partner_id INTEGER NOT NULL REFERENCES partners(id),
    entity_id TEXT NOT NULL,
    caption TEXT NOT NULL,
    screening_id INTEGER NOT NULL REFERENCES screenings(id),
    raised_at TEXT NOT NULL,
    UNIQUE (proposal_id, entity_id)
  )`,
  `CREATE INDEX screening_alerts_partner ON screening_alerts(partner_id, entity_id)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`DROP TABLE screening_alerts`).execute(db);
  await sql.raw(`DROP INDEX screenings_partner`).execute(db);
}
