// Small helpers the report files share: the rows a report was asked for (its event, its date range,
// its filters), a table as it was at the job's snapshot, keyset and summary paging, and the number
// formats of cells and totals.

import { countRows } from '../db/sql';
import { asOf, type Snapshot, type SourceTable, type SqlPart } from '../db/versions';
import { Where } from '../db/where';
import { nextDate } from '../time';
import type { CommonParams } from './params';
import type { ReportContext, ReportType, RowChunk } from './types';

/** The event and instant a report reads its tables as of (db/versions.ts). */
function snapshotOf(ctx: ReportContext<CommonParams>): Snapshot {
  return { eventId: ctx.event.id, at: ctx.job.snapshot_at };
}

/**
 * The report's event's rows of a table (`alias.event_id = ?`, where the conditions on every table a
 * report reads start), equal to each filter the request set (`{ 't.id': ctx.params.ticket_type }`;
 * a filter left empty selects everything).
 */
export function ofEvent(ctx: ReportContext<CommonParams>, alias: string, equals: Filters = {}): Where {
  return addFilters(new Where().add(`${alias}.event_id = ?`, ctx.event.id), equals);
}

/** The rows a report was asked for: ofEvent's, and in the date range by `dateColumn`. */
export function askedFor(ctx: ReportContext<CommonParams>, alias: string, dateColumn: string, equals: Filters = {}): Where {
  return addFilters(addDateRange(ofEvent(ctx, alias), `${alias}.${dateColumn}`, ctx), equals);
}

/** Column = value conditions of a report's optional filters. */
type Filters = Record<string, string | undefined>;

function addFilters(w: Where, equals: Filters): Where {
  for (const [column, value] of Object.entries(equals)) if (value) w.add(`${column} = ?`, value);
  return w;
}

/**
 * `columns` of `table AS alias` as they were at the job's snapshot (db/versions.ts), as a subquery;
 * `where` narrows them (all of the event's rows when absent).
 */
export function tableAsOf(
  ctx: ReportContext<CommonParams>,
  table: SourceTable,
  alias: string,
  columns: string,
  where: Where = ofEvent(ctx, alias),
): SqlPart {
  return asOf(table, alias, columns, where, snapshotOf(ctx));
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
function pageOf<Row>(rows: Row[], cursor: string | null, limit: number): RowChunk<Row> {
  const start = cursor === null ? 0 : Number(cursor);
  const end = Math.min(rows.length, start + limit);
  return { rows: rows.slice(start, end), cursor: end < rows.length ? String(end) : null };
}

/** readChunk of a summary type: its summary, computed whole, paged by position (pageOf). */
export function pagedSummary<P extends CommonParams, Row>(
  summary: (ctx: ReportContext<P>) => Promise<Row[]>,
): ReportType<P, Row>['readChunk'] {
  return async (ctx, cursor, limit) => pageOf(await summary(ctx), cursor, limit);
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

/** The rows of each currency, in currency order, for a summary's totals: amounts in different currencies are never added. */
export function byCurrency<Row extends { currency: string }>(rows: readonly Row[]): [currency: string, rows: Row[]][] {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const group = groups.get(row.currency);
    if (group) group.push(row);
    else groups.set(row.currency, [row]);
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** A count in a totals band: 1,234. */
export function countText(n: number): string {
  return n.toLocaleString('en-US');
}

/** A share in a totals band: "81.3%", or "—" when there is nothing to divide by. */
export function shareText(part: number, whole: number): string {
  const p = percent(part, whole);
  return p === null ? '—' : `${p}%`;
}

/** The sum of one number of each row, for a summary's totals. */
export function sum<Row>(rows: readonly Row[], value: (row: Row) => number): number {
  let total = 0;
  for (const row of rows) total += value(row);
  return total;
}
