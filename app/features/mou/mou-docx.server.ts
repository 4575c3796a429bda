import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { MouSection } from '../../../workflows/mou';
import { isRightToLeft } from '../../utils/text-direction';

// The MOU as a Word document: headings, clauses numbered by Word itself (so
// they renumber when the signed copy is edited), a signature table, and the
// reference and record hash that tie a signed copy to the decision log.

export type MouDocxInput = {
  reference: string;
  mouVersion: number | null;
  sections: MouSection[];
  record: { seq: number; hash: string } | null;
  organization: string;
  chapterName: string;
  partnerName: string;
  leadName: string;
  eventTitle: string;
};

/** A right-to-left paragraph is laid out from the right (w:bidi) and its runs read right to left (w:rtl). */
const direction = (text: string) => (isRightToLeft(text) ? { bidirectional: true } : {});
const run = (text: string, options: Omit<ConstructorParameters<typeof TextRun>[0] & object, 'text'> = {}) =>
  new TextRun({ text, ...options, ...(isRightToLeft(text) ? { rightToLeft: true } : {}) });

/** Lines of underscores are blanks to sign: the signature table replaces them. */
const isBlankLine = (line: string) => /_{5,}/.test(line);

function matchLine(input: Pick<MouDocxInput, 'reference' | 'mouVersion' | 'record'>): string {
  const version = input.mouVersion ? `MOU version ${input.mouVersion}` : 'MOU draft (not saved)';
  const record = input.record ? `latest decision record #${input.record.seq}, SHA-256 ${input.record.hash}` : 'no decision record yet';
  return `Reference ${input.reference} · ${version} · ${record}`;
}

function bodyParagraphs(body: string, skipBlanks: boolean): Paragraph[] {
  return body
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p && !(skipBlanks && isBlankLine(p)))
    .map(
      (p) =>
        new Paragraph({
          spacing: { after: 160 },
          ...direction(p),
          children: p.split('\n').map((line, i) => run(line, { break: i > 0 ? 1 : 0 })),
        }),
    );
}

const cell = (text: string, bold = false) =>
  new TableCell({
    width: { size: 50, type: WidthType.PERCENTAGE },
    margins: { top: 120, bottom: 120, left: 120, right: 120 },
    children: [new Paragraph({ ...direction(text), children: [run(text, { bold })] })],
  });

function signatureTable(input: MouDocxInput): Table {
  const border = { style: BorderStyle.SINGLE, size: 4, color: '808080' };
  const rows: [string, string][] = [
    [`For ${input.organization}, ${input.chapterName}`, `For ${input.partnerName}`],
    [`Name: ${input.leadName}`, 'Name:'],
    ['Title: Chapter lead', 'Title:'],
    ['Signature:', 'Signature:'],
    ['Date:', 'Date:'],
  ];
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    rows: rows.map(([a, b], i) => new TableRow({ children: [cell(a, i === 0), cell(b, i === 0)] })),
  });
}

/**
 * Characters XML 1.0 does not allow. The Word library drops control characters itself but
 * writes U+FFFE, U+FFFF and unpaired surrogates as they are, and one of them (pasted into a
 * clause, a title or a name) made document.xml ill-formed: Word refused the whole file.
 */
// eslint-disable-next-line no-control-regex -- the characters XML allows are exactly what this names
const NOT_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const xmlText = (text: string) => text.replace(NOT_XML, '');

/** The input with every text as Word can read it. */
function readableByWord(input: MouDocxInput): MouDocxInput {
  return {
    ...input,
    reference: xmlText(input.reference),
    organization: xmlText(input.organization),
    chapterName: xmlText(input.chapterName),
    partnerName: xmlText(input.partnerName),
    leadName: xmlText(input.leadName),
    eventTitle: xmlText(input.eventTitle),
    sections: input.sections.map((s) => ({
      ...s,
      title: xmlText(s.title),
      body: xmlText(s.body),
      clauses: s.clauses.map((c) => ({ ...c, text: xmlText(c.text) })),
    })),
  };
}

export async function mouDocx(given: MouDocxInput): Promise<Buffer> {
  const input = readableByWord(given);
  const match = matchLine(input);
  const numbered = input.sections.map((_, i) => `mou-clauses-${i + 1}`);
  const children: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun('Memorandum of understanding')] }),
    new Paragraph({
      spacing: { after: 120 },
      children: [new TextRun({ text: `${input.organization} (${input.chapterName}) and ${input.partnerName}`, bold: true })],
    }),
    new Paragraph({ spacing: { after: 120 }, ...direction(input.eventTitle), children: [run(input.eventTitle, { italics: true })] }),
    new Paragraph({ spacing: { after: 240 }, children: [new TextRun({ text: match, size: 18 })] }),
  ];
  input.sections.forEach((section, i) => {
    const signatures = section.key === 'signatures';
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(`${i + 1}. ${section.title}`)] }));
    children.push(...bodyParagraphs(section.body, signatures));
    for (const clause of section.clauses) {
      children.push(
        new Paragraph({
          numbering: { reference: numbered[i]!, level: 0 },
          spacing: { after: 120 },
          ...direction(clause.text),
          children: [run(clause.text)],
        }),
      );
    }
    if (signatures) children.push(signatureTable(input));
  });
  if (!input.sections.some((s) => s.key === 'signatures')) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('Signatures')] }), signatureTable(input));
  }

  const doc = new Document({
    creator: input.organization,
    title: `MOU ${input.reference}`,
    description: match,
    styles: { default: { document: { run: { font: 'Calibri', size: 22 } } } },
    numbering: {
      config: numbered.map((reference, i) => ({
        reference,
        levels: [
          {
            level: 0,
            format: LevelFormat.DECIMAL,
            text: `${i + 1}.%1`,
            alignment: AlignmentType.START,
            style: { paragraph: { indent: { left: 720, hanging: 540 } } },
          },
        ],
      })),
    },
    sections: [
      {
        footers: {
          default: new Footer({ children: [new Paragraph({ children: [new TextRun({ text: match, size: 16 })] })] }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
