import type { MouTemplateDoc } from './types';

// The MOU is written from what the vetting recorded: the template's sections,
// plus one clause per perception condition and per risk mitigation, each
// remembering what required it.

export type ClauseOrigin = { kind: 'perception' | 'risk' | 'approval'; ref: string; label: string };
export type MouClause = { id: string; text: string; origin: ClauseOrigin | null };
export type MouSection = { key: string; title: string; body: string; clauses: MouClause[] };

export type MouFacts = {
  organization: string;
  partner: string;
  chapter: string;
  event_title: string;
  event_date: string;
  event_place: string;
  event_description: string;
  cosponsorship_kind: string;
  lead_name: string;
  lead_email: string;
  end_date: string;
  reference: string;
};

export type MouCondition = { itemKey: string; label: string; clause: string };
export type MouMitigation = { index: number; description: string; mitigation: string };

export function fillPlaceholders(text: string, facts: MouFacts): string {
  return text.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, key: string) =>
    key in facts ? facts[key as keyof MouFacts] : whole,
  );
}

export function generateMou(
  template: MouTemplateDoc,
  facts: MouFacts,
  conditions: MouCondition[],
  mitigations: MouMitigation[],
): MouSection[] {
  return template.sections.map((section) => {
    const clauses: MouClause[] = [];
    if (section.key === 'conditions') {
      for (const c of conditions) {
        clauses.push({
          id: `perception:${c.itemKey}`,
          text: fillPlaceholders(c.clause, facts),
          origin: { kind: 'perception', ref: c.itemKey, label: c.label },
        });
      }
    }
    if (section.key === 'mitigations') {
      for (const m of mitigations) {
        clauses.push({
          id: `risk:${m.index}`,
          text: fillPlaceholders(m.mitigation, facts),
          origin: { kind: 'risk', ref: String(m.index), label: m.description },
        });
      }
    }
    // Titles take placeholders as bodies do: the template editor accepts them in both.
    return { key: section.key, title: fillPlaceholders(section.title, facts), body: fillPlaceholders(section.body, facts), clauses };
  });
}

/** Every clause id the vetting requires; removing one needs a stated reason. */
export function requiredClauseIds(conditions: MouCondition[], mitigations: MouMitigation[]): string[] {
  return [...conditions.map((c) => `perception:${c.itemKey}`), ...mitigations.map((m) => `risk:${m.index}`)];
}
