import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposalRow } from '../../db/proposals';
import { userByEmail } from '../../db/users';
import { campaignId, newPartner, proposalInReview } from '../integration/review-fixtures';
import { proposalAt } from '../integration/step-fixtures';
import { proposalAtMouStep } from '../integration/mou-fixtures';
import { startApp, type TestApp } from '../support/app-server';
import { find, visibleText } from '../support/html';
import { sqlGet } from '../support/sql';

// Defects found by trying the running app as its users and as attackers would (fifth round:
// the partner's questionnaire, odd characters, filters and exports).

process.env.THROTTLE_DELAY_STEP_MS = '0';

let app: TestApp;
let lead: string;
let reviewer: string;
beforeAll(async () => {
  app = await startApp();
  lead = await app.login('lead@cosponsor.test');
  reviewer = await app.login('reviewer@cosponsor.test');
});
afterAll(() => app.close());

const count = (table: string) => Number(sqlGet<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`)!.n);

/** A fresh questionnaire link on a new proposal in review: its token. */
async function partnerLink(partner: string): Promise<{ id: number; token: string }> {
  const id = proposalInReview({ partnerId: newPartner(partner), title: `${partner} evening` });
  const made = await app.post(`/proposals/${id}/partner`, { intent: 'create', contactName: 'Amal Haddad' }, lead);
  const page = await made.text();
  expect(made.status, visibleText(page).slice(0, 300)).toBe(200);
  const created = find(page, '#created-link');
  expect(created, visibleText(page).slice(0, 1500)).not.toBeNull();
  return { id, token: created!.getAttribute('value')!.split('/q/')[1]! };
}

/** The questionnaire's answers as its form posts them, every question answered. */
async function answers(token: string, change: Record<string, string> = {}): Promise<Record<string, string>> {
  const page = await (await app.fetch(`/q/${token}`)).text();
  const form: Record<string, string> = { intent: 'answer', 'respondent.name': 'Rana Khalil', 'respondent.role': 'Coordinator', leadership: 'An elected board of five.', funding: 'Members’ dues and small gifts.' };
  for (const [, name] of page.matchAll(/<input type="radio" name="([^"]+)" value="accept"/g)) form[name!] = 'accept';
  for (const [, name] of page.matchAll(/<input type="radio" name="([^"]+)" value="supports"/g)) form[name!] = 'supports';
  return { ...form, ...change };
}

describe('a form post whose text holds a NUL character', () => {
  // No text column of PostgreSQL can hold U+0000: the insert failed there with a 500, and on
  // SQLite the row was kept, so `db:move` could not copy it. No form of ours lets one be typed.
  it('is refused with 400 and a message, and stores nothing, signed in or through a partner’s link', async () => {
    const proposals = count('proposals');
    const created = await app.post(
      '/proposals/new',
      { partnerId: '1', eventTitle: 'Evening\u0000of letters', eventDate: '2027-03-10', eventPlace: 'Library', eventDescription: 'Letters for prisoners of conscience.', kind: 'co_listing', campaignId: '1' },
      lead,
    );
    const page = await created.text();
    expect(created.status, visibleText(page).slice(0, 300)).toBe(400);
    expect(visibleText(page)).toContain('NUL');
    expect(count('proposals')).toBe(proposals);

    const { token } = await partnerLink('Nul Character Collective');
    const records = count('decision_records');
    const answered = await app.post(`/q/${token}`, await answers(token, { funding: 'Dues\u0000' }));
    expect(answered.status).toBe(400);
    expect(visibleText(await answered.text())).toContain('NUL');
    expect(count('decision_records')).toBe(records);
    // The link still works for the answers without it.
    expect((await app.post(`/q/${token}`, await answers(token))).status).toBe(302);
  });
});

describe('an address whose query holds a NUL character', () => {
  it('is answered 400 with a page saying so, on the searches and filters', async () => {
    for (const [path, cookie] of [
      ['/proposals?q=a%00b', lead],
      ['/decisions?q=letters%00', reviewer],
      ['/decisions.csv?q=%00', reviewer],
      ['/proposals/new?q=Lake%00shore', lead],
      ['/insights?from=%00', reviewer],
    ] as const) {
      const response = await app.fetch(path, { cookie });
      const page = await response.text();
      expect(response.status, `${path}: ${visibleText(page).slice(0, 200)}`).toBe(400);
      expect(visibleText(page), path).toContain('NUL');
    }
  });
});

describe('a partner’s name or role holding characters that turn the text around it', () => {
  // The respondent's name goes into the record as who answered ("<name> (partner)") and into
  // the record's rationale; a right-to-left override in it (U+202E) turned the rest of the line
  // around wherever the record is shown (the timeline's "#69 · <name> (partner) (Partner (own
  // answers)) · <date>", the register's "Decided by"), so an outsider could make the log read
  // other than it says.
  it('is refused beside the field, with what was typed kept, and records nothing', async () => {
    const { token } = await partnerLink('Direction Marks Network');
    const records = count('decision_records');
    for (const [field, value] of [
      ['respondent.name', 'Rana \u202Eflats'],
      ['respondent.role', 'Coordinator \u2067x\u2069'],
    ] as const) {
      const refused = await app.post(`/q/${token}`, await answers(token, { [field]: value }));
      const page = await refused.text();
      expect(refused.status, `${field}: ${visibleText(page).slice(0, 300)}`).toBe(400);
      const input = find(page, `input[name="${field}"]`)!;
      expect(input.getAttribute('value')).toBe(value);
      const error = find(page, `#${input.getAttribute('aria-describedby')}`);
      expect(error && visibleText(error), field).toMatch(/direction/);
    }
    expect(count('decision_records')).toBe(records);
    // A name written right to left, as typed (no marks), is taken.
    expect((await app.post(`/q/${token}`, await answers(token, { 'respondent.name': 'رنا خليل' }))).status).toBe(302);
  });
});

describe('a risk register item whose category is not one of the risk matrix’s', () => {
  // The form offers the matrix's categories only; a post made by hand with any other text (up to
  // 60 characters) was recorded as the item's category and counted in the insights' most
  // frequent categories, where an agenda item's position is checked against the catalog.
  it('is refused beside the category, writing nothing', async () => {
    const id = proposalAt('risk', 'Odd category evening');
    const records = count('decision_records');
    const form = {
      version: String(proposalRow(id)!.version),
      intent: 'submit',
      'items[0].kind': 'risk',
      'items[0].category': 'bribery',
      'items[0].description': 'Press may misread the event.',
      'items[0].likelihood': '3',
      'items[0].impact': '4',
      'items[0].mitigation': 'A joint statement on the day.',
      'items[0].residualLikelihood': '2',
      'items[0].residualImpact': '2',
      'items[1].kind': 'benefit',
      'items[1].category': 'outreach',
      'items[1].description': 'Reaches new students.',
      'items[1].likelihood': '4',
      'items[1].impact': '4',
    };
    const refused = await app.post(`/proposals/${id}/steps/risk`, form, lead);
    const page = await refused.text();
    expect(refused.status, visibleText(page).slice(0, 300)).toBe(400);
    expect(visibleText(find(page, '#f-items-0-category-error') ?? '')).toContain('Choose a category from the list');
    expect(count('decision_records')).toBe(records);
    expect(proposalRow(id)!.state).toBe('risk');
    // The same register with a category of the matrix goes in.
    expect((await app.post(`/proposals/${id}/steps/risk`, { ...form, 'items[0].category': 'reputation' }, lead)).status).toBe(302);
  });
});

describe('a link of a megabyte', () => {
  // Every text of the questionnaire and of the values step has a limit (5,000 characters at
  // most), and links were limited to 20, but not in length: one "link" of a megabyte went into
  // the record (from a partner's link, without an account) and onto every page showing it.
  const huge = `https://example.org/${'a'.repeat(1_000_000)}`;

  it('is refused beside the links in the partner’s questionnaire, recording nothing', async () => {
    const { token } = await partnerLink('Long Link Alliance');
    const records = count('decision_records');
    const refused = await app.post(`/q/${token}`, await answers(token, { links: `https://example.org/about\n${huge}` }));
    const page = await refused.text();
    expect(refused.status).toBe(400);
    const links = find(page, 'textarea[name="links"]')!;
    expect(visibleText(find(page, `#${links.getAttribute('id')}-error`) ?? '')).toContain('Keep each link under 2,000 characters');
    expect(count('decision_records')).toBe(records);
  });

  it('is refused beside the links of a values criterion, recording nothing', async () => {
    const id = proposalAt('values', 'Long link evening');
    const records = count('decision_records');
    const form: Record<string, string> = { version: String(proposalRow(id)!.version), intent: 'submit' };
    for (const key of ['independence', 'non_discrimination', 'human_rights_standards', 'mutual_respect', 'transparency']) {
      form[`ratings.${key}.rating`] = 'meets';
      form[`ratings.${key}.evidence`] = 'Checked the public record.';
    }
    form['ratings.transparency.links'] = huge;
    const refused = await app.post(`/proposals/${id}/steps/values`, form, lead);
    const page = await refused.text();
    expect(refused.status, visibleText(page).slice(0, 300)).toBe(400);
    expect(visibleText(find(page, '#f-ratings-transparency-links-error') ?? '')).toContain('Keep each link under 2,000 characters');
    expect(count('decision_records')).toBe(records);
    expect(proposalRow(id)!.state).toBe('values');
  });
});

describe('an account created with a password the password rules refuse', () => {
  // A password someone changes to, or an admin resets to, must pass the rules of decision 0380
  // (not the person's e-mail or name, not a famous password or a counting run); the form that
  // creates an account checked its length only, so an admin could give a new person their own
  // e-mail address, "Password2024!" or "123456789012" as a password, and it signed in.
  it('is refused beside the password, with the other fields kept, and no account made', async () => {
    const admin = await app.login('admin@cosponsor.test');
    for (const [email, password] of [
      ['weak.one@example.org', 'weak.one@example.org'],
      ['weak.two@example.org', 'Password2024!'],
      ['weak.three@example.org', '123456789012'],
    ] as const) {
      const refused = await app.post('/admin/users', { intent: 'create', name: 'Noor Haddad', email, password, roles: 'reviewer' }, admin);
      const page = await refused.text();
      expect(refused.status, `${password}: ${visibleText(page).slice(0, 200)}`).toBe(400);
      const field = find(page, '#create-user-password')!;
      expect(field.getAttribute('value') ?? '').toBe('');
      expect(visibleText(find(page, `#${field.getAttribute('aria-describedby')!.split(' ').find((d) => d.endsWith('error'))}`) ?? '').length, password).toBeGreaterThan(0);
      expect(find(page, '#create-user-email')!.getAttribute('value')).toBe(email);
      expect(userByEmail(email), email).toBeUndefined();
    }
    const made = await app.post('/admin/users', { intent: 'create', name: 'Noor Haddad', email: 'noor@example.org', password: 'lantern orchard river', roles: 'reviewer' }, admin);
    expect(made.status).toBe(302);
  });
});

describe('the insights filtered by a chapter or campaign number that names none', () => {
  // A number that names no chapter was used as the filter while the form showed "All
  // chapters": every figure read zero with nothing saying why, and the CSV links kept it. A
  // word in its place was already left out with a notice.
  it('is left out with a notice, as a value that is not a number is, on the page and in the CSV', async () => {
    const staff = await app.login('staff@cosponsor.test');
    for (const [name, label] of [
      ['chapter', 'chapter'],
      ['campaign', 'campaign'],
    ] as const) {
      const response = await app.fetch(`/insights?${name}=999999`, { cookie: staff });
      const page = await response.text();
      expect(response.status).toBe(200);
      expect(visibleText(page)).toContain(`The ${label} “999999” was not used`);
      expect(page).not.toContain(`${name}=999999`);
      const everything = await (await app.fetch('/insights.csv?table=outcomes', { cookie: staff })).text();
      expect(await (await app.fetch(`/insights.csv?table=outcomes&${name}=999999`, { cookie: staff })).text()).toBe(everything);
    }
  });
});

describe('the register filtered by a chapter, campaign or decider number that names none', () => {
  // As the insights were: /decisions?chapter=999999 showed no records while the form's select
  // said "All chapters", with nothing saying why.
  it('is left out with a notice, on the page and in the CSV', async () => {
    const staff = await app.login('staff@cosponsor.test');
    for (const [name, label] of [
      ['chapter', 'chapter'],
      ['campaign', 'campaign'],
      ['actor', 'decided by'],
    ] as const) {
      const response = await app.fetch(`/decisions?${name}=999999`, { cookie: staff });
      const page = await response.text();
      expect(response.status).toBe(200);
      expect(visibleText(page)).toContain(`The ${label} “999999” was not used: it is not one of those in the list.`);
      expect(page).not.toContain(`${name}=999999`);
      const everything = await (await app.fetch('/decisions.csv', { cookie: staff })).text();
      expect(await (await app.fetch(`/decisions.csv?${name}=999999`, { cookie: staff })).text()).toBe(everything);
    }
  });
});

describe('an optional e-mail address made only of spaces', () => {
  // Spaces alone in the contact's optional address were refused with "give an address, or leave it
  // empty": what the field showed was empty.
  it('is taken as left empty', async () => {
    const id = proposalInReview({ partnerId: newPartner('Blank Address Collective'), title: 'Blank address evening' });
    const made = await app.post(`/proposals/${id}/partner`, { intent: 'create', contactName: 'Amal Haddad', contactEmail: '   ' }, lead);
    const page = await made.text();
    expect(made.status, visibleText(page).slice(0, 300)).toBe(200);
    expect(find(page, '#created-link')).not.toBeNull();
  });
});

describe('an event date in a year no event can have', () => {
  // 0025-06-14 (a typo for 2025) was accepted, stored and shown as "Jun 14, 25"; the reminders and
  // the register read it as it was typed.
  it('is refused beside the date, with what was typed kept, and stores nothing', async () => {
    for (const eventDate of ['0025-06-14', '1899-12-31', '2999-01-01']) {
      const proposals = count('proposals');
      const response = await app.post(
        '/proposals/new?partnerId=1',
        { partnerId: '1', eventTitle: 'Evening of letters', eventDate, eventPlace: 'Library', eventDescription: 'Letters for prisoners of conscience.', kind: 'co_listing', campaignId: '1' },
        lead,
      );
      const page = await response.text();
      expect(response.status, eventDate).toBe(400);
      const ids = (find(page, '#f-eventDate')?.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((d) => d.endsWith('-error'));
      expect(ids.map((id) => visibleText(find(page, `#${id}`) ?? '')).join(' '), eventDate).toMatch(/Check the year/);
      expect(find(page, '#f-eventDate')?.getAttribute('value'), eventDate).toBe(eventDate);
      expect(count('proposals')).toBe(proposals);
    }
  });
});

describe('required text made of characters that show nothing', () => {
  // A zero-width space (U+200B) is not white space to trim(): a new partner named with three of
  // them, in no visible country, described by ten, with an event of an invisible title, place and
  // description, was created and listed as "Partner: " with no title; a staff rejection's
  // required rationale and a partner's name went in the same way.
  const Z = '\u200B';
  /** The message tied to a field by its aria-describedby. */
  const describedError = (html: string, selector: string) => {
    const ids = (find(html, selector)!.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((d) => d.endsWith('-error'));
    return ids.map((id) => visibleText(find(html, `#${id}`) ?? '')).join(' ');
  };

  it('is refused beside each field on the new-proposal form, with what was typed kept, and creates nothing', async () => {
    const proposals = count('proposals');
    const partners = count('partners');
    const response = await app.post(
      '/proposals/new?q=Invisible&new=1',
      {
        q: 'Invisible',
        creationToken: crypto.randomUUID(),
        partnerName: Z.repeat(3),
        partnerCountry: `${Z}\u2060`,
        partnerDescription: Z.repeat(10),
        eventTitle: Z.repeat(3),
        eventDate: '2027-03-01',
        eventPlace: `\u3164${Z}`,
        eventDescription: `${Z}\u00AD`.repeat(6),
        kind: 'co_hosting',
        campaignId: String(campaignId('israel_opt')),
      },
      lead,
    );
    const html = await response.text();
    expect(response.status, visibleText(html).slice(0, 300)).toBe(400);
    expect(describedError(html, '#f-partnerName')).toContain('Give the partner group’s name.');
    expect(describedError(html, '#f-partnerCountry')).toContain('Give the country the group works in.');
    expect(describedError(html, '#f-partnerDescription')).toContain('Describe the group');
    expect(describedError(html, '#f-eventTitle')).toContain('Give the event a title');
    expect(describedError(html, '#f-eventPlace')).toContain('Say where the event takes place');
    expect(describedError(html, '#f-eventDescription')).toContain('Describe the event');
    expect(find(html, '#f-eventTitle')!.getAttribute('value')).toBe(Z.repeat(3));
    expect(count('proposals')).toBe(proposals);
    expect(count('partners')).toBe(partners);
  });

  it('is refused as an agenda item’s text and a risk’s description, beside the field, writing nothing', async () => {
    const agenda = proposalAt('agenda', 'Invisible agenda evening');
    const risk = proposalAt('risk', 'Invisible risk evening');
    const records = count('decision_records');
    const item = await app.post(
      `/proposals/${agenda}/steps/agenda`,
      { version: String(proposalRow(agenda)!.version), intent: 'submit', 'items[0].text': Z.repeat(4), 'items[0].scope': 'event', 'items[0].classification': 'compatible' },
      lead,
    );
    const itemPage = await item.text();
    expect(item.status, visibleText(itemPage).slice(0, 300)).toBe(400);
    expect(describedError(itemPage, '#f-items-0-text')).toContain('Describe the agenda item');
    expect(proposalRow(agenda)!.state).toBe('agenda');

    const described = await app.post(
      `/proposals/${risk}/steps/risk`,
      {
        version: String(proposalRow(risk)!.version),
        intent: 'submit',
        'items[0].kind': 'risk',
        'items[0].category': 'reputation',
        'items[0].description': Z.repeat(5),
        'items[0].likelihood': '3',
        'items[0].impact': '4',
        'items[0].mitigation': 'A joint statement on the day.',
        'items[0].residualLikelihood': '2',
        'items[0].residualImpact': '2',
        'items[1].kind': 'benefit',
        'items[1].category': 'outreach',
        'items[1].description': 'Reaches new students.',
        'items[1].likelihood': '4',
        'items[1].impact': '4',
      },
      lead,
    );
    const riskPage = await described.text();
    expect(described.status, visibleText(riskPage).slice(0, 300)).toBe(400);
    expect(describedError(riskPage, '#f-items-0-description')).toContain('Describe it');
    expect(proposalRow(risk)!.state).toBe('risk');
    expect(count('decision_records')).toBe(records);
  });

  it('is refused as an approval’s condition and as the reason no MOU is needed, writing nothing', async () => {
    const staff = await app.login('staff@cosponsor.test');
    const id = proposalInReview({ partnerId: newPartner('Invisible Condition Group') });
    const mou = proposalAtMouStep();
    const records = count('decision_records');
    const approved = await app.post(
      `/review/${id}`,
      { intent: 'approve', version: String(proposalRow(id)!.version), conditions: `No payment to the partner.\n${Z.repeat(3)}`, endDate: '', rationale: 'Sound vetting.' },
      staff,
    );
    expect(approved.status, visibleText(await approved.text()).slice(0, 300)).toBe(400);
    expect(proposalRow(id)!.state).toBe('review');
    const notNeeded = await app.post(`/proposals/${mou}/steps/mou`, { intent: 'not-needed', version: String(proposalRow(mou)!.version), reason: Z.repeat(12) }, lead);
    expect(notNeeded.status).toBe(400);
    expect(visibleText(await notNeeded.text())).toContain('Say why no MOU is needed');
    expect(count('decision_records')).toBe(records);
  });

  it('is refused as a staff rejection’s rationale and as a partner’s name, writing nothing', async () => {
    const staff = await app.login('staff@cosponsor.test');
    const id = proposalInReview({ partnerId: newPartner('Invisible Rationale Group') });
    const { token } = await partnerLink('Invisible Name Circle');
    const records = count('decision_records');
    const rejected = await app.post(`/review/${id}`, { intent: 'reject', version: String(proposalRow(id)!.version), rationale: Z.repeat(12) }, staff);
    expect(rejected.status).toBe(400);
    expect(proposalRow(id)!.state).toBe('review');

    const answered = await app.post(`/q/${token}`, await answers(token, { 'respondent.name': Z.repeat(2), leadership: Z }));
    const page = await answered.text();
    expect(answered.status).toBe(400);
    expect(describedError(page, 'input[name="respondent.name"]')).toContain('Give your name.');
    expect(count('decision_records')).toBe(records);
  });
});
