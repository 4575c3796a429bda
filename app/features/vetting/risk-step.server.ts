// The risk step's form action: its schema and its row notices. Here rather than in the
// route so the route's browser bundle does not import the step schemas' (empty) module.
import type { ActionFunctionArgs } from '@remix-run/node';
import { stepFormAction } from './step-action.server';
import { riskFormSchema } from './step-forms.server';

export function riskStepAction(args: ActionFunctionArgs) {
  return stepFormAction(args, 'risk', {
    schema: () => riskFormSchema,
    rowNotice: ({ type, index }, values) =>
      type === 'insert'
        ? { notice: `A ${values.items[index]?.kind ?? 'risk'} was added (item ${index + 1}).`, focus: `f-items-${index}-category` }
        : { notice: `Item ${index + 1} removed.`, focus: 'add-risk' },
  });
}
