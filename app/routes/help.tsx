import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { requireUser } from '../utils/auth.server';

// How vetting works, in a few lines, for anyone signed in: the steps a proposal goes through,
// who does what, and what the record keeps. Static text under the usual layout: it reads no data
// of its own, which also makes it the pages benchmark's baseline (the layout's cost alone).

export const meta: MetaFunction = () => [{ title: 'How vetting works · Cosponsor' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

export default function Help() {
  return (
    <>
      <div className="page-head">
        <div>
          <h1>How vetting works</h1>
          <p>Every co-sponsored event goes through the same steps, and every step is recorded.</p>
        </div>
      </div>

      <section className="panel" aria-labelledby="help-steps">
        <h2 id="help-steps">The steps</h2>
        <ol className="stack">
          <li>
            <strong>Values</strong>: is the partner&rsquo;s work compatible with ours (independence, non-discrimination,
            human-rights standards, mutual respect, transparency)? Each criterion is judged with evidence.
          </li>
          <li>
            <strong>Agenda mapping</strong>: the partner&rsquo;s agenda items mapped onto our positions: aligned, compatible,
            no position, or conflicting. Items we cannot place stay unknown until staff classify them.
          </li>
          <li>
            <strong>Risk scoring</strong>: risks and benefits, each scored likelihood &times; impact, risks with their
            mitigation and what remains after it.
          </li>
          <li>
            <strong>Perception review</strong>: where the agenda or the partner calls for it, the conditions that keep
            the event from suggesting a position we do not hold. Otherwise it is recorded as not applicable.
          </li>
          <li>
            <strong>Memorandum of understanding</strong>: drafted from the proposal, edited in versions with a visible
            difference, or recorded as not needed with a reason.
          </li>
          <li>
            <strong>Staff decision</strong>: approve (with conditions and an end date), reject, or send back to a named
            step. Nobody decides on a proposal they proposed.
          </li>
        </ol>
      </section>

      <section className="panel" aria-labelledby="help-roles">
        <h2 id="help-roles">Who does what</h2>
        <ul className="stack">
          <li>
            <strong>Chapter leads</strong> propose events, complete the steps, answer requests for changes, and may
            withdraw.
          </li>
          <li>
            <strong>Staff</strong> work the review queue, read each dossier and decide.
          </li>
          <li>
            <strong>Reviewers</strong> search and read every decision in the decision register and verify the log.
          </li>
          <li>
            <strong>Admins</strong> manage people, chapters and the organization&rsquo;s versioned configuration.
          </li>
        </ul>
      </section>

      <section className="panel" aria-labelledby="help-record">
        <h2 id="help-record">What the record keeps</h2>
        <p>
          Each step writes a decision record: who, when, why, and exactly what was judged, chained to the record before
          it so that any change would show. Records are never edited or deleted; a correction is a new record. Reviewers can check the whole chain at any time.
        </p>
      </section>
    </>
  );
}
