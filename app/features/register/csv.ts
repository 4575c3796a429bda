// CSV as spreadsheets open it safely: RFC 4180 quoting, CRLF line ends, a
// UTF-8 byte-order mark (so Excel reads accents right), and formula injection
// neutralized. Pure: no I/O.

export type CsvValue = string | number | boolean | null | undefined;
export type CsvColumn<T> = { header: string; value: (row: T) => CsvValue };

export const CSV_BOM = '\uFEFF';
const CSV_EOL = '\r\n';

// A spreadsheet evaluates a cell starting with one of these as a formula
// (OWASP "CSV injection"); tab and CR are stripped by some before parsing.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: text that could start a formula gets a leading quote; then RFC 4180 quoting. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  // Numbers are data, not formulas: -5 stays -5.
  let text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(values: CsvValue[]): string {
  return values.map(csvCell).join(',') + CSV_EOL;
}

/**
 * The rows as CSV text. By default a whole file: BOM, header line, rows.
 * A batched export writes the first batch with both and later ones with neither.
 */
export function toCsv<T>(
  rows: Iterable<T>,
  columns: CsvColumn<T>[],
  options: { bom?: boolean; header?: boolean } = {},
): string {
  const { bom = true, header = true } = options;
  let out = bom ? CSV_BOM : '';
  if (header) out += csvLine(columns.map((c) => c.header));
  for (const row of rows) out += csvLine(columns.map((c) => c.value(row)));
  return out;
}
