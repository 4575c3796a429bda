// The perception step's loader and form action. Here rather than in the route so the route's
// browser bundle carries no imports of server modules (each one an empty module, and a
// file of its own, in the browser): see risk-step.server.ts.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { actingUser, requireProposal } from '../../utils/auth.server';
import { currentPerceptionFormSchema, perceptionStepPage } from './step-pages.server';
import { stepFormAction } from './step-action.server';

export async function perceptionStepLoader({ request, params }: LoaderFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id);
  return json(perceptionStepPage(actingUser(user), proposal));
}

export function perceptionStepAction(args: ActionFunctionArgs) {
  return stepFormAction(args, 'perception', { schema: currentPerceptionFormSchema });
}
