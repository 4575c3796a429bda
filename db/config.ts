import type { ConfigDocs, ConfigKind, ConfigVersions } from '../workflows/types';
import { canonicalJson } from './record-hash';
import { all, first, insertId, nowIso, prebuilt, qb } from './connection';

export const CONFIG_KINDS: ConfigKind[] = ['values_criteria', 'positions', 'risk_matrix', 'perception_checklist', 'mou_template'];

export type ActiveConfig = {
  docs: ConfigDocs;
  versions: ConfigVersions;
  /** canonicalJson(versions): the stamp every record and step submission cites, serialized once per configuration. */
  versionsJson: string;
};

let cache: { key: string; value: ActiveConfig } | undefined;

/** The highest config_versions id, which stamps the whole active set: also read with a decision's proposal (db/proposals.ts). */
export const newestConfigIdQuery = () => qb().selectFrom('config_versions').select((eb) => eb.fn.max('id').as('max'));

const newestConfigId = prebuilt<Record<string, never>, { max: number | null }>([], newestConfigIdQuery);

/**
 * The newest version of each configuration document. `newestId`: the highest config_versions id,
 * when the caller read it already in its own statement (a decision reads it with the proposal).
 */
export function activeConfig(newestId?: number | null): ActiveConfig {
  // Versions only ever grow, so the highest id identifies the whole set.
  const key = `${(newestId === undefined ? first(newestConfigId({}))?.max : newestId) ?? 0}`;
  if (cache && cache.key === key) return cache.value;
  const rows = all(
    qb()
      .selectFrom('config_versions as c')
      .select(['c.kind', 'c.version', 'c.body'])
      .where('c.version', '=', (eb) =>
        eb.selectFrom('config_versions as d').select((e) => e.fn.max('d.version').as('v')).whereRef('d.kind', '=', 'c.kind'),
      ),
  );
  const docs = {} as Record<ConfigKind, unknown>;
  const versions = {} as ConfigVersions;
  for (const row of rows) {
    docs[row.kind as ConfigKind] = JSON.parse(row.body);
    versions[row.kind as ConfigKind] = row.version;
  }
  for (const kind of CONFIG_KINDS) {
    if (!(kind in docs)) throw new Error(`The configuration has no ${kind} document: run npm run db:seed.`);
  }
  const value = { docs: docs as ConfigDocs, versions, versionsJson: canonicalJson(versions) };
  cache = { key, value };
  return value;
}

export function configVersion<K extends ConfigKind>(kind: K, version: number): ConfigDocs[K] | undefined {
  const row = first(
    qb().selectFrom('config_versions').select('body').where('kind', '=', kind).where('version', '=', version),
  );
  return row ? (JSON.parse(row.body) as ConfigDocs[K]) : undefined;
}

export function configHistory(kind: ConfigKind) {
  return all(
    qb()
      .selectFrom('config_versions as c')
      .leftJoin('users as u', 'u.id', 'c.created_by')
      .select(['c.version', 'c.note', 'c.created_at', 'u.name as created_by_name'])
      .where('c.kind', '=', kind)
      .orderBy('c.version', 'desc'),
  );
}

/** Adds a new version of one document; earlier versions stay as they were. */
export function addConfigVersion<K extends ConfigKind>(
  kind: K,
  body: ConfigDocs[K],
  note: string,
  createdBy: number | null,
): number {
  const latest = first(
    qb().selectFrom('config_versions').select((eb) => eb.fn.max('version').as('v')).where('kind', '=', kind),
  );
  const version = (latest?.v ?? 0) + 1;
  insertId(
    qb()
      .insertInto('config_versions')
      .values({ kind, version, body: JSON.stringify(body), note, created_by: createdBy, created_at: nowIso() }),
  );
  return version;
}

export function listCampaigns(activeOnly = true) {
  let q = qb().selectFrom('campaigns').selectAll().orderBy('name');
  if (activeOnly) q = q.where('active', '=', 1);
  return all(q);
}

export function campaignById(id: number) {
  return first(qb().selectFrom('campaigns').selectAll().where('id', '=', id));
}
