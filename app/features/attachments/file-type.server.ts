import { inflateRawSync } from 'node:zlib';

// What a file is, read from its bytes: the name and the browser's claimed type are never
// trusted (an HTML page renamed .pdf is refused). Office formats that are zip packages are
// told apart by the package's own declaration: OOXML's [Content_Types].xml, OpenDocument's
// `mimetype` entry; a macro-enabled package declares another main part and is refused.

export type DetectedType = { mime: string; label: string; extension: string };

const PDF: DetectedType = { mime: 'application/pdf', label: 'PDF', extension: 'pdf' };
const PNG: DetectedType = { mime: 'image/png', label: 'PNG image', extension: 'png' };
const JPEG: DetectedType = { mime: 'image/jpeg', label: 'JPEG image', extension: 'jpg' };
const GIF: DetectedType = { mime: 'image/gif', label: 'GIF image', extension: 'gif' };
const WEBP: DetectedType = { mime: 'image/webp', label: 'WebP image', extension: 'webp' };
const DOCX: DetectedType = { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'Word document', extension: 'docx' };
const XLSX: DetectedType = { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'Excel workbook', extension: 'xlsx' };
const PPTX: DetectedType = { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', label: 'PowerPoint presentation', extension: 'pptx' };
const ODT: DetectedType = { mime: 'application/vnd.oasis.opendocument.text', label: 'OpenDocument text', extension: 'odt' };
const ODS: DetectedType = { mime: 'application/vnd.oasis.opendocument.spreadsheet', label: 'OpenDocument spreadsheet', extension: 'ods' };
const DOC: DetectedType = { mime: 'application/msword', label: 'Word 97-2003 document', extension: 'doc' };
const XLS: DetectedType = { mime: 'application/vnd.ms-excel', label: 'Excel 97-2003 workbook', extension: 'xls' };

/** Every type an attachment may have, by MIME type: what a record may cite and a download may serve. */
export const ACCEPTED_TYPES: ReadonlyMap<string, DetectedType> = new Map(
  [PDF, PNG, JPEG, GIF, WEBP, DOCX, XLSX, PPTX, ODT, ODS, DOC, XLS].map((t) => [t.mime, t]),
);

export const ACCEPTED_SUMMARY = 'PDF, PNG, JPEG, GIF or WebP images, Word, Excel, PowerPoint or OpenDocument files';

const OOXML_MAIN: Record<string, DetectedType> = {
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml': DOCX,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml': XLSX,
  'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml': PPTX,
};

const startsWith = (bytes: Uint8Array, prefix: number[] | string, at = 0) => {
  const want = typeof prefix === 'string' ? [...prefix].map((c) => c.charCodeAt(0)) : prefix;
  if (bytes.length < at + want.length) return false;
  return want.every((b, i) => bytes[at + i] === b);
};

/** The file's type when it is one we accept, else null. */
export function detectFileType(bytes: Buffer): DetectedType | null {
  if (startsWith(bytes, '%PDF-')) return PDF;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return PNG;
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return JPEG;
  if (startsWith(bytes, 'GIF87a') || startsWith(bytes, 'GIF89a')) return GIF;
  if (startsWith(bytes, 'RIFF') && startsWith(bytes, 'WEBP', 8)) return WEBP;
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return compoundDocumentType(bytes);
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return zipPackageType(bytes);
  return null;
}

/**
 * Legacy Word and Excel files are OLE compound documents; their directory names the main
 * stream (UTF-16LE): "WordDocument" for Word, "Workbook" (or "Book") for Excel. Other
 * compound documents (Outlook messages, old PowerPoint, installers) are refused.
 */
function compoundDocumentType(bytes: Buffer): DetectedType | null {
  const utf16 = (s: string) => Buffer.from(s, 'utf16le');
  if (bytes.includes(utf16('WordDocument'))) return DOC;
  if (bytes.includes(utf16('Workbook')) || bytes.includes(utf16('Book\u0000'))) return XLS;
  return null;
}

type ZipEntry = { name: string; method: number; compressedSize: number; size: number; localHeader: number };

/** The central directory of a zip file (bounded: at most 10,000 entries read). */
function zipEntries(bytes: Buffer): ZipEntry[] | null {
  // The end-of-central-directory record sits in the last 22 + 65,535 bytes.
  const from = Math.max(0, bytes.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= from; i--) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = bytes.readUInt16LE(eocd + 10);
  let at = bytes.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < Math.min(count, 10_000); n++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== 0x02014b50) return null;
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    entries.push({
      method: bytes.readUInt16LE(at + 10),
      compressedSize: bytes.readUInt32LE(at + 20),
      size: bytes.readUInt32LE(at + 24),
      localHeader: bytes.readUInt32LE(at + 42),
      name: bytes.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** One small entry's text (at most 1 MB unpacked: a package declaration is a few KB). */
function entryText(bytes: Buffer, entry: ZipEntry): string | null {
  const at = entry.localHeader;
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== 0x04034b50) return null;
  const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (data.length !== entry.compressedSize || entry.size > 1024 * 1024) return null;
  try {
    if (entry.method === 0) return data.toString('utf8');
    if (entry.method === 8) return inflateRawSync(data, { maxOutputLength: 1024 * 1024 }).toString('utf8');
  } catch {
    return null;
  }
  return null;
}

function zipPackageType(bytes: Buffer): DetectedType | null {
  const entries = zipEntries(bytes);
  if (!entries) return null;
  const mimetype = entries.find((e) => e.name === 'mimetype');
  if (mimetype) {
    const declared = entryText(bytes, mimetype)?.trim();
    if (declared === ODT.mime) return ODT;
    if (declared === ODS.mime) return ODS;
    return null;
  }
  const types = entries.find((e) => e.name === '[Content_Types].xml');
  const xml = types ? entryText(bytes, types) : null;
  if (!xml) return null;
  // The main document part's declared content type; exactly one of ours must be there.
  const declared = [...xml.matchAll(/ContentType\s*=\s*"([^"]+)"/g)].map((m) => m[1]!);
  const mains = declared.filter((t) => t.endsWith('.main+xml') || t.includes('macroEnabled'));
  if (mains.length !== 1) return null;
  return OOXML_MAIN[mains[0]!] ?? null;
}
