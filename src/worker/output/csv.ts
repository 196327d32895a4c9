// RFC 4180 CSV with spreadsheet formula neutralisation (OWASP "CSV injection"): a text cell that
// starts with = + - @ TAB or CR gets a leading apostrophe, so Excel/Sheets/LibreOffice show it as
// text instead of executing it. Numbers are written as numbers, so negatives stay numeric.

export type Cell = string | number | null;

const NEEDS_QUOTES = /[",\r\n]/;

function isFormulaStart(code: number): boolean {
  // = + - @ \t \r
  return code === 61 || code === 43 || code === 45 || code === 64 || code === 9 || code === 13;
}

export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = value;
  if (text.length > 0 && isFormulaStart(text.charCodeAt(0))) text = `'${text}`;
  if (NEEDS_QUOTES.test(text)) return `"${text.replaceAll('"', '""')}"`;
  return text;
}

export function csvRow(cells: readonly Cell[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ',';
    line += csvCell(cells[i] ?? null);
  }
  return `${line}\r\n`;
}

/** Excel opens UTF-8 CSV correctly only with a byte-order mark. */
export const UTF8_BOM = '\uFEFF';
