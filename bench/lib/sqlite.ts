// The reference: Debian's sqlite3 writing the orders report's rows as CSV from the same SQLite file
// D1 uses locally, and the check that the runner's file holds the same rows and values.

import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { ZonedClock } from '../../src/worker/time';

export const SQLITE3 = process.env.SQLITE3 ?? '/usr/bin/sqlite3';

const sqlText = (v: string) => `'${v.replaceAll("'", "''")}'`;

/**
 * The orders report's SELECT (src/worker/reports/orders.ts) with the export's filters (event,
 * snapshot) and order. Debian's sqlite3 is 3.40, which predates `group_concat(… ORDER BY …)`
 * (3.44): the tickets column orders its items in a subquery instead, which gives the same text.
 */
export function ordersQuery(eventId: string, snapshotAt: number): string {
  return `SELECT o.placed_at, o.id, o.order_number, o.buyer_name, o.buyer_email, o.status,
    (SELECT group_concat(x, '; ') FROM (SELECT t.name || ' × ' || i.quantity AS x
       FROM order_items i JOIN ticket_types t ON t.id = i.ticket_type_id
      WHERE i.order_id = o.id ORDER BY t.sort_order, t.id, i.id)) AS tickets,
    o.ticket_count, o.currency, o.total_cents, o.refunded_cents
  FROM orders o
  WHERE o.event_id = ${sqlText(eventId)} AND o.created_at <= ${snapshotAt}
  ORDER BY o.placed_at DESC, o.id DESC;`;
}

/** CPU time (user + system) of this process's waited-for children, in seconds. */
function childrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // cutime and cstime are fields 16 and 17 of stat, 13 and 14 after "pid (comm) ".
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

export interface SqliteRun {
  wall_ms: number;
  cpu_ms: number;
  bytes: number;
}

/** Run the query with `sqlite3 -readonly -csv`, its output written to `outFile` (as the runner writes to R2's files). */
export function runSqlite(dbFile: string, query: string, outFile: string): SqliteRun {
  const out = openSync(outFile, 'w');
  const cpu0 = childrenCpuSeconds();
  const t0 = process.hrtime.bigint();
  const result = spawnSync(SQLITE3, ['-readonly', '-csv', dbFile, query], { stdio: ['ignore', out, 'pipe'], encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = (childrenCpuSeconds() - cpu0) * 1000;
  closeSync(out);
  if (result.status !== 0) throw new Error(`sqlite3 failed: ${result.stderr}`);
  return { wall_ms: Math.round(wall), cpu_ms: Math.round(cpu), bytes: statSync(outFile).size };
}

export function sqliteVersion(): string {
  return spawnSync(SQLITE3, ['--version'], { encoding: 'utf8' }).stdout.split(' ')[0] ?? 'unknown';
}

export interface Comparison {
  rows_runner: number;
  rows_sqlite: number;
  compared_columns: string[];
  mismatches: number;
  examples: string[];
}

/** = + - @ (or full-width ＝ ＋ － ＠) after any leading blanks, or a leading TAB or CR: a formula to a spreadsheet. */
const FORMULA_CELL = /^(?:[\s\u200B-\u200D\u2060]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r])/;

/** The documented CSV neutralisation, undone: the leading apostrophe of a cell that is a formula without it. */
function unneutralise(cell: string): string {
  return cell.startsWith("'") && FORMULA_CELL.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/**
 * Same rows in the same order, same values in every column that needs no presentation: order
 * number, buyer, email, status, tickets, quantity, currency, total and refunded (cents), and the
 * placed-at time (the file shows it spreadsheet-ready, to the second, in the event's zone, which
 * its header names: the instant sqlite3 returns is written the same way here).
 */
export function compareOrders(runnerCsv: Buffer, sqliteCsv: string, timeZone: string): Comparison {
  const wallTime = new ZonedClock(timeZone, 'spreadsheet');
  const file = parse(runnerCsv, { bom: true, relax_column_count: true }) as string[][];
  const header = file.shift() ?? [];
  const expected = parse(sqliteCsv, { relax_column_count: true }) as string[][];
  const examples: string[] = [];
  let mismatches = 0;
  const note = (i: number, what: string, got: unknown, want: unknown) => {
    mismatches++;
    if (examples.length < 5)
      examples.push(`row ${i + 1} ${what}: file ${JSON.stringify(got)} vs sqlite3 ${JSON.stringify(want)}`);
  };
  const n = Math.min(file.length, expected.length);
  for (let i = 0; i < n; i++) {
    const f = file[i] as string[];
    const s = expected[i] as string[];
    const [placedAt, , orderNumber, buyer, email, status, tickets, quantity, currency, total, refunded] = s;
    const text: [number, string | undefined][] = [
      [0, orderNumber],
      [2, buyer],
      [3, email],
      [4, status],
      [5, tickets],
      [7, currency],
    ];
    for (const [col, want] of text) {
      const got = unneutralise(f[col] ?? '');
      if (got !== (want ?? '')) note(i, header[col] ?? String(col), got, want);
    }
    if (Number(f[6]) !== Number(quantity)) note(i, 'Quantity', f[6], quantity);
    if (Math.round(Number(f[8]) * 100) !== Number(total)) note(i, 'Total', f[8], total);
    if (Math.round(Number(f[9]) * 100) !== Number(refunded)) note(i, 'Refunded', f[9], refunded);
    if (f[1] !== wallTime.format(Number(placedAt))) note(i, 'Placed at', f[1], wallTime.format(Number(placedAt)));
  }
  if (file.length !== expected.length) {
    mismatches++;
    examples.unshift(`row count: file ${file.length} vs sqlite3 ${expected.length}`);
  }
  return {
    rows_runner: file.length,
    rows_sqlite: expected.length,
    compared_columns: [
      'Order number',
      'Placed at (wall time in the event’s zone)',
      'Buyer',
      'Email',
      'Status',
      'Tickets',
      'Quantity',
      'Currency',
      'Total',
      'Refunded',
    ],
    mismatches,
    examples,
  };
}
