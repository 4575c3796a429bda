import type { MetaFunction } from '@remix-run/node';
import { Link } from '@remix-run/react';

// Where a person lands after signing on for the first time: their account exists but an
// administrator has to give it a role (and a chapter) before it can be used.

export const meta: MetaFunction = () => [{ title: 'Waiting for an administrator · Cosponsor' }];

export default function WaitingForAdministrator() {
  return (
    <section className="auth panel" aria-labelledby="waiting-title">
      <h1 id="waiting-title">Waiting for an administrator</h1>
      <p role="status">
        You signed in, and your Cosponsor account was created. Before you can use it, an administrator has to give it a role
        (and, for a chapter lead, a chapter) and activate it. The administrators see your account on their list.
      </p>
      <p>Once they have, sign in again the same way.</p>
      <p>
        <Link to="/login">Back to the sign-in page</Link>
      </p>
    </section>
  );
}
