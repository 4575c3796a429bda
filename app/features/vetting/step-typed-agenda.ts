// The agenda mapping step's typed form values: read from what arrived, and read leniently for the live preview.
import type { AgendaClassification, AgendaInput } from '../../../workflows/types';
import { arr, obj, str, type AgendaTyped, type AgendaTypedItem } from './step-forms';

export type { AgendaTyped };

export const emptyAgendaItem = (): AgendaTypedItem => ({ text: '', scope: 'event', classification: '', positionKey: '' });

export function readAgendaTyped(raw: unknown): AgendaTyped {
  return {
    items: arr(obj(raw).items).map((v) => {
      const i = obj(v);
      return { text: str(i.text), scope: str(i.scope), classification: str(i.classification), positionKey: str(i.positionKey) };
    }),
  };
}

export function previewAgendaInput(t: AgendaTyped): AgendaInput {
  return {
    items: t.items
      .filter((i) => i.text.trim() !== '')
      .map((i) => ({
        text: i.text.trim(),
        scope: i.scope === 'general' ? 'general' : 'event',
        classification: (i.classification || 'unknown') as AgendaClassification,
        positionKey: i.positionKey || null,
      })),
  };
}
