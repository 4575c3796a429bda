import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposalRow } from '../../db/proposals';
import { proposalAt } from '../integration/step-fixtures';
import { startApp, type TestApp } from '../support/app-server';

// Defects found by trying the running app as its users and as attackers would (third round:
// attachments, sessions, partner links, configuration edits).

process.env.THROTTLE_DELAY_STEP_MS = '0';

let app: TestApp;
let lead: string;
beforeAll(async () => {
  app = await startApp();
  lead = await app.login('lead@cosponsor.test');
});
afterAll(() => app.close());

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Attaches a PDF under `name` to the values step's first criterion, as the step form sends it. */
function attachToValues(id: number, bytes: Buffer, name: string): Promise<Response> {
  const form = new FormData();
  form.append('version', String(proposalRow(id)!.version));
  form.append('intent', 'attach');
  form.append('ratings.independence.uploadDate', '2026-02-01');
  form.append('ratings.independence.upload', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), name);
  return app.fetch(`/proposals/${id}/steps/values`, { method: 'POST', body: form, cookie: lead });
}

describe('an evidence file whose name claims another type than its bytes', () => {
  // A file is typed by its first bytes: "%PDF-" followed by a page of HTML is a PDF to the
  // store, and was offered for saving under the name it came with (minutes.hta, notes.html),
  // so whoever opened the saved file ran it as what its name said, outside the browser's sandbox.
  const polyglot = Buffer.from('%PDF-1.4\n<html><body><script>alert("run")</script></body></html>\n');

  it('is saved under a name ending in the extension of the type it was served as', async () => {
    const id = proposalAt('values', 'Probe polyglot download');
    const attached = await attachToValues(id, polyglot, 'minutes.hta');
    expect(attached.status).toBe(200);
    const response = await app.fetch(`/proposals/${id}/attachments/${sha(polyglot)}`, { cookie: lead });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="minutes.hta.pdf"; filename*=UTF-8''minutes.hta.pdf`);
    await response.arrayBuffer();
  });
});

describe('an evidence file with a very long name', () => {
  // Names are cut to 200 characters, counted in UTF-16 units: a cut inside an emoji kept half of
  // it, which the store turned into "�" on the lists, the record and the saved file's name.
  it('keeps whole characters when cut, and downloads', async () => {
    const id = proposalAt('values', 'Probe long file name');
    const pdf = Buffer.from('%PDF-1.4\nlong name\n');
    const attached = await attachToValues(id, pdf, `${'a'.repeat(199)}😀 minutes.pdf`);
    expect(attached.status).toBe(200);
    const response = await app.fetch(`/proposals/${id}/attachments/${sha(pdf)}`, { cookie: lead });
    expect(response.status).toBe(200);
    const disposition = response.headers.get('content-disposition')!;
    const encoded = /filename\*=UTF-8''(.+)$/.exec(disposition)![1]!;
    expect(decodeURIComponent(encoded)).toBe(`${'a'.repeat(199)}.pdf`);
    await response.arrayBuffer();
  });
});

describe('an evidence file whose name holds an apostrophe or brackets', () => {
  // filename*= takes RFC 8187 attr-chars only; encodeURIComponent leaves ' ( ) * as they are, and
  // a value with a third apostrophe is not read by Chromium, which then saved the file under the
  // plain ASCII name with its accents replaced ("Caf_ O'Brien.pdf").
  it('is offered with every character outside attr-char percent-encoded', async () => {
    const id = proposalAt('values', 'Probe apostrophe name');
    const pdf = Buffer.from('%PDF-1.4\napostrophe\n');
    expect((await attachToValues(id, pdf, "Café O'Brien (draft)*.pdf")).status).toBe(200);
    const response = await app.fetch(`/proposals/${id}/attachments/${sha(pdf)}`, { cookie: lead });
    expect(response.status).toBe(200);
    const encoded = /filename\*=UTF-8''(.+)$/.exec(response.headers.get('content-disposition')!)![1]!;
    expect(encoded).toBe('Caf%C3%A9%20O%27Brien%20%28draft%29%2A.pdf');
    expect(encoded).toMatch(/^[A-Za-z0-9!#$&+\-.^_`|~%]+$/);
    await response.arrayBuffer();
  });
});


describe('an evidence file whose name holds direction or C1 control characters', () => {
  // Only C0 controls were taken out of a name: a right-to-left override (U+202E) made
  // "invoice\u202Efdp.exe" show as "invoiceexe.pdf" on the lists reviewers read.
  it('is listed and offered without them', async () => {
    const id = proposalAt('values', 'Probe bidi name');
    const pdf = Buffer.from('%PDF-1.4\nbidi\n');
    const attached = await attachToValues(id, pdf, 'invoice\u202Efdp\u2066\u200F\u0085.pdf');
    expect(attached.status).toBe(200);
    expect(await attached.text()).toContain('invoicefdp.pdf');
    const response = await app.fetch(`/proposals/${id}/attachments/${sha(pdf)}`, { cookie: lead });
    expect(response.status).toBe(200);
    const encoded = /filename\*=UTF-8''(.+)$/.exec(response.headers.get('content-disposition')!)![1]!;
    expect(decodeURIComponent(encoded)).toBe('invoicefdp.pdf');
    await response.arrayBuffer();
  });
});

describe('a HEAD request for an evidence file', () => {
  // The file was opened and its stream handed to the answer, which a HEAD answer never reads:
  // past the first buffer the stream stayed open, one file descriptor per request for good,
  // until the process could open nothing (the database included).
  const openUploads = () =>
    fs.readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(path.resolve(process.env.UPLOAD_DIR!));
      } catch {
        return false;
      }
    }).length;

  it('answers with the headers and leaves no file open', async () => {
    const id = proposalAt('values', 'Probe HEAD download');
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1024 * 1024, 0x41)]);
    expect((await attachToValues(id, pdf, 'large.pdf')).status).toBe(200);
    const before = openUploads();
    for (let i = 0; i < 5; i++) {
      const response = await app.fetch(`/proposals/${id}/attachments/${sha(pdf)}`, { method: 'HEAD', cookie: lead });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-length')).toBe(String(pdf.length));
      expect(response.headers.get('content-disposition')).toContain('large.pdf');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(openUploads()).toBe(before);
  });
});

describe('the sign-in page opened by someone already signed in', () => {
  // A page that asked another tab to sign in again sends the person to /login?redirectTo=…; once
  // signed in (in that other tab), following it went to the home page and lost the destination.
  it('goes on to the page asked for, and never to another site', async () => {
    const onward = await app.fetch('/login?redirectTo=%2Fproposals%3Fview%3Dall', { cookie: lead });
    expect(onward.status).toBe(302);
    expect(onward.headers.get('location')).toBe('/proposals?view=all');
    const elsewhere = await app.fetch('/login?redirectTo=%2F%2Fevil.example', { cookie: lead });
    expect(elsewhere.headers.get('location')).toBe('/');
  });
});
