import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { endSession } from '../utils/session.server';

// Signing out is a POST: no GET changes anything.
export async function action({ request }: ActionFunctionArgs) {
  return redirect('/login', { headers: { 'Set-Cookie': await endSession(request) } });
}

export async function loader() {
  return redirect('/');
}
