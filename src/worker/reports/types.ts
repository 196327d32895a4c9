import type { z } from 'zod';
import type { Permission } from '../auth/roles';
import type { EventRow } from '../db/events';
import type { JobRow } from '../db/jobs';
import type { Cell } from '../output/csv';
import type { ZonedClock } from '../time';
import type { CommonParams } from './params';

export type ReportFormat = 'csv' | 'pdf';

/** What a report type's reader sees: the job's snapshot and validated parameters. */
export interface ReportContext<P extends CommonParams> {
  db: D1Database;
  job: JobRow;
  event: EventRow;
  params: P;
  clock: ZonedClock;
}

export interface RowChunk {
  rows: Cell[][];
  /** Keyset position after the last row, or null when the report has no more rows. */
  cursor: string | null;
}

/** One report type: one file in reports/ exports one of these. */
export interface ReportType<P extends CommonParams = CommonParams> {
  key: string;
  name: string;
  description: string;
  permission: Permission;
  formats: readonly ReportFormat[];
  params: z.ZodType<P>;
  columns: readonly string[];
  /** A cheap estimate for the progress bar; never blocks job creation. */
  estimateRows(ctx: ReportContext<P>): Promise<number>;
  /** Rows after `cursor` (null: from the start), in a stable keyset order, at most `limit`. */
  readChunk(ctx: ReportContext<P>, cursor: string | null, limit: number): Promise<RowChunk>;
}
