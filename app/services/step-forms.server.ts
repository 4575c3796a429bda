// The POST of a rated step page (values, agenda, risk, perception): the proposal as
// the user may edit it, the form parsed with the step's schema, then stepAction
// (save draft, row edits, decide, stale and refusal replies).
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs } from '@remix-run/node';
import type { z } from 'zod';
import { actingUser, requireProposal } from '../utils/auth.server';
import { stepAction, type FormStep } from './proposals.server';

type EditRows<S extends FormStep> = NonNullable<Parameters<typeof stepAction<S, unknown>>[0]['editRows']>;

export async function stepFormAction<S extends FormStep, Schema extends z.ZodType>(
  { request, params }: ActionFunctionArgs,
  step: S,
  form: {
    /** Called once the form is read: some schemas follow the active configuration. */
    schema: () => Schema;
    inputOf: (value: z.infer<Schema>) => unknown;
    editRows?: EditRows<S>;
  },
): Promise<Response> {
  const { user, proposal } = await requireProposal(request, params.id, 'proposal.edit');
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: form.schema() });
  return stepAction({ request, user: actingUser(user), proposal, step, formData, submission, inputOf: form.inputOf, editRows: form.editRows });
}

/** N of a `remove-item-N` intent, else null. */
export function removedRow(intent: string): number | null {
  const m = /^remove-item-(\d+)$/.exec(intent);
  return m ? Number(m[1]) : null;
}
