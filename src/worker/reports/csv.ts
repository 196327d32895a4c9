// A report's CSV file: its header line and its rows as CSV lines, page by page. The runner writes
// these pages; the estimate measures them.

import { csvRow, UTF8_BOM } from '../output/csv';
import type { CommonParams } from './params';
import { type CsvChunk, cellsOf, type ReportContext, type ReportType } from './types';

/**
 * The first line of the file, with the byte-order mark when the parameters ask for it. Spreadsheet
 * times carry no offset, so their columns name the zone they are in: "Placed at (America/New_York)".
 */
export function csvHeader(type: ReportType, ctx: ReportContext<CommonParams>): string {
  const zoned = ctx.clock.style === 'spreadsheet';
  const headers = type.columns.map((c) => (zoned && c.kind === 'datetime' ? `${c.header} (${ctx.clock.timeZone})` : c.header));
  return (ctx.params.include_bom ? UTF8_BOM : '') + csvRow(headers);
}

/** A page of CSV lines: the type's own writer where it has one, else its rows through csvRow. */
export async function readCsvChunk(
  type: ReportType,
  ctx: ReportContext<CommonParams>,
  cursor: string | null,
  limit: number,
): Promise<CsvChunk> {
  if (type.readCsvChunk) return type.readCsvChunk(ctx, cursor, limit);
  const chunk = await type.readChunk(ctx, cursor, limit);
  let text = '';
  for (const cells of cellsOf(type, chunk.rows, ctx)) text += csvRow(cells);
  return { text, rows: chunk.rows.length, cursor: chunk.cursor };
}
