// The perception review step's typed form values: read from what arrived, and read leniently for the live preview.
import type { PerceptionAnswer, PerceptionInput } from '../../../workflows/types';
import { obj, readAttachments, str, type PerceptionTyped } from './step-forms';

export type { PerceptionTyped };

export function readPerceptionTyped(raw: unknown, keys: string[]): PerceptionTyped {
  const answers = obj(obj(raw).answers);
  return {
    answers: Object.fromEntries(
      keys.map((k) => {
        const a = obj(answers[k]);
        return [k, { answer: str(a.answer), note: str(a.note), attachments: readAttachments(a.attachments) }];
      }),
    ),
  };
}

export function previewPerceptionInput(t: PerceptionTyped): PerceptionInput {
  const answers: PerceptionInput['answers'] = {};
  for (const [k, a] of Object.entries(t.answers)) {
    if (a.answer) answers[k] = { answer: a.answer as PerceptionAnswer, note: a.note };
  }
  return { answers };
}
