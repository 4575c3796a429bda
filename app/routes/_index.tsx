import type { LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { requireUser } from '../utils/auth.server';
import { homePathOf } from '../utils/home-page';

// The start page lands each person on their work (homePathOf).
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return redirect(homePathOf(user));
}

// Never shown (the loader always redirects); a page component keeps client-side links to "/" working.
export default function Start() {
  return null;
}
