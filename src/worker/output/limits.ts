// The ceilings a report's file is held to, and how they are written to a person. Kept apart from
// pdf.ts so that importing these does not load the PDF writer (pdf-lib, fontkit, the fonts): only a
// PDF job pays for those, through a dynamic import.

/** More rows than this make a PDF nobody can use (and a Worker cannot hold): CSV is the answer. */
export const PDF_MAX_ROWS = 20_000;
export const PDF_CONTENT_TYPE = 'application/pdf';

export function pdfRowLimitReason(maxRows: number): string {
  return `Too many rows for a PDF (more than ${maxRows.toLocaleString('en-US')}). Generate a CSV instead, or narrow the date range.`;
}

const MB = 1024 * 1024;

/** "53", "0.8": a size in whole megabytes from 10 MB on, with one decimal below. */
export function megabytes(bytes: number): number {
  return bytes >= 10 * MB ? Math.round(bytes / MB) : Math.round((bytes / MB) * 10) / 10;
}
