// The risk scoring step's typed form values: read from what arrived, and read leniently for the live preview.
import type { RiskInput } from '../../../workflows/types';
import { arr, num, numOrNull, obj, readAttachments, str, type RiskTyped, type RiskTypedItem } from './step-forms';

export type { RiskTyped };

export const emptyRiskItem = (kind: 'risk' | 'benefit'): RiskTypedItem => ({
  kind,
  category: '',
  description: '',
  likelihood: '',
  impact: '',
  mitigation: '',
  residualLikelihood: '',
  residualImpact: '',
  attachments: [],
});

export function readRiskTyped(raw: unknown): RiskTyped {
  return {
    items: arr(obj(raw).items).map((v) => {
      const i = obj(v);
      return {
        kind: str(i.kind) || 'risk',
        category: str(i.category),
        description: str(i.description),
        likelihood: str(i.likelihood),
        impact: str(i.impact),
        mitigation: str(i.mitigation),
        residualLikelihood: str(i.residualLikelihood),
        residualImpact: str(i.residualImpact),
        attachments: readAttachments(i.attachments),
      };
    }),
  };
}

export function previewRiskInput(t: RiskTyped): RiskInput {
  return {
    items: t.items.map((i) => {
      const risk = i.kind !== 'benefit';
      return {
        kind: risk ? 'risk' : 'benefit',
        category: i.category,
        description: i.description,
        likelihood: num(i.likelihood),
        impact: num(i.impact),
        mitigation: risk ? i.mitigation || null : null,
        residualLikelihood: risk ? numOrNull(i.residualLikelihood) : null,
        residualImpact: risk ? numOrNull(i.residualImpact) : null,
      };
    }),
  };
}
