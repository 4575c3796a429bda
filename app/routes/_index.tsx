import type { LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { hasRole, isAdmin, isChapterLead, isStaff } from '../../workflows/policy';
import { requireUser } from '../utils/auth.server';

// The start page lands each person on their work: staff on the review queue, a chapter lead on
// their chapter's proposals (what needs them first), a reviewer on the decision register, an
// admin on administration.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (isStaff(user)) return redirect('/review');
  if (isChapterLead(user)) return redirect('/proposals');
  if (isAdmin(user)) return redirect('/admin/users');
  if (hasRole(user, 'reviewer')) return redirect('/decisions');
  return redirect('/proposals');
}

// Never shown (the loader always redirects); a page component keeps client-side links to "/" working.
export default function Start() {
  return null;
}
