// Where a partner lands after sending its answers: the bare layout, nothing else to reach.
import type { MetaFunction } from '@remix-run/node';

export const handle = { bareLayout: true };
export const meta: MetaFunction = () => [{ title: 'Thank you' }, { name: 'robots', content: 'noindex' }];

export default function PartnerThanks() {
  return (
    <section className="panel" aria-labelledby="thanks-title">
      <h1 id="thanks-title">Thank you</h1>
      <p role="status">Your answers were sent to the chapter and recorded. You can close this page.</p>
    </section>
  );
}
