import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysFromToday, decideAs, newPartner, proposalInReview, type AgendaItem } from '../integration/review-fixtures';
import { find, parseHtml, visibleText } from '../support/html';
import { startApp, type TestApp } from '../support/app-server';

// Small things a lead and staff tripped over (issue 14, item 16, and the
// right-to-left fields of item 4), checked in the HTML the app sends.

let app: TestApp;
let lead: string;
let staff: string;
beforeAll(async () => {
  app = await startApp();
  lead = await app.login('lead@cosponsor.test');
  staff = await app.login('staff@cosponsor.test');
});
afterAll(() => app?.close());

const html = async (path: string, cookie?: string) => {
  const response = await app.fetch(path, { cookie });
  expect(response.status, path).toBe(200);
  return response.text();
};

describe('the small findings', () => {
  it('does not focus the sign-in form on load, so no focus ring shows before anyone acts', async () => {
    const root = parseHtml(await html('/login'));
    expect(root.querySelector('input[name="email"]')).not.toBeNull();
    expect(root.querySelectorAll('[autofocus]')).toHaveLength(0);
  });

  it('puts the conditions and the end date in the “Approved” inbox message', async () => {
    const id = proposalInReview({ partnerId: newPartner('Approved-message partner'), title: 'Conditions teach-in' });
    const until = daysFromToday(60);
    const decided = decideAs('staff@cosponsor.test', id, {
      type: 'APPROVE',
      conditions: ['Our logo appears only beside the event title', 'Speakers receive the talking points in advance'],
      endDate: until,
      rationale: 'Aligned agenda and a manageable risk.',
    });
    expect(decided.ok).toBe(true);
    const message = find(await html('/inbox', lead), `a[href="/proposals/${id}"]`)?.closest('li');
    const text = visibleText(message ?? (await html('/inbox', lead)));
    expect(text).toContain('Approved');
    expect(text).toContain('Our logo appears only beside the event title');
    expect(text).toContain('Speakers receive the talking points in advance');
    expect(text).toMatch(/Approved until/);
  });

  it('says an earlier proposal’s decision once in the agenda precedent, however many items it shares', async () => {
    const items: AgendaItem[] = [
      { text: 'Unimpeded humanitarian aid into Gaza', scope: 'event', classification: 'aligned', positionKey: 'unimpeded_humanitarian_aid' },
      { text: 'Testimony from families of detainees held without charge', scope: 'event', classification: 'aligned', positionKey: 'release_arbitrarily_detained' },
    ];
    const reason = 'Approved: both agenda items match our published positions word for word.';
    const earlier = proposalInReview({ partnerId: newPartner('Precedent group A'), title: 'Earlier teach-in', agenda: items });
    expect(decideAs('staff@cosponsor.test', earlier, { type: 'APPROVE', conditions: [], endDate: daysFromToday(90), rationale: reason }).ok).toBe(true);
    const later = proposalInReview({ partnerId: newPartner('Precedent group B'), title: 'Later teach-in', agenda: items });
    const precedent = find(await html(`/review/${later}`, staff), '[data-testid="agenda-precedent"]');
    expect(precedent, 'agenda precedent').not.toBeNull();
    const text = visibleText(precedent!);
    expect(text.split(reason).length - 1).toBe(1);
    // Both shared items are still named under that one entry.
    expect(text).toContain('Unimpeded humanitarian aid into Gaza');
    expect(text).toContain('Testimony from families of detainees held without charge');
  });

  it('lets every text field of the new-proposal form take the direction of what is typed', async () => {
    const root = parseHtml(await html('/proposals/new?q=Brand%20new%20group&new=1', lead));
    const fields = root
      .querySelectorAll('form[method="post"] input, form[method="post"] textarea')
      .filter((el) => el.tagName === 'TEXTAREA' || ['text', 'url', 'search', null].includes(el.getAttribute('type') ?? null));
    expect(fields.length).toBeGreaterThan(4);
    for (const field of fields) expect(field.getAttribute('dir'), field.getAttribute('name') ?? '').toBe('auto');
    expect(root.querySelector('#partner-q, input[name="q"][type="search"]')?.getAttribute('dir') ?? 'auto').toBe('auto');
  });
});
