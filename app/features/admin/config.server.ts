import { activeConfig, addConfigVersion, configHistory, configVersion, listCampaigns } from '../../../db/config';
import { transaction } from '../../../db/connection';
import { diffText, type DiffPart } from '../../../workflows/mou-diff';
import { can, type ActingUser } from '../../../workflows/policy';
import { isRecordedMovement, RECORDED_MOVEMENTS } from '../../../workflows/rules/agenda';
import type { ConfigDocs } from '../../../workflows/types';
import { MOU_PLACEHOLDERS } from '../mou/mou.server';
import { positiveWholeNumber } from '../../utils/whole-number';

// The versioned configuration documents admins edit (positions catalog, values
// criteria, risk matrix, perception checklist). A save adds a new version; decision
// records name the version they were judged against, so earlier ones stay as they were.

export type EditableKind = 'values_criteria' | 'positions' | 'risk_matrix' | 'perception_checklist';

const CONFIG_TITLES: Record<EditableKind, string> = {
  values_criteria: 'Values criteria',
  positions: 'Positions catalog',
  risk_matrix: 'Risk matrix',
  perception_checklist: 'Perception checklist',
};

export type ConfigSaveResult =
  | { ok: true; version: number; message: string }
  | { ok: false; kind: 'forbidden' | 'stale' | 'invalid'; message: string; current: number; fieldErrors?: Record<string, string[]> };

/** Saves a new version, unless someone saved one since the editor was opened (nothing is overwritten unseen). */
export function saveConfigVersion<K extends EditableKind>(
  actor: ActingUser,
  kind: K,
  body: ConfigDocs[K],
  note: string,
  baseVersion: number,
): ConfigSaveResult {
  const permission = can(actor, 'admin.manage');
  if (!permission.ok) return { ok: false, kind: 'forbidden', message: permission.reason, current: activeConfig().versions[kind] };
  const problems = documentProblems(kind, body);
  if (problems) return { ok: false, kind: 'invalid', message: 'Some fields need attention. Nothing was saved.', current: baseVersion, fieldErrors: problems };
  return transaction((): ConfigSaveResult => {
    const current = activeConfig().versions[kind];
    if (current !== baseVersion) {
      return {
        ok: false,
        kind: 'stale',
        message: `Someone saved version ${current} of the ${CONFIG_TITLES[kind].toLowerCase()} after you opened it, so nothing was saved. Your changes are kept below: compare with version ${current}, then save again to replace it.`,
        current,
      };
    }
    const version = addConfigVersion(kind, body, note, actor.id);
    return {
      ok: true,
      version,
      message: `${CONFIG_TITLES[kind]} version ${version} saved. New decisions use it; records already made keep naming the version they used.`,
    };
  });
}

/** Checks that need more than the form: campaigns that exist, placeholders the MOU drafting knows. */
function documentProblems<K extends EditableKind>(kind: K, body: ConfigDocs[K]): Record<string, string[]> | null {
  const errors: Record<string, string[]> = {};
  if (kind === 'positions') {
    const campaigns = new Set(listCampaigns(false).map((c) => c.key));
    (body as ConfigDocs['positions']).positions.forEach((p, i) => {
      if (p.campaignKey !== null && !campaigns.has(p.campaignKey)) errors[`positions[${i}].campaignKey`] = ['Choose a campaign from the list.'];
      if (p.perceptionSensitive && !isRecordedMovement(p.perceptionSensitive)) {
        errors[`positions[${i}].perceptionSensitive`] = [
          `Partners can be recorded as supporting ${RECORDED_MOVEMENTS.join(', ')} only: name ${RECORDED_MOVEMENTS.length === 1 ? 'it' : 'one of them'}, or leave this empty. Another name would never match a partner, and the perception review would not be asked for.`,
        ];
      }
    });
  }
  if (kind === 'perception_checklist') {
    const known = new Set<string>(MOU_PLACEHOLDERS);
    (body as ConfigDocs['perception_checklist']).items.forEach((item, i) => {
      const unknown = [...item.condition.matchAll(/\{\{\s*([a-z_]+)\s*\}\}/g)].map((m) => m[1]!).filter((p) => !known.has(p));
      if (unknown.length) {
        errors[`items[${i}].condition`] = [
          `Unknown placeholder ${unknown.map((u) => `{{${u}}}`).join(', ')}: use ${MOU_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}.`,
        ];
      }
    });
  }
  return Object.keys(errors).length ? errors : null;
}

// ---- Reading: the active version, the history and a comparison ----

export type ConfigChange = {
  key: string;
  title: string;
  status: 'added' | 'removed' | 'changed';
  fields: { label: string; parts: DiffPart[] }[];
};

type Entry = { key: string; title: string; fields: { label: string; value: string }[] };

const STANCE_LABEL: Record<string, string> = { calls_for: 'Calls for', no_position: 'No position', opposes: 'Opposes' };

/** A document as entries keyed the way records refer to them, to compare entry by entry. */
function entriesOf<K extends EditableKind>(kind: K, doc: ConfigDocs[K]): Entry[] {
  switch (kind) {
    case 'values_criteria':
      return (doc as ConfigDocs['values_criteria']).criteria.map((c) => ({
        key: c.key,
        title: c.label,
        fields: [
          { label: 'Name', value: c.label },
          { label: 'Description', value: c.description },
          { label: 'Required', value: c.required ? 'Yes' : 'No' },
        ],
      }));
    case 'perception_checklist': {
      const d = doc as ConfigDocs['perception_checklist'];
      return [
        { key: ':movement', title: 'Movement', fields: [{ label: 'Movement', value: d.movement }] },
        ...d.items.map((item) => ({
          key: item.key,
          title: item.key,
          fields: [
            { label: 'Question', value: item.label },
            { label: 'Condition', value: item.condition },
          ],
        })),
      ];
    }
    case 'risk_matrix': {
      const d = doc as ConfigDocs['risk_matrix'];
      return [
        ...d.bands.map((b) => ({
          key: `band:${b.name}`,
          title: `Band “${b.name}”`,
          fields: [
            { label: 'From', value: String(b.min) },
            { label: 'To', value: String(b.max) },
          ],
        })),
        { key: ':margin', title: 'Close margin', fields: [{ label: 'Percent', value: String(d.closeMarginPercent) }] },
        {
          key: ':likelihood',
          title: 'Likelihood levels',
          fields: d.likelihoodLabels.map((label, i) => ({ label: `Level ${i + 1}`, value: label })),
        },
        { key: ':impact', title: 'Impact levels', fields: d.impactLabels.map((label, i) => ({ label: `Level ${i + 1}`, value: label })) },
        { key: ':categories', title: 'Categories', fields: [{ label: 'Categories', value: d.categories.join(', ') }] },
      ];
    }
    case 'positions':
      return (doc as ConfigDocs['positions']).positions.map((p) => ({
        key: p.key,
        title: p.key,
        fields: [
          { label: 'Statement', value: p.statement },
          { label: 'Stance', value: STANCE_LABEL[p.stance] ?? p.stance },
          { label: 'Campaign', value: p.campaignKey ?? 'Organization-wide' },
          { label: 'Perception-sensitive', value: p.perceptionSensitive ?? '' },
          { label: 'Keywords', value: p.keywords.join(', ') },
          { label: 'Sources', value: p.sources.map((s) => `${s.seed}: ${s.quote}`).join('\n') },
        ],
      }));
    default:
      return [];
  }
}

/** What changed from one version to another, entry by entry (matched by key), word by word inside a field. */
export function diffConfig<K extends EditableKind>(kind: K, before: ConfigDocs[K], after: ConfigDocs[K]): ConfigChange[] {
  const old = new Map(entriesOf(kind, before).map((e) => [e.key, e]));
  const changes: ConfigChange[] = [];
  const seen = new Set<string>();
  for (const entry of entriesOf(kind, after)) {
    seen.add(entry.key);
    const was = old.get(entry.key);
    if (!was) {
      changes.push({
        key: entry.key,
        title: entry.title,
        status: 'added',
        fields: entry.fields.filter((f) => f.value).map((f) => ({ label: f.label, parts: [{ kind: 'added', text: f.value }] })),
      });
      continue;
    }
    const fields = entry.fields.flatMap((f) => {
      const before = was.fields.find((w) => w.label === f.label)?.value ?? '';
      return before === f.value ? [] : [{ label: f.label, parts: diffText(before, f.value) }];
    });
    if (fields.length) changes.push({ key: entry.key, title: entry.title, status: 'changed', fields });
  }
  for (const entry of old.values()) {
    if (seen.has(entry.key)) continue;
    changes.push({
      key: entry.key,
      title: entry.title,
      status: 'removed',
      fields: entry.fields.filter((f) => f.value).map((f) => ({ label: f.label, parts: [{ kind: 'removed', text: f.value }] })),
    });
  }
  return changes;
}

type ConfigComparison = { from: number; to: number; changes: ConfigChange[] };

/** The page's data: the active version, its history and, when the query asks (?from=&to=), the changes between two versions. */
export function configPageData<K extends EditableKind>(kind: K, query: URLSearchParams) {
  const compare = { from: versionParam(query.get('from')), to: versionParam(query.get('to')) };
  const { docs, versions } = activeConfig();
  const version = versions[kind];
  const history = configHistory(kind);
  let comparison: ConfigComparison | null = null;
  const from = compare.from;
  const to = compare.to ?? version;
  if (from !== null && from !== to) {
    const before = configVersion(kind, from);
    const after = to === version ? docs[kind] : configVersion(kind, to);
    if (before && after) comparison = { from, to, changes: diffConfig(kind, before, after) };
  }
  return { version, doc: docs[kind], history, comparison };
}

/** The campaigns a position may belong to, for the positions editor. */
export function campaignChoices() {
  return listCampaigns(false).map((c) => ({ key: c.key, name: c.active ? c.name : `${c.name} (inactive)` }));
}

/** A version number from the query string, or null. */
function versionParam(value: string | null): number | null {
  const n = positiveWholeNumber(value);
  return n !== null && n < 1_000_000 ? n : null;
}

/** A position as its editor shows it: keywords and sources one a line. */
export function positionFormValue(p: ConfigDocs['positions']['positions'][number]) {
  return {
    key: p.key,
    statement: p.statement,
    stance: p.stance,
    campaignKey: p.campaignKey ?? '',
    perceptionSensitive: p.perceptionSensitive ?? '',
    keywords: p.keywords.join('\n'),
    sources: p.sources.map((s) => `${s.seed}: ${s.quote}`).join('\n'),
  };
}
