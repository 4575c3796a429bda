import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useMatches,
  useNavigation,
  useRevalidator,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react';
import { useEffect, useRef } from 'react';
import stylesHref from './styles/app.css';
import { roleLabel } from './utils/labels';
import { useNonce } from './utils/nonce';
import { readFlash, getSessionUser } from './utils/session.server';
import { env } from './utils/env.server';
import { headerExtras } from './features/inbox/header.server';
import * as policy from '../workflows/policy';
import { isPartnerPath } from './http/partner-paths';
import type { Role } from '../workflows/types';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesHref },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

export const meta: MetaFunction = () => [{ title: 'Cosponsor' }];

/**
 * Which main links the header shows, decided here on the server by the policy, so the policy
 * module and the role labels stay out of every page's JavaScript (issue 15: at most 100 KB).
 */
function navigationFor(user: { roles: Role[] }) {
  return {
    review: policy.isStaff(user),
    proposals: policy.isChapterLead(user) || policy.seesEveryChapter(user),
    insights: policy.maySeeInsights(user),
    admin: policy.isAdmin(user),
  };
}

export async function loader({ request }: LoaderFunctionArgs) {
  // A partner's questionnaire link needs no session and shows nobody's: nothing is read for it.
  if (isPartnerPath(new URL(request.url).pathname)) return json({ user: null, extras: null, flash: null });
  const user = await getSessionUser(request);
  const { flash, setCookie } = await readFlash(request);
  return json(
    {
      user: user
        ? {
            id: user.id,
            name: user.name,
            email: user.email,
            roles: user.roles,
            roleNames: user.roles.map(roleLabel).join(', '),
            chapterName: user.chapter_name,
            // After a password reset only the page to choose a new one opens: no links to others.
            nav: policy.mustChoosePasswordFirst({ passwordChangeRequired: user.password_change_required === 1 }, env().LOCAL_LOGIN) ? null : navigationFor(user),
          }
        : null,
      extras: user ? headerExtras(user) : null,
      flash,
    },
    { headers: { 'Set-Cookie': setCookie } },
  );
}

export type RootData = typeof loader;

function Header() {
  const data = useRouteLoaderData<typeof loader>('root');
  const user = data?.user;
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link to="/" className="brand" aria-label="Cosponsor, home">
          <span className="brand__mark" aria-hidden="true">◆</span> Cosponsor
        </Link>
        {user?.nav ? (
          <nav aria-label="Main" className="main-nav">
            {user.nav.review ? <NavLink to="/review">Review queue</NavLink> : null}
            {user.nav.proposals ? <NavLink to="/proposals">Proposals</NavLink> : null}
            <NavLink to="/decisions">Decisions</NavLink>
            {user.nav.insights ? <NavLink to="/insights">Insights</NavLink> : null}
            <NavLink to="/inbox">
              Inbox
              {data?.extras && data.extras.unread > 0 ? (
                <span className="badge" aria-label={`${data.extras.unread} unread`}>{data.extras.unread}</span>
              ) : null}
            </NavLink>
            {user.nav.admin ? <NavLink to="/admin/users">Admin</NavLink> : null}
          </nav>
        ) : null}
        {user ? (
          <div className="whoami">
            <span className="whoami__who">
              {user.nav ? (
                // The person's name leads to their account (password): no extra button, so the header keeps to one line.
                <Link to="/account" className="whoami__name whoami__account">
                  {user.name}
                  <span className="visually-hidden"> (your account)</span>
                </Link>
              ) : (
                <span className="whoami__name">{user.name}</span>
              )}
              <span className="whoami__role">
                {user.roleNames}
                {user.chapterName ? ` · ${user.chapterName}` : ''}
              </span>
            </span>
            {user.nav ? (
              <Link to="/settings/notifications" className="button button--quiet button--small">
                Notification settings
              </Link>
            ) : null}
            <Form method="post" action="/logout">
              <button type="submit" className="button button--quiet button--small">Sign out</button>
            </Form>
          </div>
        ) : null}
      </div>
    </header>
  );
}

function FlashMessage() {
  const data = useRouteLoaderData<typeof loader>('root');
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (data?.flash) ref.current?.focus();
  }, [data?.flash]);
  if (!data?.flash) return null;
  return (
    <div ref={ref} tabIndex={-1} role="status" className={`flash flash--${data.flash.kind}`}>
      {data.flash.message}
    </div>
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  // Busy while a submission, its redirect or a revalidation loads: assistive technology (and the
  // browser tests) can tell when the page has settled.
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const busy = navigation.state !== 'idle' || revalidator.state !== 'idle';
  // Undefined on the error page of a failed root loader: the footer link then waits for a sign-in.
  const data = useRouteLoaderData<typeof loader>('root');
  // The partner's pages (handle.bareLayout): no header, no navigation, no footer links and no scripts.
  const bare = useMatches().some((m) => (m.handle as { bareLayout?: boolean } | undefined)?.bareLayout);
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {bare ? (
          <main id="main" className="page page--partner" aria-busy={busy}>
            {children}
          </main>
        ) : (
          <>
            <a className="skip-link" href="#main">Skip to content</a>
            <Header />
            <main id="main" className="page" aria-busy={busy}>
              <FlashMessage />
              {children}
            </main>
            <footer className="site-footer">
              Cosponsor · coalition-partner vetting · every decision is recorded
              {data?.user ? (
                <>
                  {' · '}
                  <Link to="/help">How vetting works</Link>
                </>
              ) : null}
            </footer>
          </>
        )}
        {bare ? null : (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        )}
      </body>
    </html>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const data = error.data as { message?: string; typed?: { name: string; value: string }[]; title?: string } | undefined;
    const message = data?.message;
    const title =
      data?.title ??
      (error.status === 403
        ? 'You do not have access to this'
        : error.status === 404
          ? 'Not found'
          : error.status === 401
            ? 'Please sign in'
            : error.status === 507 || error.status === 503
              ? 'Not saved'
              : `Error ${error.status}`);
    return (
      <section className="panel error-page" aria-labelledby="error-title">
        <h1 id="error-title">{title}</h1>
        <p role="alert">{message ?? error.statusText}</p>
        {data?.typed?.length ? (
          <div className="stack">
            {data.typed.map((field, i) => (
              <div className="field" key={`${field.name}-${i}`}>
                <label htmlFor={`typed-${i}`}>{field.name}</label>
                <textarea id={`typed-${i}`} dir="auto" readOnly rows={Math.min(8, field.value.split('\n').length + 1)} defaultValue={field.value} />
              </div>
            ))}
          </div>
        ) : null}
        {error.status === 401 ? <Link to="/login">Sign in</Link> : <Link to="/">Back to the start page</Link>}
      </section>
    );
  }
  console.error(error);
  return (
    <section className="panel error-page" aria-labelledby="error-title">
      <h1 id="error-title">Something went wrong</h1>
      <p>Nothing you submitted was half-saved: a failed step writes nothing. Try again, or go back.</p>
      <Link to="/">Back to the start page</Link>
    </section>
  );
}
