// Small helpers the report files share: a WHERE clause built from bound conditions, the
// inclusive local-date range, and paging through a summary that is computed whole.

import type { Snapshot, SqlPart } from '../db/versions';
import type { Where } from '../db/where';
import { nextDate } from '../time';
import type { CommonParams } from './params';
import type { ReportContext, RowChunk } from './types';

/** The event and instant a report reads its tables as of (db/versions.ts). */
export function snapshotOf(ctx: ReportContext<CommonParams>): Snapshot {
  return { eventId: ctx.event.id, at: ctx.job.snapshot_at };
}

/** The `n` of a one-row count query (`SELECT COUNT(…) AS n …`), 0 when it returns no row. */
export async function countRows(db: D1Database, sql: string, ...values: unknown[]): Promise<number> {
  const row = await db
    .prepare(sql)
    .bind(...values)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** How many rows a subquery has (an asOf part): `COUNT(*)`, or `COUNT(DISTINCT column)` with `what`. */
export function countIn(db: D1Database, part: SqlPart, what = '*'): Promise<number> {
  return countRows(db, `SELECT COUNT(${what}) AS n FROM (${part.sql})`, ...part.values);
}

/** The rows after a keyset position: `(columns) > (…)`, the position being a cursor keysetPage gave. */
export function afterCursor(where: Where, columns: string, cursor: string | null, op: '>' | '<' = '>'): Where {
  if (cursor === null) return where;
  const key = JSON.parse(cursor) as unknown[];
  return where.add(`(${columns}) ${op} (${key.map(() => '?').join(', ')})`, ...key);
}

/** A page of rows in keyset order, and the position after its last row (null: there are no more). */
export function keysetPage<Row>(rows: Row[], limit: number, keyOf: (row: Row) => unknown[]): RowChunk<Row> {
  const last = rows[rows.length - 1];
  return { rows, cursor: rows.length === limit && last !== undefined ? JSON.stringify(keyOf(last)) : null };
}

/** date_from/date_to are whole local days in the event's zone: [start of from, start of the day after to). */
export function addDateRange(where: Where, column: string, ctx: ReportContext<CommonParams>): Where {
  const { params: p, clock } = ctx;
  if (p.date_from) where.add(`${column} >= ?`, clock.startOfDay(p.date_from));
  if (p.date_to) where.add(`${column} < ?`, clock.startOfDay(nextDate(p.date_to)));
  return where;
}

/**
 * A summary (a few hundred rows at most) is computed whole on every call and paged by position:
 * the rows are deterministic for a job (its snapshot, its parameters), so a position is a stable
 * cursor, and a resumed runner gets the same bytes.
 */
export function pageOf<Row>(rows: Row[], cursor: string | null, limit: number): RowChunk<Row> {
  const start = cursor === null ? 0 : Number(cursor);
  const end = Math.min(rows.length, start + limit);
  return { rows: rows.slice(start, end), cursor: end < rows.length ? String(end) : null };
}

/** Integer cents as the plain decimal number a spreadsheet sums: 12550 -> 125.5. */
export function money(cents: number): number {
  return cents / 100;
}

/** Integer cents with their currency, for a person: "USD 1,234.50". */
export function amount(cents: number, currency: string): string {
  return `${currency} ${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A share as a percentage with one decimal (81.3), or null when there is nothing to divide by. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
}

/** Escape LIKE wildcards so a search for "50%_off" finds exactly that text. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The sum of one number of each row, for a summary's totals. */
export function sum<Row>(rows: readonly Row[], value: (row: Row) => number): number {
  let total = 0;
  for (const row of rows) total += value(row);
  return total;
}
