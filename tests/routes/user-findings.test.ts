import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposalRow } from '../../db/proposals';
import { initialEditorState } from '../../app/features/mou/mou.server';
import { proposalAtMouStep } from '../integration/mou-fixtures';
import { campaignId, decideAs, newPartner, proposalInReview, leadWhoIsStaff } from '../integration/review-fixtures';
import { first, qb } from '../../db/connection';
import { proposalAt } from '../integration/step-fixtures';
import { startApp, type TestApp } from '../support/app-server';
import { mouEditorForm } from '../support/mou-editor-form';
import { find, parseHtml, visibleText } from '../support/html';

// Defects a careful user meets on the pages of each role: messages that say the wrong thing,
// and errors a screen reader is not told about.

process.env.THROTTLE_DELAY_STEP_MS = '0';

let app: TestApp;
let lead: string;
let admin: string;
beforeAll(async () => {
  app = await startApp();
  lead = await app.login('lead@cosponsor.test');
  admin = await app.login('admin@cosponsor.test');
});
afterAll(() => app.close());

/** The error a field is described by, read the way a screen reader finds it: through aria-describedby. */
function describedError(html: string, selector: string): string {
  const field = find(html, selector);
  expect(field, selector).not.toBeNull();
  expect(field!.getAttribute('aria-invalid')).toBe('true');
  const ids = (field!.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  const root = parseHtml(html);
  return ids
    .map((id) => root.querySelectorAll('[id]').find((e) => e.getAttribute('id') === id))
    .filter((e) => e?.classList.contains('field-error'))
    .map((e) => e!.text.trim())
    .join(' ');
}

describe('a new partner whose details are too long', () => {
  // The partner's name, country, website and description had no message of their own for a
  // length past the limit: the chapter lead read zod's "Too big: expected string to have <=5000
  // characters" beside "About the group".
  it('is refused in plain words beside each field, with what was typed kept', async () => {
    const description = 'A group that works on rights. '.repeat(200);
    const response = await app.post(
      '/proposals/new?q=Long%20details&new=1',
      {
        q: 'Long details',
        creationToken: crypto.randomUUID(),
        partnerName: 'N'.repeat(201),
        partnerCountry: 'C'.repeat(81),
        partnerWebsite: `https://example.org/${'w'.repeat(300)}`,
        partnerDescription: description,
        eventTitle: 'A long partner',
        eventDate: '2027-03-01',
        eventPlace: 'Chicago',
        eventDescription: 'A talk about rights and the partner.',
        kind: 'co_hosting',
        campaignId: String(campaignId('israel_opt')),
      },
      lead,
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(visibleText(html)).not.toMatch(/too big|expected string|<=/i);
    expect(describedError(html, '#f-partnerName')).toBe('Keep the name under 200 characters.');
    expect(describedError(html, '#f-partnerCountry')).toBe('Keep the country under 80 characters.');
    expect(describedError(html, '#f-partnerWebsite')).toBe('Keep the address under 300 characters.');
    expect(describedError(html, '#f-partnerDescription')).toBe('Keep the description under 5,000 characters.');
    expect(find(html, '#f-partnerDescription')!.text).toBe(description);
  });
});

describe('an MOU template saved with a long note or section title', () => {
  // The note and the title had only their "too short" message, which zod gives for every
  // problem: an admin who wrote a 600-character note was told to write at least 5 characters.
  it('says the text is too long, not too short', async () => {
    const page = await (await app.fetch('/admin/config/mou', { cookie: admin })).text();
    const form: Record<string, string> = { intent: 'save', baseVersion: find(page, 'input[name="baseVersion"]')!.getAttribute('value')! };
    for (const input of parseHtml(page).querySelectorAll('[form="mou-template"][name^="sections["]')) {
      form[input.getAttribute('name')!] = input.tagName === 'TEXTAREA' ? input.text : (input.getAttribute('value') ?? '');
    }
    form['sections[0].title'] = 'T'.repeat(201);
    form.note = 'n'.repeat(600);
    const response = await app.post('/admin/config/mou', form, admin);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(describedError(html, '#mou-template-note')).toBe('Keep the note under 500 characters.');
    expect(describedError(html, '[id="mou-template-sections[0].title"]')).toBe('Keep the title under 200 characters.');
  });
});

describe('an account created for a chapter lead without a chapter', () => {
  // The chapter list was marked invalid, but its aria-describedby named only the hint, so a
  // screen reader never read "A chapter lead needs a chapter".
  it('ties the chapter error to the chapter list', async () => {
    const response = await app.post(
      '/admin/users',
      { intent: 'create', name: 'New Lead', email: 'new-lead@cosponsor.test', password: 'a-long-enough-password', roles: 'chapter_lead', chapterId: '' },
      admin,
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(describedError(html, '#create-user-chapterId')).toBe('A chapter lead needs a chapter: choose one.');
    expect(find(html, '#create-user-chapterId')!.getAttribute('aria-describedby')).toContain('create-user-chapterId-hint');
  });
});

describe('an MOU version saved with a note that is too long', () => {
  // The length limits sat in the schema that reads the editor at all: a note one character
  // too long made the whole form "unreadable", and the editor came back as last saved, with
  // "it may come from an older page" and every edit of the chapter lead gone.
  it('keeps every edit and says beside the note what is wrong', async () => {
    const id = proposalAtMouStep();
    const state = initialEditorState(id, proposalRow(id)!.version);
    const form = mouEditorForm(state, 'save', { note: 'n'.repeat(501) });
    const typed = 'Our own words for the parties, typed before saving.';
    form['sections[0].body'] = typed;
    const response = await app.post(`/proposals/${id}/steps/mou`, form, lead);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(visibleText(html)).not.toContain('older page');
    expect(describedError(html, '#mou-editor-note')).toBe('The note can have at most 500 characters.');
    expect(find(html, '#mou-editor-note')!.text).toBe('n'.repeat(501));
    expect(find(html, '[name="sections[0].body"]')!.text).toBe(typed);
  });
});

describe('an MOU template saved with every section removed', () => {
  // "Remove section" on each, then save: the page said "Some fields need attention" and showed
  // no field with a message, since the one problem (no section left) belongs to no field.
  it('says what is wrong', async () => {
    const page = await (await app.fetch('/admin/config/mou', { cookie: admin })).text();
    const baseVersion = find(page, 'input[name="baseVersion"]')!.getAttribute('value')!;
    const response = await app.post('/admin/config/mou', { intent: 'save', baseVersion, note: 'Every section removed' }, admin);
    expect(response.status).toBe(400);
    const alert = find(await response.text(), '#mou-template-error');
    expect(alert).not.toBeNull();
    expect(visibleText(alert!)).toContain('The template needs at least one section: add one.');
  });
});

describe('an empty inbox', () => {
  // Every role read "Decisions on your proposals and new submissions appear here": a reviewer
  // or an admin has no proposals and hears of no submission, so the promise never came true.
  it('says what arrives there for the person reading it, and where else to look when nothing does', async () => {
    const reviewer = await app.login('reviewer@cosponsor.test');
    const reviewerPage = await (await app.fetch('/inbox', { cookie: reviewer })).text();
    const reviewerText = visibleText(reviewerPage);
    expect(reviewerText).not.toContain('your proposals');
    expect(reviewerText).toContain('No message is sent to your role here');
    expect(find(reviewerPage, 'main a[href="/decisions"]')).not.toBeNull();

    const adminText = visibleText(await (await app.fetch('/inbox', { cookie: admin })).text());
    expect(adminText).toContain('No message is sent to your role here');
  });
});

describe('a vetting step the lead cannot edit now', () => {
  // Every read-only step said "it is not the proposal's current step, or you cannot edit this
  // proposal": the lead was left to guess which, and what to do.
  it('says why: a step still to come names the current one', async () => {
    const id = proposalAt('values', 'Probe read-only reason');
    const html = await (await app.fetch(`/proposals/${id}/steps/risk`, { cookie: lead })).text();
    const text = visibleText(html);
    expect(text).not.toContain(', or you cannot edit');
    expect(text).toContain('This step opens after Values compatibility, the proposal’s current step.');
  });

  it('says why: a reviewer only reads', async () => {
    const id = proposalAt('values', 'Probe read-only reviewer');
    const reviewer = await app.login('reviewer@cosponsor.test');
    const text = visibleText(await (await app.fetch(`/proposals/${id}/steps/values`, { cookie: reviewer })).text());
    expect(text).not.toContain(', or you cannot edit');
    expect(text).toContain('This step is read-only for you. A reviewer can read a proposal but cannot change it.');
  });
});

describe('a proposal form refused for a text too short', () => {
  // The message was the field's sentence with the minimum glued after its full stop:
  // "Say why the proposal is withdrawn. (at least 5 characters)".
  it('reads as one sentence', async () => {
    const id = proposalAt('values', 'Probe short reason');
    const response = await app.post(`/proposals/${id}/withdraw`, { version: String(proposalRow(id)!.version), reason: 'no' }, lead);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(describedError(html, '#f-reason')).toBe('Say why the proposal is withdrawn (at least 5 characters).');
  });
});

describe('a proposals list with nothing to show', () => {
  // A new chapter's lead, or a search that matched nothing, got five headings each over
  // "Nothing here." and "0 proposals match the filters, what needs your action first": no word
  // of what to do next.
  it('tells a new chapter’s lead how to start', async () => {
    const usersPage = await (await app.fetch('/admin/users', { cookie: admin })).text();
    const austin = parseHtml(usersPage)
      .querySelectorAll('#create-user-chapterId option')
      .find((o) => o.text.trim() === 'Austin Group')!
      .getAttribute('value')!;
    const created = await app.post(
      '/admin/users',
      { intent: 'create', name: 'Austin Lead', email: 'austin-lead@cosponsor.test', password: 'a-long-enough-password', roles: 'chapter_lead', chapterId: austin },
      admin,
    );
    expect(created.status).toBe(302);
    const austinLead = await app.login('austin-lead@cosponsor.test', 'a-long-enough-password');
    const html = await (await app.fetch('/proposals', { cookie: austinLead })).text();
    const text = visibleText(html);
    expect(text).not.toContain('Nothing here.');
    expect(text).toContain('Austin Group has no proposals yet.');
    expect(find(html, '[data-testid="proposals-empty"] a[href="/proposals/new"]')).not.toBeNull();
  });

  it('says a search matched nothing, with a way back', async () => {
    const html = await (await app.fetch('/proposals?q=zzqqxx', { cookie: lead })).text();
    const text = visibleText(html);
    expect(text).not.toContain('Nothing here.');
    expect(text).not.toContain('what needs your action first');
    expect(text).toContain('No proposal matches these filters.');
    expect(find(html, '[data-testid="proposals-empty"] a[href="/proposals"]')).not.toBeNull();
  });
});

describe('a partner search of one character', () => {
  // Searching "a" (the field asks for two characters, but a browser without JavaScript or a
  // typed address sends it anyway) answered "Nobody has proposed this group before" and offered
  // "Create a new partner", whose form then refused the one-character name.
  it('asks for a longer name beside the field instead of offering a new partner', async () => {
    const html = await (await app.fetch('/proposals/new?q=a', { cookie: lead })).text();
    const text = visibleText(html);
    expect(text).not.toContain('Nobody has proposed this group before');
    expect(find(html, 'a[href*="new=1"]')).toBeNull();
    expect(describedError(html, '#partner-q')).toBe('Type the partner group’s name (at least 2 characters).');
    expect(find(html, '#partner-q')!.getAttribute('value')).toBe('a');
  });
});

describe('the review queue, for a staff member who proposed one of its proposals', () => {
  // Its row said "Nobody yet" where the others offered "I'm reviewing this": nothing said why
  // this one could not be taken until the dossier was opened.
  it('says in the row why they cannot take it', async () => {
    await leadWhoIsStaff('queue-both@cosponsor.test', 'Quinn Both');
    const id = proposalInReview({ lead: 'queue-both@cosponsor.test', partnerId: newPartner('Queue Own Group'), title: 'Queue own proposal' });
    const cookie = await app.login('queue-both@cosponsor.test');
    const html = await (await app.fetch('/review', { cookie })).text();
    const row = parseHtml(html)
      .querySelectorAll('tr')
      .find((tr) => tr.querySelector(`a[href="/review/${id}"]`));
    expect(row).toBeDefined();
    expect(visibleText(row!)).toContain('You proposed this partnership: another staff member must decide it (four-eyes rule).');
  });
});

describe('the perception review in the staff dossier', () => {
  // Each checklist question was followed by a colon: "… in the organization's name?: Met".
  it('puts no colon after a question', async () => {
    const staff = await app.login('staff@cosponsor.test');
    const seeded = first(
      qb().selectFrom('proposals').select('id').where('event_title', '=', 'Homes Under Threat: Demolitions and Forced Evictions in East Jerusalem and Masafer Yatta'),
    )!;
    const html = await (await app.fetch(`/review/${seeded.id}`, { cookie: staff })).text();
    const section = find(html, '#step-perception');
    expect(section).not.toBeNull();
    const text = visibleText(section!);
    expect(text).toContain('Will the organization be kept off BDS-branded flyers, banners, web pages and other materials?');
    expect(text).not.toMatch(/\?\s*:/);
  });
});

describe('a rejected or withdrawn proposal, as its chapter lead opens it', () => {
  // "What happens next" said only "Rejected." or "Withdrawn.": not who, when or why, though an
  // approval there names its decider and conditions, and nothing about what the lead can do now.
  it('says who rejected it, when and why, and how to try again', async () => {
    const id = proposalInReview({ partnerId: newPartner('Next Rejected Group'), title: 'Next rejected' });
    const rationale = 'The partner is a party campaign office: co-hosting would take sides in the election.';
    expect(decideAs('staff@cosponsor.test', id, { type: 'REJECT', rationale }).ok).toBe(true);
    const panel = find(await (await app.fetch(`/proposals/${id}`, { cookie: lead })).text(), '.next-action');
    const text = visibleText(panel!);
    expect(text).toMatch(/Rejected by Priya Raman, \w{3} \d{1,2}, \d{4}/);
    expect(text).toContain(rationale);
    expect(text).toContain('start a new proposal with the same partner');
  });

  it('says who withdrew it, when and why', async () => {
    const id = proposalAt('values', 'Next withdrawn');
    const reason = 'The partner cancelled the event.';
    const withdrawn = await app.post(`/proposals/${id}/withdraw`, { version: String(proposalRow(id)!.version), reason }, lead);
    expect(withdrawn.status).toBe(302);
    const text = visibleText(find(await (await app.fetch(`/proposals/${id}`, { cookie: lead })).text(), '.next-action')!);
    expect(text).toMatch(/Withdrawn by Dana Whitfield, \w{3} \d{1,2}, \d{4}/);
    expect(text).toContain(reason);
  });
});

describe('the notification settings of a role that gets no notification', () => {
  // A reviewer was asked to "choose which e-mails you get" (there is none to choose) and told
  // "your inbox in Cosponsor shows everything either way" (nothing arrives there for a reviewer).
  it('says there is nothing to choose, without promising an inbox', async () => {
    const reviewer = await app.login('reviewer@cosponsor.test');
    const html = await (await app.fetch('/settings/notifications', { cookie: reviewer })).text();
    const text = visibleText(html);
    expect(text).not.toContain('Choose which e-mails you get');
    expect(text).not.toContain('shows everything either way');
    expect(text).toContain('Your roles receive no e-mail notifications.');
  });
});

describe('the link to the partner’s own answers', () => {
  // Everyone was told to "ask for them, or read them", though only the chapter's lead may ask,
  // and only while the proposal is being vetted.
  it('offers to ask only to whoever may ask, while the proposal is vetted; everyone else may read them', async () => {
    const id = proposalAt('values', 'Partner answers link evening');
    const reviewer = await app.login('reviewer@cosponsor.test');
    const linkText = async (cookie: string) => {
      const html = await (await app.fetch(`/proposals/${id}`, { cookie })).text();
      return parseHtml(html)
        .querySelectorAll(`a[href="/proposals/${id}/partner"]`)
        .map((a) => visibleText(a.innerHTML).trim());
    };
    expect(await linkText(lead)).toEqual(['The partner’s own answers: ask for them, or read them']);
    expect(await linkText(reviewer)).toEqual(['The partner’s own answers: read them']);
    expect((await app.post(`/proposals/${id}/withdraw`, { reason: 'The partner cancelled the event.', version: String(proposalRow(id)!.version) }, lead)).status).toBe(302);
    expect(await linkText(lead)).toEqual(['The partner’s own answers: read them']);
  });
});
