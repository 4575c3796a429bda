import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { finishSignOn, pendingSignOnOf, signOnRedirectUri } from '../features/auth/sign-on.server';
import { safeRedirect } from '../utils/safe-redirect';
import { clientAddress, forgetSignOnFlow, readSignOnFlow, startSession } from '../utils/session.server';

// Where the sign-on provider sends the browser back. A GET that signs in: the protocol
// delivers the answer this way, and it is single-use (the flow's cookie is forgotten here
// and the provider redeems a code once), so a reload changes nothing
// (docs/decisions/0130-single-sign-on.md).

export const meta: MetaFunction = () => [{ title: 'Single sign-on · Cosponsor' }];

const STATUS = { refused: 400, throttled: 429, unavailable: 503 } as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const requestUrl = new URL(request.url);
  // The answer as the provider addressed it (APP_URL behind a proxy), so the redirect URI matches.
  const callbackUrl = new URL(signOnRedirectUri(request.url));
  callbackUrl.search = requestUrl.search;
  const result = await finishSignOn({ callbackUrl, pending: pendingSignOnOf(await readSignOnFlow(request)), ip: clientAddress(request) });
  const headers = new Headers({ 'Set-Cookie': await forgetSignOnFlow(request) });
  if (result.ok) {
    headers.append('Set-Cookie', await startSession(result.userId, request));
    return redirect(safeRedirect(result.redirectTo), { headers });
  }
  if (result.kind === 'waiting') return redirect('/auth/waiting', { headers });
  return json({ message: result.message }, { status: STATUS[result.kind], headers });
}

export default function SignOnRefused() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <section className="auth panel" aria-labelledby="sign-on-title">
      <h1 id="sign-on-title">You are not signed in</h1>
      <div className="alert alert--bad" role="alert">
        {message}
      </div>
      <p>
        <Link to="/login">Back to the sign-in page</Link>
      </p>
    </section>
  );
}
