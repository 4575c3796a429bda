// The agenda step's loader and form action (its schema, its row notices and the positions
// search that rides on the form). Here rather than in the route so the route's browser
// bundle carries no imports of server modules (each one an empty module, and a file of its
// own, in the browser): see risk-step.server.ts.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { actingUser, requireProposal } from '../../utils/auth.server';
import { agendaStepPage, searchPositionCatalog } from './step-pages.server';
import { stepFormAction } from './step-action.server';
import { agendaFormSchema } from './step-forms.server';
import { matchCountText } from './position-search';

export async function agendaStepLoader({ request, params }: LoaderFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id);
  return json(agendaStepPage(actingUser(user), proposal));
}

// The catalog search rides on the step form (so nothing typed is lost without JavaScript):
// its words come back with every re-render of the form.
const searchWords = (payload: Record<string, unknown>) => String(payload.positionSearch ?? '').slice(0, 200);

export function agendaStepAction(args: ActionFunctionArgs) {
  return stepFormAction(args, 'agenda', {
    schema: () => agendaFormSchema,
    echo: (payload) => ({ positionSearch: searchWords(payload) }),
    rowNotice: ({ type, index }) =>
      type === 'insert'
        ? { notice: `Agenda item ${index + 1} added.`, focus: `f-items-${index}-text` }
        : { notice: `Agenda item ${index + 1} removed.`, focus: 'add-item' },
    editRows: (values, intent, payload) => {
      if (intent === 'search-positions') {
        const words = searchWords(payload);
        const found = searchPositionCatalog(words);
        const notice = words.trim() ? matchCountText(found.length, words) : 'Type words to look for in the positions catalog.';
        return { values, notice, focus: 'f-positionSearch' };
      }
      return null;
    },
  });
}
