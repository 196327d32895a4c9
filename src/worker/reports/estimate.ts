// What a report would come to, told before it is asked for: its rows and the size of its file,
// against the type's ceilings. A request past a ceiling may still be submitted (the organizer may
// know better, or want the failure on record); the form says what will happen.

import { megabytes, PDF_MAX_ROWS } from '../output/limits';
import { csvHeader, readCsvChunk } from './csv';
import type { CommonParams } from './params';
import type { ReportContext, ReportType } from './types';

/** Rows measured to estimate the bytes of one: the first page of the file. */
const SAMPLE_ROWS = 200;

export interface ReportEstimate {
  rows: number;
  /** The CSV file's size, from the first rows' average line; null for a PDF. */
  bytes: number | null;
  max_bytes: number;
  pdf_max_rows: number;
  /** True when the estimate says the job would fail on one of the ceilings. */
  over_limit: boolean;
  /** What will happen, in the organizer's words; null when nothing stands in the way. */
  warning: string | null;
}

const encoder = new TextEncoder();

export async function estimateReport(
  type: ReportType,
  ctx: ReportContext<CommonParams>,
  maxBytes: number,
): Promise<ReportEstimate> {
  const rows = await type.estimateRows(ctx);
  const base = { rows, max_bytes: maxBytes, pdf_max_rows: PDF_MAX_ROWS };
  if (ctx.params.format === 'pdf') {
    const over = rows > PDF_MAX_ROWS;
    return {
      ...base,
      bytes: null,
      over_limit: over,
      warning: over
        ? `About ${rows.toLocaleString('en-US')} rows: a PDF holds at most ${PDF_MAX_ROWS.toLocaleString('en-US')}, so this report would fail. Choose CSV or a narrower date range.`
        : null,
    };
  }
  const sample = await readCsvChunk(type, ctx, null, SAMPLE_ROWS);
  const perRow = sample.rows > 0 ? encoder.encode(sample.text).length / sample.rows : 0;
  const bytes = encoder.encode(csvHeader(type, ctx)).length + Math.round(perRow * rows);
  const over = bytes > maxBytes;
  return {
    ...base,
    bytes,
    over_limit: over,
    warning: over
      ? `About ${megabytes(bytes)} MB: above the ${megabytes(maxBytes)} MB limit of this report, so it would fail rather than be cut short. Try a narrower date range or generate per-month reports.`
      : null,
  };
}
