import type { LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { requirePermission } from '../utils/auth.server';

// /admin has no page of its own: admins land on the user list.
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'admin.manage');
  return redirect('/admin/users');
}

// A page module (not a resource route), so a refusal shows the error page with its reason.
export default function AdminIndex() {
  return null;
}
