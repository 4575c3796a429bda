import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { unstable_parseMultipartFormData, type UploadHandler } from '@remix-run/node';
import { attachmentStore, formatBytes } from '../../../db/attachment-store';
import { citedAttachment } from '../../../db/attachments';
import { attachmentsIn } from '../../../workflows/attachments';
import { can, type ActingUser, type ProposalSubject } from '../../../workflows/policy';
import type { AttachmentRef } from '../../../workflows/types';
import { bodyLimitBytes } from '../../http/form-limits';
import { env } from '../../utils/env.server';
import { ACCEPTED_SUMMARY, ACCEPTED_TYPES, detectFileType } from './file-type.server';

// Evidence files on the rated step forms (values, risk, perception): each criterion or item
// has a file field `<base>.upload` and its effective date `<base>.uploadDate`. A file that
// arrives is streamed into the store (bounded, typed by its bytes) and becomes a row of
// `<base>.attachments[n]` in the form, so the step's own schema, draft and record carry it
// like any other field (docs/decisions/0170-evidence-attachments.md).

const UPLOAD_FIELD_SUFFIX = '.upload';
const UPLOAD_DATE_SUFFIX = '.uploadDate';
/** Files one criterion or item may cite. */
export const MAX_ATTACHMENTS_PER_ITEM = 10;

export function uploadLimitBytes(): number {
  return env().UPLOAD_MAX_BYTES;
}

type UploadOutcome = { ok: true; ref: Omit<AttachmentRef, 'effectiveDate'> } | { ok: false; status: number; message: string };

/** Streams one file into the store: refused past the limit (counted as it arrives) or when its bytes are not an accepted type. */
export async function storeUpload(data: AsyncIterable<Uint8Array>, filename: string): Promise<UploadOutcome> {
  const limit = uploadLimitBytes();
  let detected: ReturnType<typeof detectFileType> = null;
  const put = await attachmentStore().put(data, {
    maxBytes: limit,
    accept: (temp) => {
      const bytes = fs.readFileSync(temp);
      if (bytes.length === 0) return 'The file is empty.';
      detected = detectFileType(bytes);
      return detected ? null : `This file’s content is not one of the accepted types (${ACCEPTED_SUMMARY}), whatever its name says.`;
    },
  });
  if (!put.ok) {
    const message =
      put.reason === 'too_large'
        ? `${put.message} A file may be at most ${formatBytes(limit)}.`
        : put.reason === 'unavailable'
          ? `${put.message} Try again later.`
          : put.message;
    const status = put.reason === 'too_large' ? 413 : put.reason === 'refused' ? 415 : 'full' in put && put.full ? 507 : 503;
    return { ok: false, status, message: `“${cleanName(filename)}” was not attached: ${message}` };
  }
  const type = detected as unknown as NonNullable<ReturnType<typeof detectFileType>>;
  return { ok: true, ref: { sha256: put.sha256, size: put.size, type: type.mime, name: cleanName(filename), uploadedAt: new Date().toISOString() } };
}

/**
 * Control characters, C0 and C1, and the marks that change the direction text is shown in: a
 * right-to-left override makes "invoice\u202Efdp.exe" read as "invoiceexe.pdf".
 */
// eslint-disable-next-line no-control-regex
const NAME_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The name as shown and offered on download: no path, no control characters, at most 200 characters. */
function cleanName(filename: string): string {
  return withoutControls(filename.split(/[/\\]/).pop()!);
}

function withoutControls(name: string): string {
  // At most 200 UTF-16 units (what the step forms accept), never half of a character: a cut
  // through an emoji left its first half, stored and shown as "�".
  const cut = (name.replace(NAME_CONTROLS, '').trim() || 'file').slice(0, 200);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

export type StepFormRead =
  | {
      ok: true;
      formData: FormData;
      /** Refusals by field: files not attached, and files sent in a field that takes text. */
      uploadErrors: Record<string, string[]>;
      uploadStatus: number | null;
      attached: number;
      /** Whether a file arrived in a field that takes text (a hand-made or broken post). */
      fileInTextField: boolean;
    }
  | { ok: false; status: number; message: string };

/**
 * A step form's fields, with any files it carried stored and listed as attachments.
 * A url-encoded form is read as it is. Never throws for a bad body: a 4xx with a sentence.
 */
export async function readStepForm(request: Request): Promise<StepFormRead> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'multipart/form-data') {
    try {
      return { ok: true, formData: await request.formData(), uploadErrors: {}, uploadStatus: null, attached: 0, fileInTextField: false };
    } catch {
      return { ok: false, status: 400, message: 'The form arrived incomplete or malformed. Send it again.' };
    }
  }
  const outcomes = new Map<string, UploadOutcome>();
  // Files sent in a field that takes text, by field: named beside it, never dropped unseen.
  const filesInTextFields = new Map<string, string>();
  const textLimit = bodyLimitBytes();
  let textBytes = 0;
  const handler: UploadHandler = async ({ name, filename, data }) => {
    if (filename === undefined) {
      // A text field: the HTTP layer bounded the body; the text fields together stay within the form limit.
      const chunks: Uint8Array[] = [];
      for await (const chunk of data) {
        textBytes += chunk.length;
        if (textBytes <= textLimit) chunks.push(chunk);
      }
      if (textBytes > textLimit) throw new RangeError('form text too large');
      return new TextDecoder().decode(Buffer.concat(chunks));
    }
    if (!name.endsWith(UPLOAD_FIELD_SUFFIX)) {
      // A file where the form takes text: the field stays (empty), so its row is not lost, and
      // the reply names it. Its bytes are not read as text.
      for await (const _chunk of data) void _chunk;
      filesInTextFields.set(name, filename);
      return '';
    }
    if (filename === '' || outcomes.has(name)) {
      // No file chosen (browsers send an empty part), or a second file for one field.
      for await (const _chunk of data) void _chunk;
      return undefined;
    }
    outcomes.set(name, await storeUpload(data, filename));
    return undefined;
  };
  let formData: FormData;
  try {
    formData = await unstable_parseMultipartFormData(request, handler);
  } catch (error) {
    if (error instanceof RangeError) return { ok: false, status: 413, message: 'The form’s text is too large to accept. Shorten the longest texts and send it again.' };
    return { ok: false, status: 400, message: 'The form arrived incomplete or malformed. Send it again.' };
  }
  const uploadErrors: Record<string, string[]> = {};
  let uploadStatus: number | null = null;
  let attached = 0;
  for (const [field, outcome] of outcomes) {
    const base = field.slice(0, -UPLOAD_FIELD_SUFFIX.length);
    const effectiveDate = String(formData.get(`${base}${UPLOAD_DATE_SUFFIX}`) ?? '').trim();
    if (!outcome.ok) {
      uploadErrors[field] = [outcome.message];
      uploadStatus = Math.max(uploadStatus ?? 0, outcome.status);
      continue;
    }
    const count = [...formData.keys()].filter((k) => k.startsWith(`${base}.attachments[`) && k.endsWith('].sha256')).length;
    if (count >= MAX_ATTACHMENTS_PER_ITEM) {
      uploadErrors[field] = [`“${outcome.ref.name}” was not attached: at most ${MAX_ATTACHMENTS_PER_ITEM} files per item. Remove one first.`];
      uploadStatus = Math.max(uploadStatus ?? 0, 400);
      continue;
    }
    const row = { ...outcome.ref, effectiveDate };
    for (const [key, value] of Object.entries(row)) formData.append(`${base}.attachments[${count}].${key}`, String(value));
    // The date went with the file; the field starts empty for the next one.
    formData.delete(`${base}${UPLOAD_DATE_SUFFIX}`);
    attached++;
  }
  for (const [field, filename] of filesInTextFields) {
    const file = filename === '' ? 'A file' : `A file (“${cleanName(filename)}”)`;
    uploadErrors[field] = [`${file} was sent here, where text was expected, so this field was left empty. Type the text.`];
    uploadStatus = Math.max(uploadStatus ?? 0, 400);
  }
  return { ok: true, formData, uploadErrors, uploadStatus, attached, fileInTextField: filesInTextFields.size > 0 };
}

/**
 * Why the files a submitted input cites cannot be recorded, by form field: each must be in
 * the store with the size and type its row claims (the rows travel through the form as
 * hidden fields, so they are checked against the bytes, never taken on trust).
 */
export async function attachmentProblems(input: unknown, fieldOf: (path: string[], index: number) => string): Promise<Record<string, string[]>> {
  const problems: Record<string, string[]> = {};
  const store = attachmentStore();
  const counted = new Map<string, number>();
  for (const { ref, path } of attachmentsIn(input)) {
    const index = counted.get(path.join('.')) ?? 0;
    counted.set(path.join('.'), index + 1);
    const stored = store.stat(ref.sha256);
    const detected = stored && stored.size === ref.size ? await detectStored(ref.sha256) : null;
    if (!stored || stored.size !== ref.size || detected !== ref.type) {
      problems[fieldOf(path, index)] = [`“${ref.name}” is not in the file store as listed: remove it and attach the file again.`];
    }
  }
  return problems;
}

/** The type the stored bytes show (files are at most UPLOAD_MAX_BYTES; the zip check reads a whole one). */
async function detectStored(sha256: string): Promise<string | null> {
  const stream = attachmentStore().get(sha256);
  if (!stream) return null;
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk as Buffer);
  } catch {
    return null;
  }
  return detectFileType(Buffer.concat(chunks))?.mime ?? null;
}

export type AttachmentDownload = { ref: AttachmentRef; stream: Readable; size: number };

/**
 * The file, when this proposal cites it (the caller has checked the person may view the
 * proposal). A file cited only in a step draft is not yet part of the proposal anyone
 * reviews: only those who may edit the draft get it, and anyone else is answered as if
 * it were not cited, so the answer does not confirm what a draft holds.
 */
export function attachmentDownload(viewer: ActingUser, proposal: ProposalSubject & { id: number }, sha256: string): AttachmentDownload | null {
  if (!/^[0-9a-f]{64}$/.test(sha256)) return null;
  const cited = citedAttachment(proposal.id, sha256);
  if (!cited || !ACCEPTED_TYPES.has(cited.ref.type)) return null;
  if (cited.citedIn === 'draft' && !can(viewer, 'proposal.edit', proposal).ok) return null;
  const { ref } = cited;
  const store = attachmentStore();
  const stat = store.stat(sha256);
  const stream = stat ? store.get(sha256) : null;
  if (!stat || !stream) return null;
  return { ref, stream, size: stat.size };
}

/**
 * How a file is served: always as a download (never shown inline), with the type its bytes
 * showed (never text/html), no sniffing, and a sandbox in case a browser renders it anyway.
 */
export function downloadHeaders(ref: Pick<AttachmentRef, 'name' | 'type' | 'sha256'>, size: number): Record<string, string> {
  const type = ACCEPTED_TYPES.get(ref.type);
  // A draft's name came through the form unchecked: kept short, and only printable ASCII in the plain parameter.
  const name = withExtensionOf(type, withoutControls(ref.name));
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_') || `file.${type?.extension ?? 'bin'}`;
  return {
    'Content-Type': type?.mime ?? 'application/octet-stream',
    'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${extValueChars(name)}`,
    'Content-Length': String(size),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'private, no-store',
    ETag: `"${ref.sha256}"`,
  };
}

/**
 * The name a file is saved under ends in its type's extension: the type comes from the bytes'
 * first few, so a PDF that is also a page of HTML named notes.hta would otherwise be saved as
 * notes.hta and run as that when opened. A name that already says its type is kept as it is.
 */
function withExtensionOf(type: { extension: string } | undefined, name: string): string {
  if (!type) return name;
  const lower = name.toLowerCase();
  const extensions = type.extension === 'jpg' ? ['jpg', 'jpeg'] : [type.extension];
  return extensions.some((extension) => lower.endsWith(`.${extension}`)) ? name : `${name}.${type.extension}`;
}

/**
 * RFC 8187 value-chars: encodeURIComponent leaves ' ( ) * as they are, and Chromium ignores a
 * filename* holding a third apostrophe (it then saves under the ASCII name, accents lost).
 */
function extValueChars(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
