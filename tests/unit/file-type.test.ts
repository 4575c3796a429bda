import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFileType } from '../../app/features/attachments/file-type.server';
import { downloadHeaders, storeUpload } from '../../app/features/attachments/attachments.server';
import { bytesOf, LocalFileStore } from '../../db/attachment-store';
import { parseEnv } from '../../app/utils/env.server';
import { sampleDoc, sampleDocx, sampleHtml, sampleOdt, samplePdf, samplePng, sampleZip } from '../support/sample-files';

// An evidence file's type comes from its bytes, never its name; too large is refused as it streams.

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosponsor-files-'));
  process.env.UPLOAD_DIR = dir;
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  delete process.env.UPLOAD_MAX_BYTES;
});

describe('type detection by content', () => {
  it('knows a PDF, a PNG, a Word package made here, an OpenDocument text and a legacy Word file', () => {
    expect(detectFileType(samplePdf())?.mime).toBe('application/pdf');
    expect(detectFileType(samplePng())?.mime).toBe('image/png');
    expect(detectFileType(sampleDocx())?.mime).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(detectFileType(sampleOdt())?.mime).toBe('application/vnd.oasis.opendocument.text');
    expect(detectFileType(sampleDoc())?.mime).toBe('application/msword');
    expect(detectFileType(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'))?.mime).toBe('image/gif');
  });

  it('refuses HTML, a plain zip and a macro-enabled Word package', () => {
    expect(detectFileType(sampleHtml())).toBeNull();
    expect(detectFileType(sampleZip())).toBeNull();
    expect(detectFileType(sampleDocx('application/vnd.ms-word.document.macroEnabled.main+xml'))).toBeNull();
    expect(detectFileType(Buffer.alloc(0))).toBeNull();
  });

  it('refuses an HTML page renamed .pdf, whatever its name says, and keeps nothing', async () => {
    const result = await storeUpload(bytesOf(sampleHtml()), 'report.pdf');
    expect(result).toMatchObject({ ok: false, status: 415 });
    expect(!result.ok && result.message).toMatch(/“report\.pdf” was not attached: .*not one of the accepted types/);
    expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('refuses a file over UPLOAD_MAX_BYTES while it streams, and keeps nothing', async () => {
    process.env.UPLOAD_MAX_BYTES = '2048';
    let chunksRead = 0;
    async function* big() {
      for (let i = 0; i < 10; i++) {
        chunksRead++;
        yield Buffer.concat([samplePdf(), Buffer.alloc(1000)]);
      }
    }
    const result = await storeUpload(big(), 'big.pdf');
    delete process.env.UPLOAD_MAX_BYTES;
    expect(result).toMatchObject({ ok: false, status: 413 });
    expect(!result.ok && result.message).toMatch(/larger than 2 KB\. A file may be at most 2 KB/);
    expect(chunksRead).toBe(10); // read to the end (the rest of the form follows), written no further
    expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('stores an accepted file under its SHA-256, once however often it is sent', async () => {
    const first = await storeUpload(bytesOf(samplePdf()), 'a.pdf');
    const again = await storeUpload(bytesOf(samplePdf()), 'b.pdf');
    expect(first.ok && again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again.ref.sha256).toBe(first.ref.sha256);
    expect(first.ref).toMatchObject({ type: 'application/pdf', name: 'a.pdf', size: samplePdf().length });
    const store = new LocalFileStore(dir);
    expect(store.stat(first.ref.sha256)).toEqual({ sha256: first.ref.sha256, size: samplePdf().length });
    expect(await store.hashOf(first.ref.sha256)).toBe(first.ref.sha256);
    expect(fs.readdirSync(path.join(dir, first.ref.sha256.slice(0, 2)))).toEqual([first.ref.sha256]);
  });
});

describe('a file store that cannot write', () => {
  it('answers with a sentence (503), reads the file to its end and keeps nothing', async () => {
    const blocked = path.join(dir, 'not-a-directory');
    fs.writeFileSync(blocked, 'a file where the store should be');
    process.env.UPLOAD_DIR = blocked;
    let chunksRead = 0;
    async function* file() {
      for (let i = 0; i < 3; i++) {
        chunksRead++;
        yield samplePdf();
      }
    }
    try {
      const result = await storeUpload(file(), 'report.pdf');
      expect(result).toMatchObject({ ok: false, status: 503 });
      expect(!result.ok && result.message).toBe('“report.pdf” was not attached: The server’s file storage cannot be written to just now. Try again later.');
      expect(chunksRead).toBe(3);
    } finally {
      process.env.UPLOAD_DIR = dir;
    }
  });
});

describe('UPLOAD_MAX_BYTES', () => {
  it('defaults to 10 MB and refuses a value that is not a whole number of bytes, naming it', () => {
    expect(parseEnv({}).UPLOAD_MAX_BYTES).toBe(10 * 1024 * 1024);
    expect(parseEnv({ UPLOAD_MAX_BYTES: '2048' }).UPLOAD_MAX_BYTES).toBe(2048);
    expect(() => parseEnv({ UPLOAD_MAX_BYTES: 'ten megabytes' })).toThrow(/UPLOAD_MAX_BYTES must be a number of bytes, at least 1024 \(got "ten megabytes"\)/);
    expect(() => parseEnv({ UPLOAD_MAX_BYTES: '1500.5' })).toThrow(/UPLOAD_MAX_BYTES must be a whole number of bytes/);
  });
});

describe('download headers', () => {
  it('always a download, of the detected type, never sniffed, sandboxed', () => {
    const h = downloadHeaders({ name: 'Bericht «2026».pdf', type: 'application/pdf', sha256: 'a'.repeat(64) }, 10);
    expect(h['Content-Type']).toBe('application/pdf');
    expect(h['Content-Disposition']).toBe(`attachment; filename="Bericht _2026_.pdf"; filename*=UTF-8''Bericht%20%C2%AB2026%C2%BB.pdf`);
    expect(h['X-Content-Type-Options']).toBe('nosniff');
    expect(h['Content-Security-Policy']).toContain('sandbox');
    // A type no record may cite (text/html) is never served as itself.
    expect(downloadHeaders({ name: 'x.html', type: 'text/html', sha256: 'a'.repeat(64) }, 1)['Content-Type']).toBe('application/octet-stream');
  });
});
