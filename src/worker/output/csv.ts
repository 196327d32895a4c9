// RFC 4180 CSV with spreadsheet formula neutralisation (OWASP "CSV injection"): a text cell that
// a spreadsheet would read as a formula gets a leading apostrophe, so Excel/Sheets/LibreOffice show
// it as text instead of executing it. That is a cell starting with = + - @ (or their full-width
// forms ＝ ＋ － ＠), TAB or CR, and also one where those follow leading blanks (spaces, NBSP,
// zero-width spaces, a BOM, line breaks): spreadsheets skip the blanks. Numbers are written as
// numbers, so negatives stay numeric.

export type Cell = string | number | null;

const NEEDS_QUOTES = /[",\r\n]/;

/** = + - @ and their full-width forms ＝ ＋ － ＠. */
function isFormulaChar(code: number): boolean {
  return (
    code === 61 ||
    code === 43 ||
    code === 45 ||
    code === 64 ||
    code === 0xff1d ||
    code === 0xff0b ||
    code === 0xff0d ||
    code === 0xff20
  );
}

/** Unicode white space (JavaScript's \s) plus the zero-width ones: what a spreadsheet may skip. */
const WIDE_BLANKS = new Set([
  0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x200b, 0x200c, 0x200d,
  0x2028, 0x2029, 0x202f, 0x205f, 0x2060, 0x3000, 0xfeff,
]);

function isBlank(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || (code >= 0xa0 && WIDE_BLANKS.has(code));
}

/** Whether a spreadsheet would read this text as a formula (or a TAB/CR-led cell it mangles). */
function needsNeutralising(value: string): boolean {
  const first = value.charCodeAt(0); // NaN for ''
  // The usual cell starts with a letter or digit (or is empty): decided at once, on the hot path
  // of every export.
  if ((first >= 65 && first < 0xa0) || (first >= 48 && first <= 57) || Number.isNaN(first)) return false;
  if (first === 9 || first === 13 || isFormulaChar(first)) return true;
  if (!isBlank(first)) return false;
  for (let i = 1; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (!isBlank(code)) return isFormulaChar(code);
  }
  return false;
}

export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return csvText(value);
}

/** A text cell: neutralised if a spreadsheet would read it as a formula, quoted if it must be. */
export function csvText(value: string): string {
  const text = needsNeutralising(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(cells: readonly Cell[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ',';
    line += csvCell(cells[i] ?? null);
  }
  return `${line}\r\n`;
}

/**
 * Integer cents as the cell of `cents / 100` (`csvCell(money(c))`): 12550 -> "125.5", 7 -> "0.07".
 * Integer arithmetic: printing the float `c / 100` cost the 500k-order export ~0.15 s of CPU.
 */
export function csvCents(cents: number): string {
  if (!Number.isSafeInteger(cents)) return csvCell(cents / 100);
  const abs = cents < 0 ? -cents : cents;
  const whole = Math.floor(abs / 100);
  const rest = abs - whole * 100;
  const sign = cents < 0 ? '-' : '';
  if (rest === 0) return `${sign}${whole}`;
  if (rest % 10 === 0) return `${sign}${whole}.${rest / 10}`;
  return `${sign}${whole}.${rest < 10 ? '0' : ''}${rest}`;
}

/** Excel opens UTF-8 CSV correctly only with a byte-order mark. */
export const UTF8_BOM = '\uFEFF';
