import type { z } from 'zod';
import type { Permission } from '../auth/roles';
import type { EventRow } from '../db/events';
import type { JobRow } from '../db/jobs';
import type { Cell } from '../output/csv';
import type { ZonedClock } from '../time';
import type { CommonParams } from './params';

export type ReportFormat = 'csv' | 'pdf';

/**
 * What a report type's reader sees: the snapshot instant, the validated parameters, the event.
 * `job` is the job row when a runner generates the file; the synchronous orders export passes
 * only the snapshot it took, so readers must not need more of the job than `snapshot_at`.
 */
export interface ReportContext<P extends CommonParams> {
  db: D1Database;
  job: Pick<JobRow, 'snapshot_at'> & Partial<Pick<JobRow, 'id' | 'started_at'>>;
  event: EventRow;
  params: P;
  clock: ZonedClock;
}

export interface RowChunk<Row> {
  rows: Row[];
  /** Keyset position after the last row, or null when the report has no more rows. */
  cursor: string | null;
}

/** CSV lines (CRLF after each) of `rows` rows, and the keyset position after them. */
export interface CsvChunk {
  text: string;
  rows: number;
  cursor: string | null;
}

/**
 * How a column is shown in the PDF (right-aligned numbers, two decimals for money, a % sign, a
 * time without its seconds). The CSV always carries the plain value: 125.5, 81.3, the full time.
 */
export type ColumnKind = 'text' | 'integer' | 'money' | 'percent' | 'datetime';

/** How a column is laid out in a PDF: what pdf.ts needs of a column. */
export interface ColumnLayout {
  header: string;
  /** PDF presentation; text when absent. */
  kind?: ColumnKind;
  /** Relative PDF width; measured from the content when absent (all the type's columns, or none). */
  width?: number;
  /** A value a reader copies whole (an email address): a PDF sets it smaller rather than cut it. */
  noCut?: boolean;
}

/**
 * One column of a report: its header, how a PDF shows it, its width there, and its cell, read by
 * name from the type's row. The CSV writer, the PDF and the catalog all take a report's columns
 * from this one list: adding a column is one edit.
 */
export interface Column<Row> extends ColumnLayout {
  value(row: Row, ctx: ReportContext<CommonParams>): Cell;
}

/** A line of the totals block a summary PDF opens with. */
export interface TotalLine {
  label: string;
  value: string;
}

/** A bar chart over time, drawn by the PDF writer (graphical-check-in's check-in curve). */
export interface TimeChart {
  title: string;
  /** Width of one bar in ms (15 minutes for check-ins). */
  bucketMs: number;
  /** Bars: the start of each non-empty bucket and its count, in time order. */
  bars: { at: number; count: number }[];
  /** Label of the bar values and of the running total drawn as a line over them. */
  barLabel: string;
  lineLabel: string;
}

/** A choice for a parameter whose values come from the event's data (its ticket types, sponsors…). */
export interface FieldOption {
  value: string;
  label: string;
}

/**
 * One report type: one file in reports/ exports one of these. `Row` is what its query gives for a
 * row of the file, with named fields; `columns` turn it into cells.
 */
// biome-ignore lint/suspicious/noExplicitAny: a type's row is its own; code that handles every type passes rows through
export interface ReportType<P extends CommonParams = CommonParams, Row = any> {
  key: string;
  name: string;
  description: string;
  permission: Permission;
  formats: readonly ReportFormat[];
  params: z.ZodType<P>;
  columns: readonly Column<Row>[];
  /** What date_from/date_to filter on, in words ("Registration date"). */
  dateField: string;
  /** A cheap estimate for the progress bar; never blocks job creation. */
  estimateRows(ctx: ReportContext<P>): Promise<number>;
  /** Rows after `cursor` (null: from the start), in a stable keyset order, at most `limit`. */
  readChunk(ctx: ReportContext<P>, cursor: string | null, limit: number): Promise<RowChunk<Row>>;
  /**
   * The CSV lines of the rows readChunk would return, written without a row array per row: for
   * the large exports (orders), where building cells costs as much as reading them.
   */
  readCsvChunk?(ctx: ReportContext<P>, cursor: string | null, limit: number): Promise<CsvChunk>;
  /** Summary types: the totals their PDF opens with, from all the rows (bounded by the PDF ceiling). */
  totals?(rows: readonly Row[], ctx: ReportContext<P>): TotalLine[];
  /** A chart drawn above the PDF table, from its own (aggregated, small) query. */
  chart?(ctx: ReportContext<P>): Promise<TimeChart | null>;
  /** Values the parameter form offers for fields that name the event's data. */
  fieldOptions?(db: D1Database, event: EventRow): Promise<Record<string, FieldOption[]>>;
}

/** A type's rows as the cells of its file, column by column. */
export function cellsOf<Row>(
  type: Pick<ReportType<CommonParams, Row>, 'columns'>,
  rows: readonly Row[],
  ctx: ReportContext<CommonParams>,
): Cell[][] {
  return rows.map((row) => type.columns.map((column) => column.value(row, ctx)));
}
