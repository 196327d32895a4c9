// The ceilings a report's file is held to, and how they are written to a person. Kept apart from
// pdf.ts so that checking a request against them does not load the PDF writer.

/** More rows than this make a PDF nobody can use (and a Worker cannot hold): CSV is the answer. */
export const PDF_MAX_ROWS = 20_000;

const MB = 1024 * 1024;

/** "53", "0.8": a size in whole megabytes from 10 MB on, with one decimal below. */
export function megabytes(bytes: number): number {
  return bytes >= 10 * MB ? Math.round(bytes / MB) : Math.round((bytes / MB) * 10) / 10;
}
