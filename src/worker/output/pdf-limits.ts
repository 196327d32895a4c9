// What the runner needs to know about PDFs before it renders one. Kept apart from pdf.ts so that
// importing these does not load the PDF writer (pdf-lib, fontkit, the fonts): only a PDF job pays
// for those, through a dynamic import.

/** More rows than this make a PDF nobody can use (and a Worker cannot hold): CSV is the answer. */
export const PDF_MAX_ROWS = 20_000;
export const PDF_CONTENT_TYPE = 'application/pdf';

export function pdfRowLimitReason(maxRows: number): string {
  return `Too many rows for a PDF (more than ${maxRows.toLocaleString('en-US')}). Generate a CSV instead, or narrow the date range.`;
}
