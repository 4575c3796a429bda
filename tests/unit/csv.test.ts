import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvCell, toCsv, type CsvColumn } from '../../app/features/register/csv';

type Row = { name: string; note: string | null; n: number };
const columns: CsvColumn<Row>[] = [
  { header: 'Name', value: (r) => r.name },
  { header: 'Note', value: (r) => r.note },
  { header: 'N', value: (r) => r.n },
];

/** A small RFC 4180 reader, to check that what we write reads back as written. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) throw new Error('The text does not end with CRLF.');
  return rows;
}

describe('toCsv', () => {
  it('writes a UTF-8 BOM, a header and CRLF line ends', () => {
    const text = toCsv([{ name: 'Comité', note: null, n: 3 }], columns);
    expect(text).toBe(`${CSV_BOM}Name,Note,N\r\nComité,,3\r\n`);
    expect(Buffer.from(text, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(toCsv([], columns, { bom: false, header: false })).toBe('');
  });

  it('quotes commas, quotes and line breaks (RFC 4180) so they read back unchanged', () => {
    const rows: Row[] = [
      { name: 'Smith, Jones & Co', note: 'She said "no"', n: 1 },
      { name: 'two\r\nlines', note: 'one\nmore', n: 2 },
      { name: 'plain', note: 'a\rb', n: 3 },
    ];
    const text = toCsv(rows, columns, { bom: false });
    expect(text).toContain('"Smith, Jones & Co","She said ""no""",1\r\n');
    expect(text).toContain('"two\r\nlines","one\nmore",2\r\n');
    expect(parseCsv(text)).toEqual([
      ['Name', 'Note', 'N'],
      ['Smith, Jones & Co', 'She said "no"', '1'],
      ['two\r\nlines', 'one\nmore', '2'],
      ['plain', 'a\rb', '3'],
    ]);
  });

  it('neutralizes cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","x")')).toBe('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    expect(csvCell('+1+1')).toBe("'+1+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe('"\'\r=1"');
    // Only at the start; numbers stay numbers.
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(' =1')).toBe(' =1');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('true');
    const back = parseCsv(toCsv([{ name: '=1+2', note: '-x', n: 0 }], columns, { bom: false }));
    expect(back[1]).toEqual(["'=1+2", "'-x", '0']);
  });
});
