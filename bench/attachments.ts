import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { strToU8, zipSync } from 'fflate';
import { storeUpload } from '../app/features/attachments/attachments.server';
import { attachmentStore } from '../db/attachment-store';

// npx tsx bench/attachments.ts [--runs N]
// Storing an evidence file (streamed in 64 KB chunks as the multipart parser gives them,
// hashed, typed by content, renamed to its SHA-256), refusing one over the limit, and the
// verifier's re-hash, for a PDF and a DOCX just under the 10 MB default limit.
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 7;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosponsor-bench-files-'));
process.env.UPLOAD_DIR = dir;
const LIMIT = 10 * 1024 * 1024;

function chunks(bytes: Buffer): AsyncIterable<Uint8Array> {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 65_536) parts.push(bytes.subarray(i, i + 65_536));
  return Readable.from(parts);
}

function pdfOf(size: number, salt: number): Buffer {
  const head = Buffer.from(`%PDF-1.7\n% run ${salt}\n`);
  // Varied bytes (not compressible to nothing), different per run so each is a new file.
  const body = Buffer.alloc(size - head.length);
  for (let i = 0; i + 4 <= body.length; i += 4) body.writeUInt32LE(Math.imul(i + salt, 2654435761) >>> 0, i);
  return Buffer.concat([head, body]);
}

function docxOf(size: number, salt: number): Buffer {
  const noise = pdfOf(size - 4096, salt).subarray(16);
  return Buffer.from(
    zipSync({
      '[Content_Types].xml': strToU8(
        '<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      ),
      'word/document.xml': strToU8('<w:document/>'),
      'word/media/image1.bin': [noise, { level: 0 }],
    }),
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timePut(make: (salt: number) => Buffer, name: string) {
  const ms: number[] = [];
  let size = 0;
  for (let r = 0; r < runs; r++) {
    const bytes = make(r);
    size = bytes.length;
    const t = performance.now();
    const result = await storeUpload(chunks(bytes), name);
    ms.push(performance.now() - t);
    if (!result.ok) throw new Error(result.message);
  }
  return { ms: median(ms), size };
}

const pdf = await timePut((s) => pdfOf(LIMIT - 1024, s), 'big.pdf');
const docx = await timePut((s) => docxOf(LIMIT - 8192, 1000 + s), 'big.docx');
const refused: number[] = [];
for (let r = 0; r < runs; r++) {
  const bytes = pdfOf(2 * LIMIT, 5000 + r);
  const t = performance.now();
  const result = await storeUpload(chunks(bytes), 'too-big.pdf');
  refused.push(performance.now() - t);
  if (result.ok) throw new Error('a file over the limit was stored');
}
const hashes: number[] = [];
const stored = fs.readdirSync(dir).filter((d) => d !== 'tmp').flatMap((d) => fs.readdirSync(path.join(dir, d)));
for (const sha of stored.slice(0, runs)) {
  const t = performance.now();
  await attachmentStore().hashOf(sha);
  hashes.push(performance.now() - t);
}
const mbps = (bytes: number, ms: number) => (bytes / 1024 / 1024 / (ms / 1000)).toFixed(0);
console.log(
  `store PDF ${(pdf.size / 1048576).toFixed(1)} MB: ${pdf.ms.toFixed(1)} ms (${mbps(pdf.size, pdf.ms)} MB/s) · ` +
    `store DOCX ${(docx.size / 1048576).toFixed(1)} MB: ${docx.ms.toFixed(1)} ms · ` +
    `refuse 20 MB over the limit: ${median(refused).toFixed(1)} ms · ` +
    `verifier re-hash of a 10 MB file: ${median(hashes).toFixed(1)} ms · medians of ${runs}; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
);
fs.rmSync(dir, { recursive: true, force: true });
