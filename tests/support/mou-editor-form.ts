import type { EditorState } from '../../app/features/mou/mou.server';

/** The MOU editor's post for `state`, named as the step page names its fields; `extra` adds or replaces fields. */
export function mouEditorForm(state: EditorState, intent: string, extra: Record<string, string> = {}): Record<string, string> {
  const form: Record<string, string> = {
    intent,
    version: String(state.version),
    baseVersion: state.baseVersion ? String(state.baseVersion) : '',
    note: state.note,
  };
  state.sections.forEach((s, i) => {
    form[`sections[${i}].key`] = s.key;
    form[`sections[${i}].body`] = s.body;
    s.clauses.forEach((c, j) => {
      form[`sections[${i}].clauses[${j}].id`] = c.id;
      form[`sections[${i}].clauses[${j}].text`] = c.text;
      if (c.removed) form[`sections[${i}].clauses[${j}].removed`] = 'on';
      if (c.reason) form[`sections[${i}].clauses[${j}].reason`] = c.reason;
    });
  });
  return { ...form, ...extra };
}
