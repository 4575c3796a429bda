import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeConfig } from '../../db/config';
import { all, qb } from '../../db/connection';
import { proposalRow } from '../../db/proposals';
import { userByEmail } from '../../db/users';
import { initialEditorState } from '../../app/features/mou/mou.server';
import { startApp, type TestApp } from '../support/app-server';
import { proposalAtMouStep } from '../integration/mou-fixtures';
import { daysFromToday, newPartner, proposalInReview } from '../integration/review-fixtures';
import { fieldValue, find, parseHtml, visibleText } from '../support/html';

// Defects found by trying the app as its users and as attackers would: each a
// request anyone signed in (or anyone at all) can send.

let app: TestApp;
let staff: string;
beforeAll(async () => {
  app = await startApp();
  staff = await app.login('staff@cosponsor.test');
});
afterAll(() => app.close());

/** The first day of next year's February that does not exist (Feb 30), within the 12 months an approval may last. */
function missingDayWithinAYear(): string {
  const today = daysFromToday(0);
  const year = Number(today.slice(0, 4)) + (today.slice(5) > '02-29' ? 1 : 0);
  return `${year}-02-30`;
}

describe('the inbox page number', () => {
  it('answers a page number beyond what SQLite can bind without a 500', async () => {
    for (const page of ['1e20', '4611686018427387904', '1e300']) {
      const response = await app.fetch(`/inbox?page=${page}`, { cookie: staff });
      expect(response.status, `page=${page}`).toBe(200);
      expect(visibleText(await response.text())).toContain('Inbox');
    }
  });
});

describe('the approval’s end date', () => {
  it('refuses a day that does not exist, beside the field, with what was typed kept, writing nothing', async () => {
    const id = proposalInReview({ partnerId: newPartner('Probe Missing Day Group') });
    const before = proposalRow(id)!;
    const endDate = missingDayWithinAYear();
    const response = await app.post(`/review/${id}`, { intent: 'approve', version: String(before.version), conditions: 'Keep this condition', endDate }, staff);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(find(html, '#approve-end-error')?.text).toContain('This date does not exist.');
    expect(fieldValue(html, 'endDate')).toBe(endDate);
    expect(fieldValue(html, 'conditions')).toBe('Keep this condition');
    expect(proposalRow(id)).toMatchObject({ state: 'review', version: before.version, approved_until: null });
  });

  it('refuses a malformed day as a field error (400), not as a conflict (409)', async () => {
    const id = proposalInReview({ partnerId: newPartner('Probe Malformed Day Group') });
    const version = String(proposalRow(id)!.version);
    const response = await app.post(`/review/${id}`, { intent: 'approve', version, conditions: '', endDate: `${daysFromToday(30).slice(0, 8)}99` }, staff);
    expect(response.status).toBe(400);
    expect(find(await response.text(), '#approve-end-error')?.text).toContain('This date does not exist.');
    expect(proposalRow(id)!.state).toBe('review');
  });
});

describe('a form post from another site', () => {
  it('is refused with an HTML page a browser shows, not plain text', async () => {
    const response = await app.fetch('/inbox', {
      method: 'POST',
      cookie: staff,
      headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'intent=read-all',
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(find(await response.text(), '[role="alert"]')?.text).toContain('sent from another site');
  });
});

describe('methods no form of ours sends', () => {
  it('answers PUT, PATCH and DELETE with 405 and the methods allowed, running no action', async () => {
    const id = proposalInReview({ partnerId: newPartner('Probe Method Group') });
    const version = String(proposalRow(id)!.version);
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const response = await app.fetch(`/review/${id}`, {
        method,
        cookie: staff,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ intent: 'reject', version, rationale: 'Rejected through a method no form sends.' }),
      });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD, POST');
      expect(visibleText(await response.text())).toContain(method);
    }
    expect(proposalRow(id)!.state).toBe('review');
    // Signing out is not done by a DELETE either.
    const signOut = await app.fetch('/logout', { method: 'DELETE', cookie: staff });
    expect(signOut.status).toBe(405);
    expect((await app.fetch('/review', { cookie: staff })).status).toBe(200);
  });
});

describe('ids in the path', () => {
  it('names a record by its decimal number only: 0x1, 1e0, +1 and 01 are not found', async () => {
    const admin = await app.login('admin@cosponsor.test');
    const partner = newPartner('Probe Path Id Group');
    const id = proposalInReview({ partnerId: partner });
    expect((await app.fetch(`/proposals/${id}`, { cookie: staff })).status).toBe(200);
    expect((await app.fetch(`/partners/${partner}`, { cookie: staff })).status).toBe(200);
    expect((await app.fetch('/admin/users/1', { cookie: admin })).status).toBe(200);
    for (const alias of [`0x${id.toString(16)}`, `${id}e0`, `+${id}`, `0${id}`, `%20${id}`]) {
      expect((await app.fetch(`/proposals/${alias}`, { cookie: staff })).status, alias).toBe(404);
      expect((await app.fetch(`/review/${alias}`, { cookie: staff })).status, alias).toBe(404);
    }
    for (const alias of [`0x${partner.toString(16)}`, `${partner}e0`, `0${partner}`]) {
      expect((await app.fetch(`/partners/${alias}`, { cookie: staff })).status, alias).toBe(404);
    }
    for (const alias of ['0x1', '1e0', '01']) {
      expect((await app.fetch(`/admin/users/${alias}`, { cookie: admin })).status, alias).toBe(404);
    }
  });
});

/** The editor form as a browser sends it: every named field with its value (checked boxes only). */
async function editorForm(path: string, cookie: string): Promise<Record<string, string>> {
  const form = parseHtml(await (await app.fetch(path, { cookie })).text()).querySelector('form[aria-labelledby="editor-title"]')!;
  const fields: Record<string, string> = {};
  for (const el of form.querySelectorAll('input[name], textarea[name], select[name]')) {
    const name = el.getAttribute('name')!;
    if (name === '__intent__') continue;
    if (el.tagName.toLowerCase() === 'textarea') fields[name] = el.text;
    else if (el.tagName.toLowerCase() === 'select') fields[name] = (el.querySelector('option[selected]') ?? el.querySelector('option'))?.getAttribute('value') ?? '';
    else if (el.getAttribute('type') !== 'checkbox' || el.hasAttribute('checked')) fields[name] = el.getAttribute('value') ?? 'on';
  }
  return fields;
}

describe('configuration keys that name form fields', () => {
  // A values criterion keyed "constructor" made the values step impossible to submit for every
  // proposal: without its field the form read Object.prototype.constructor ("expected object, received
  // function"), with it the post was refused for a reserved field name.
  it('refuses "constructor" and "prototype" as keys, beside the field, saving no version', async () => {
    const admin = await app.login('admin@cosponsor.test');
    const versions = () => all(qb().selectFrom('config_versions').select('id')).length;
    const before = versions();
    const cases = [
      { path: '/admin/config/values', list: 'criteria', extra: { label: 'Reserved', description: 'A criterion with a reserved key.', required: 'on' } },
      { path: '/admin/config/perception', list: 'items', extra: { label: 'Reserved', condition: 'A condition with a reserved key.' } },
    ];
    for (const { path, list, extra } of cases) {
      for (const reserved of ['constructor', 'prototype']) {
        const form = await editorForm(path, admin);
        const n = new Set(Object.keys(form).filter((k) => k.startsWith(`${list}[`)).map((k) => k.slice(0, k.indexOf(']') + 1))).size;
        form[`${list}[${n}].key`] = reserved;
        for (const [k, v] of Object.entries(extra)) form[`${list}[${n}].${k}`] = v;
        form.note = `Adds the ${reserved} key.`;
        const response = await app.post(path, form, admin);
        expect(response.status, `${path} ${reserved}`).toBe(400);
        const html = await response.text();
        expect(errorBeside(html, `${list}[${n}].key`)).toContain('is reserved');
        expect(fieldValue(html, `${list}[${n}].key`)).toBe(reserved);
      }
    }
    expect(versions()).toBe(before);
    expect(activeConfig().docs.values_criteria.criteria.map((c) => c.key)).not.toContain('constructor');
  });
});

/** The error shown beside the field named `name`, read through its aria-describedby. */
function errorBeside(html: string, name: string): string {
  const field = find(html, `[name="${name}"]`);
  if (!field) throw new Error(`No field ${name}`);
  const ids = (field.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  return ids.map((id) => visibleText(find(html, `[id="${id}"]`)?.outerHTML ?? '')).join(' ');
}

describe('saving an MOU from a form that lacks the sections of its required clauses', () => {
  // An older page (the template's sections renamed since) or a hand-made post: the required
  // clauses' section is missing, and placing their "removed without a reason" message crashed.
  it('answers 400 with the section shown again and the message beside its clause, saving nothing', async () => {
    const lead = await app.login('lead@cosponsor.test');
    const id = proposalAtMouStep();
    const before = proposalRow(id)!;
    const state = initialEditorState(id, before.version);
    const form: Record<string, string> = { intent: 'save', version: String(state.version), baseVersion: '', note: 'From an older page' };
    // Only the sections without a required clause, as the older page named them.
    state.sections
      .filter((section) => section.clauses.length === 0)
      .forEach((section, i) => {
        form[`sections[${i}].key`] = section.key;
        form[`sections[${i}].body`] = section.body;
      });
    const unknownOnly = { intent: 'save', version: String(state.version), baseVersion: '', note: 'Hand-made', 'sections[0].key': 'no_such_section', 'sections[0].body': 'Text' };
    for (const sections of [form, unknownOnly]) {
      const response = await app.post(`/proposals/${id}/steps/mou`, sections, lead);
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(visibleText(html)).toContain('say why it is removed');
    }
    expect(proposalRow(id)!.version).toBe(before.version);
  });
});

describe('marking an MOU version read', () => {
  it('refuses anyone but staff with 403, and a version that does not exist with 404, writing nothing', async () => {
    const id = proposalAtMouStep();
    const lead = await app.login('lead@cosponsor.test');
    const state = initialEditorState(id, proposalRow(id)!.version);
    const form: Record<string, string> = { intent: 'save', version: String(state.version), baseVersion: '', note: 'First version' };
    state.sections.forEach((section, i) => {
      form[`sections[${i}].key`] = section.key;
      form[`sections[${i}].body`] = section.body;
      section.clauses.forEach((c, j) => {
        form[`sections[${i}].clauses[${j}].id`] = c.id;
        form[`sections[${i}].clauses[${j}].text`] = c.text;
      });
    });
    expect((await app.post(`/proposals/${id}/steps/mou`, form, lead)).status).toBe(302);
    const views = () => all(qb().selectFrom('mou_views').select('user_id').where('proposal_id', '=', id)).length;

    for (const email of ['lead@cosponsor.test', 'reviewer@cosponsor.test', 'admin@cosponsor.test']) {
      const refused = await app.post(`/proposals/${id}/mou/versions`, { version: '1' }, await app.login(email));
      expect(refused.status, email).toBe(403);
      expect(visibleText(await refused.text())).toContain('Only staff');
    }
    for (const version of ['7', 'abc', '']) {
      const refused = await app.post(`/proposals/${id}/mou/versions`, { version }, staff);
      expect(refused.status, version).toBe(404);
      expect(visibleText(await refused.text())).toContain('MOU version');
    }
    expect(views()).toBe(0);
    expect((await app.post(`/proposals/${id}/mou/versions`, { version: '1' }, staff)).status).toBe(302);
    expect(views()).toBe(1);
  });
});

describe('a refused post about a partner questionnaire link', () => {
  it('says why on the page when the fields at fault are not on the form (the link to revoke, the action)', async () => {
    const lead = await app.login('lead@cosponsor.test');
    const id = proposalInReview({ partnerId: newPartner('Probe Link Group') });
    for (const [form, message] of [
      [{ intent: 'revoke', link: 'abc' }, 'Name the link to revoke.'],
      [{ intent: 'revoke', link: '1e20' }, 'Name the link to revoke.'],
      [{ intent: 'rename', link: '1' }, 'Unknown action.'],
    ] as const) {
      const response = await app.post(`/proposals/${id}/partner`, form, lead);
      expect(response.status, JSON.stringify(form)).toBe(400);
      expect(find(await response.text(), '[role="alert"]')?.text, JSON.stringify(form)).toContain(message);
    }
  });
});

describe('marking an inbox message read', () => {
  it('refuses another person’s message with 404 instead of saying “Marked read”, and shows why a post was refused', async () => {
    const lead = await app.login('lead@cosponsor.test');
    const foreign = all(qb().selectFrom('inbox as i').innerJoin('users as u', 'u.id', 'i.user_id').select(['i.id', 'i.read_at']).where('u.email', '=', 'staff@cosponsor.test').where('i.read_at', 'is', null));
    expect(foreign.length).toBeGreaterThan(0);
    const refused = await app.post('/inbox', { intent: 'read', id: String(foreign[0]!.id) }, lead);
    expect(refused.status).toBe(404);
    expect(find(await refused.text(), '[role="alert"]')?.text).toContain('not in your inbox');
    expect(all(qb().selectFrom('inbox').select('read_at').where('id', '=', foreign[0]!.id))[0]!.read_at).toBeNull();

    for (const [form, message] of [
      [{ intent: 'read', id: 'abc' }, 'Choose a message.'],
      [{ intent: 'archive' }, 'Unknown action.'],
    ] as const) {
      const response = await app.post('/inbox', form, lead);
      expect(response.status).toBe(400);
      expect(find(await response.text(), '[role="alert"]')?.text).toContain(message);
    }
  });
});

describe('marking one’s own inbox message read twice (a double click)', () => {
  /** Posts “Mark read” and returns the flash the inbox then shows. */
  async function markRead(cookie: string, id: number) {
    const response = await app.post('/inbox', { intent: 'read', id: String(id) }, cookie);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/inbox');
    const flash = /cosponsor_flash=[^;]+/.exec(response.headers.get('set-cookie') ?? '')?.[0];
    expect(flash).toBeDefined();
    return visibleText((await (await app.fetch('/inbox', { cookie: `${cookie}; ${flash}` })).text()) ?? '');
  }
  const readAt = (id: number) => all(qb().selectFrom('inbox').select('read_at').where('id', '=', id))[0]!.read_at;

  it('succeeds the second time too, writing nothing, while a missing message stays a 404 with a message', async () => {
    const own = all(qb().selectFrom('inbox as i').innerJoin('users as u', 'u.id', 'i.user_id').select('i.id').where('u.email', '=', 'staff@cosponsor.test').where('i.read_at', 'is', null).orderBy('i.id', 'desc'));
    expect(own.length).toBeGreaterThan(0);
    const id = own[0]!.id;
    expect(await markRead(staff, id)).toContain('Marked read.');
    const first = readAt(id);
    expect(first).not.toBeNull();
    expect(await markRead(staff, id)).toContain('already marked read');
    expect(readAt(id)).toBe(first);

    const missing = (all(qb().selectFrom('inbox').select((eb) => eb.fn.max('id').as('id')))[0]!.id as number) + 1000;
    const refused = await app.post('/inbox', { intent: 'read', id: String(missing) }, staff);
    expect(refused.status).toBe(404);
    expect(find(await refused.text(), '[role="alert"]')?.text).toContain('not in your inbox');
  });
});

describe('two admins (or two tabs) changing one account’s access', () => {
  it('refuses the second save, made on a page that did not show the first, with 409 and the access as it is now', async () => {
    const admin = await app.login('admin@cosponsor.test');
    const target = userByEmail('staff2@cosponsor.test')!;
    const path = `/admin/users/${target.id}`;
    const opened = await (await app.fetch(path, { cookie: admin })).text();
    const seen = fieldValue(opened, 'seenAccess');
    expect(seen).not.toBeNull();

    // The first tab adds the reviewer role.
    const first = await app.post(path, { intent: 'update', roles: ['staff', 'reviewer'], chapterId: '', seenAccess: seen! }, admin);
    expect(first.status).toBe(302);
    // The second tab, opened before it, would take staff away and silently drop the reviewer role too.
    const second = await app.post(path, { intent: 'update', roles: ['chapter_lead'], chapterId: String(userByEmail('lead@cosponsor.test')!.chapter_id), seenAccess: seen! }, admin);
    expect(second.status).toBe(409);
    const html = await second.text();
    expect(find(html, '[role="alert"]')?.text).toContain('changed since you opened this page');
    expect(userByEmail('staff2@cosponsor.test')!.roles.sort()).toEqual(['reviewer', 'staff']);
    // The page now offers the current access to start from.
    expect(fieldValue(html, 'seenAccess')).not.toBe(seen);
  });
});

describe('two admins (or two tabs) renaming one chapter', () => {
  it('refuses the second rename, made on a page that showed the old name, with 409', async () => {
    const admin = await app.login('admin@cosponsor.test');
    const page = await (await app.fetch('/admin/chapters', { cookie: admin })).text();
    const form = parseHtml(page).querySelectorAll('form').find((f) => f.querySelector('input[name="intent"]')?.getAttribute('value') === 'rename')!;
    const fields: Record<string, string> = {};
    for (const input of form.querySelectorAll('input[name]')) fields[input.getAttribute('name')!] = input.getAttribute('value') ?? '';
    expect(fields.seenName).toBeDefined();
    const chapterId = Number(fields.chapterId);

    expect((await app.post('/admin/chapters', { ...fields, name: 'Probe First Name' }, admin)).status).toBe(302);
    const second = await app.post('/admin/chapters', { ...fields, name: 'Probe Second Name' }, admin);
    expect(second.status).toBe(409);
    expect(visibleText(await second.text())).toContain('changed since you opened this page');
    const names = all(qb().selectFrom('chapters').select('name').where('id', '=', chapterId));
    expect(names[0]!.name).toBe('Probe First Name');
  });
});
