// CSV cells written by SQLite itself: a lever measured and not taken (bench/README.md). Built in
// SQL, a page of rows leaves D1 as one string, but workerd's SQLite spent more on the formatting
// (CASE, strftime, replace per cell) than D1 saved on the hand-over. Each function is the SQL twin
// of a rule in src/worker/output/csv.ts or time.ts; the profiler's `sqlcsv` mode uses them.

import type { ZonedClock } from '../../src/worker/time';

const QUARTER_HOUR = 15 * 60 * 1000;
const DAY = 86_400_000;

/** `'text'` as an SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * A text cell (csv.ts `csvCell` for a string; NULL is the empty cell): formula neutralisation, then
 * quotes when the cell holds a quote, comma, CR or LF.
 */
export function sqlTextCell(expr: string): string {
  // The apostrophe prefix, evaluated once whichever branch is taken.
  const prefix = `CASE WHEN substr(${expr}, 1, 1) IN ('=', '+', '-', '@', char(9), char(13)) THEN '''' ELSE '' END`;
  return `CASE WHEN ${expr} IS NULL THEN ''
    WHEN ${expr} GLOB '*[",' || char(10, 13) || ']*' THEN '"' || ${prefix} || replace(${expr}, '"', '""') || '"'
    ELSE ${prefix} || ${expr} END`;
}

/** A cell SQLite knows needs no escaping: an integer, or text a CHECK constraint limits to safe words. */
export function sqlPlainCell(expr: string): string {
  return `coalesce(${expr}, '')`;
}

/** Integer cents as JavaScript prints `cents / 100`: 12550 -> 125.5, 12500 -> 125, 7 -> 0.07. */
export function sqlMoneyCell(expr: string): string {
  return `CASE WHEN ${expr} IS NULL THEN ''
    ELSE CASE WHEN ${expr} < 0 THEN '-' ELSE '' END || (abs(${expr}) / 100) ||
      CASE WHEN abs(${expr}) % 100 = 0 THEN ''
           WHEN abs(${expr}) % 10 = 0 THEN '.' || (abs(${expr}) % 100 / 10)
           ELSE '.' || substr('0' || (abs(${expr}) % 100), -2) END END`;
}

/** A stretch of time over which a zone keeps one offset: from `from` (ms, inclusive) to the next period. */
export interface OffsetPeriod {
  from: number;
  offsetMs: number;
}

/**
 * The offsets `clock` uses for instants in [first, last], as periods. `ZonedClock.offsetAt` holds
 * an offset per quarter hour, so transitions are found to the quarter hour: a day-by-day walk,
 * then a binary search inside the day where the offset changed.
 */
export function offsetPeriods(clock: ZonedClock, first: number, last: number): OffsetPeriod[] {
  const bucket = (ts: number) => Math.floor(ts / QUARTER_HOUR) * QUARTER_HOUR;
  let at = bucket(first);
  const periods: OffsetPeriod[] = [{ from: Number.NEGATIVE_INFINITY, offsetMs: clock.offsetAt(at) }];
  while (at < last) {
    const next = Math.min(bucket(last) + QUARTER_HOUR, at + DAY);
    const before = (periods[periods.length - 1] as OffsetPeriod).offsetMs;
    if (clock.offsetAt(next) !== before) {
      // The first quarter hour in (at, next] with another offset.
      let lo = at;
      let hi = next;
      while (hi - lo > QUARTER_HOUR) {
        const mid = bucket(lo + (hi - lo) / 2);
        if (clock.offsetAt(mid) === before) lo = mid;
        else hi = mid;
      }
      periods.push({ from: hi, offsetMs: clock.offsetAt(hi) });
      // Two changes within a day (none in the tz database) would need the walk to restart here.
      at = hi;
    } else {
      at = next;
    }
  }
  return periods;
}

/** `-05:00` for an offset of −5 h (time.ts `ZonedClock.format`). */
export function offsetSuffix(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const minutes = Math.abs(offsetMs) / 60_000;
  return `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * An instant (epoch ms, non-negative) as `ZonedClock.format` writes it, `2026-03-08T14:05:09-05:00`,
 * with the zone's offset periods written into the statement: one CASE and one strftime per cell.
 */
export function sqlDatetimeCell(expr: string, periods: readonly OffsetPeriod[]): string {
  const format = (p: OffsetPeriod) =>
    `strftime('%Y-%m-%dT%H:%M:%S', (${expr} + ${p.offsetMs}) / 1000, 'unixepoch') || '${offsetSuffix(p.offsetMs)}'`;
  const [first, ...later] = periods;
  if (!first) throw new Error('no offset periods');
  if (later.length === 0) return `CASE WHEN ${expr} IS NULL THEN '' ELSE ${format(first)} END`;
  const branches = [...later].reverse().map((p) => `WHEN ${expr} >= ${p.from} THEN ${format(p)}`);
  return `CASE WHEN ${expr} IS NULL THEN '' ${branches.join(' ')} ELSE ${format(first)} END`;
}

/** Cells joined into one CSV line, CRLF included (csv.ts `csvRow`). */
export function sqlCsvLine(cells: readonly string[]): string {
  return `${cells.map((c) => `(${c})`).join(" || ',' || ")} || char(13, 10)`;
}
