// The risk step's loader and form action (its schema and its row notices). Here rather
// than in the route so the route's browser bundle, the largest of the step pages, carries
// no imports of server modules (each one an empty module in the browser).
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { actingUser, requireProposal } from '../../utils/auth.server';
import { riskStepPage, uploadLimit } from './step-pages.server';
import { stepEditable } from './proposals.server';
import { itemFilesMarkup } from '../attachments/attachments-markup.server';
import { stepFormAction } from './step-action.server';
import { riskFormSchema } from './step-forms.server';

export async function riskStepLoader({ request, params }: LoaderFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id);
  return json(riskStepPage(actingUser(user), proposal));
}

export function riskStepAction(args: ActionFunctionArgs) {
  return stepFormAction(args, 'risk', {
    schema: () => riskFormSchema,
    rowNotice: ({ type, index }, values) =>
      type === 'insert'
        ? { notice: `A ${values.items[index]?.kind ?? 'risk'} was added (item ${index + 1}).`, focus: `f-items-${index}-category` }
        : { notice: `Item ${index + 1} removed.`, focus: 'add-risk' },
    // The items' file fields as the answer's values and messages show them (see attachments-markup.server.tsx).
    render: (values, errors, { user, proposal }) => ({
      files: itemFilesMarkup(values.items, errors, { proposalId: proposal.id, editable: stepEditable(user, proposal, 'risk'), limitLabel: uploadLimit() }),
    }),
  });
}
