// Orders: the orders page's table and its CSV export are one definition. The page (routes/orders.ts)
// and the report read through the same filters and the same row mapping, so the file has exactly
// the columns and the rows the organizer saw, newest first.

import { z } from 'zod';
import { type ColumnsOf, selectColumnArrays } from '../db/columns';
import type { EventRow } from '../db/events';
import { listTicketTypeOptions } from '../db/orders';
import { asOf, type SqlPart } from '../db/versions';
import { type Cell, csvCell, csvCents, csvText } from '../output/csv';
import { commonParams, idParam, withDateRange } from './params';
import { addDateRange, amount, countRows, likePattern, money, snapshotOf, Where } from './query';
import type { ReportContext, ReportType, TotalLine } from './types';

export const ORDER_STATUSES = ['pending', 'paid', 'partially_refunded', 'refunded', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The table's columns, in order: `key` names the JSON field of the page, `label` the CSV header. */
export const ORDER_COLUMNS = [
  { key: 'order_number', label: 'Order number' },
  { key: 'placed_at', label: 'Placed at' },
  { key: 'buyer_name', label: 'Buyer' },
  { key: 'buyer_email', label: 'Email' },
  { key: 'status', label: 'Status' },
  { key: 'tickets', label: 'Tickets' },
  { key: 'quantity', label: 'Quantity' },
  { key: 'currency', label: 'Currency' },
  { key: 'total', label: 'Total' },
  { key: 'refunded', label: 'Refunded' },
] as const;
export type OrderColumnKey = (typeof ORDER_COLUMNS)[number]['key'];

/** The on-screen filters; the export's job stores exactly these as its parameters. */
export const orderFilterShape = {
  status: z.enum(ORDER_STATUSES).optional().meta({ title: 'Status' }),
  ticket_type: idParam('Ticket type'),
  q: z
    .string()
    .trim()
    .max(100)
    .optional()
    .meta({ title: 'Search', description: 'Part of an order number, buyer name or email.' }),
};

const params = withDateRange(commonParams.extend(orderFilterShape));
export type OrderParams = z.infer<typeof params>;

type OrderRow = [
  placed_at: number,
  id: string,
  order_number: string,
  buyer_name: string,
  buyer_email: string,
  status: string,
  tickets: string | null,
  quantity: number,
  currency: string,
  total_cents: number,
  refunded_cents: number,
];

/** The output columns of selectOrders, in OrderRow's order. */
const ORDER_ROW_COLUMNS = [
  'placed_at',
  'id',
  'order_number',
  'buyer_name',
  'buyer_email',
  'status',
  'tickets',
  'ticket_count',
  'currency',
  'total_cents',
  'refunded_cents',
] as const;

/** A page of orders as one array per column (db/columns.ts), in OrderRow's order. */
type OrderColumns = ColumnsOf<OrderRow>;

/**
 * Put the columns in the report's order, (placed_at, id) descending, if SQLite's aggregate did not
 * keep the subquery's order (it does; the check is one comparison per row and keeps the file right
 * if a later SQLite stops doing so).
 */
function newestFirst(columns: OrderColumns): OrderColumns {
  const [at, id] = columns;
  let sorted = true;
  for (let i = 1; i < at.length && sorted; i++) {
    const a = at[i - 1] as number;
    const b = at[i] as number;
    sorted = a > b || (a === b && (id[i - 1] as string) > (id[i] as string));
  }
  if (sorted) return columns;
  const order = at.map((_, i) => i);
  order.sort((x, y) => (at[y] as number) - (at[x] as number) || ((id[x] as string) < (id[y] as string) ? 1 : -1));
  return (columns as unknown[][]).map((values) => order.map((i) => values[i])) as unknown as OrderColumns;
}

/** Orders after `cursor` in the report's order, at most `limit`, and the keyset position after them. */
async function readOrders(
  ctx: ReportContext<OrderParams>,
  cursor: string | null,
  limit: number,
): Promise<{ columns: OrderColumns; cursor: string | null }> {
  const w = whereOrders(ctx);
  if (cursor) {
    const [placedAt, id] = JSON.parse(cursor) as [number, string];
    w.add('(o.placed_at, o.id) < (?, ?)', placedAt, id);
  }
  const select = selectOrders(ctx, w);
  const columns = newestFirst(
    (await selectColumnArrays(
      ctx.db,
      { sql: `${select.sql} ORDER BY o.placed_at DESC, o.id DESC LIMIT ?`, values: [...select.values, limit] },
      ORDER_ROW_COLUMNS,
    )) as unknown as OrderColumns,
  );
  const n = columns[0].length;
  return { columns, cursor: n === limit && n > 0 ? JSON.stringify([columns[0][n - 1], columns[1][n - 1]]) : null };
}

/** The orders the filters select (the report's WHERE), without the keyset position. */
export function whereOrders(ctx: ReportContext<OrderParams>): Where {
  const p = ctx.params;
  const w = new Where().add('o.event_id = ?', ctx.event.id);
  addDateRange(w, 'o.placed_at', ctx);
  if (p.status) w.add('o.status = ?', p.status);
  if (p.ticket_type) {
    const items = asOf(
      'order_items',
      'i',
      'i.id',
      new Where().add('i.order_id = o.id').add('i.ticket_type_id = ?', p.ticket_type),
      snapshotOf(ctx),
    );
    w.add(`EXISTS (${items.sql})`, ...items.values);
  }
  if (p.q) {
    const like = likePattern(p.q);
    w.add(
      "(o.order_number LIKE ? ESCAPE '\\' OR o.buyer_name LIKE ? ESCAPE '\\' OR o.buyer_email LIKE ? ESCAPE '\\')",
      like,
      like,
      like,
    );
  }
  return w;
}

const ORDER_FIELDS =
  'o.placed_at, o.id, o.order_number, o.buyer_name, o.buyer_email, o.status, o.ticket_count, o.currency, o.total_cents, o.refunded_cents';

/**
 * The orders matching `w` with their tickets ("VIP × 2; General Admission × 1", in the ticket
 * types' own order), everything as it was at the snapshot (db/versions.ts). Ends with FROM, for
 * the caller's ORDER BY and LIMIT.
 */
export function selectOrders(ctx: ReportContext<OrderParams>, w: Where): SqlPart {
  const types = asOf(
    'ticket_types',
    't',
    't.id, t.name, t.sort_order',
    new Where().add('t.event_id = ?', ctx.event.id),
    snapshotOf(ctx),
  );
  const items = asOf(
    'order_items',
    'i',
    'i.id, i.ticket_type_id, i.quantity',
    new Where().add('i.order_id = o.id'),
    snapshotOf(ctx),
  );
  const rows = asOf('orders', 'o', ORDER_FIELDS, w, snapshotOf(ctx));
  return {
    sql: `WITH t AS MATERIALIZED (${types.sql})
      SELECT o.placed_at, o.id, o.order_number, o.buyer_name, o.buyer_email, o.status,
             (SELECT group_concat(t.name || ' × ' || i.quantity, '; ' ORDER BY t.sort_order, t.id, i.id)
                FROM (${items.sql}) AS i JOIN t ON t.id = i.ticket_type_id) AS tickets,
             o.ticket_count, o.currency, o.total_cents, o.refunded_cents
        FROM (${rows.sql}) AS o`,
    values: [...types.values, ...items.values, ...rows.values],
  };
}

function cells(r: OrderRow, ctx: ReportContext<OrderParams>): Cell[] {
  return [r[2], ctx.clock.format(r[0]), r[3], r[4], r[5], r[6] ?? '', r[7], r[8], money(r[9]), money(r[10])];
}

export async function countOrders(ctx: ReportContext<OrderParams>): Promise<number> {
  const rows = asOf('orders', 'o', 'o.id', whereOrders(ctx), snapshotOf(ctx));
  return countRows(ctx.db, `SELECT COUNT(*) AS n FROM (${rows.sql})`, ...rows.values);
}

/** One page of the orders page: the same rows as the export, by position. */
export async function pageOrders(
  ctx: ReportContext<OrderParams>,
  offset: number,
  limit: number,
): Promise<{ id: string; cells: Cell[] }[]> {
  const select = selectOrders(ctx, whereOrders(ctx));
  const rows = await ctx.db
    .prepare(`${select.sql} ORDER BY o.placed_at DESC, o.id DESC LIMIT ? OFFSET ?`)
    .bind(...select.values, limit, offset)
    .raw<OrderRow>();
  return rows.map((r) => ({ id: r[1], cells: cells(r, ctx) }));
}

export const orders: ReportType<OrderParams> = {
  key: 'orders',
  name: 'Orders',
  description: 'Every order with buyer, status, tickets, total and refunds, filtered like the orders page.',
  permission: 'reports:read',
  formats: ['csv', 'pdf'],
  params,
  columns: ORDER_COLUMNS.map((c) => c.label),
  dateField: 'Order date',
  columnKinds: ['text', 'datetime', 'text', 'text', 'text', 'text', 'integer', 'text', 'money', 'money'],
  columnWidths: [9, 14, 13, 17, 11, 19, 6, 6, 8, 8],

  estimateRows: countOrders,

  async readChunk(ctx, cursor, limit) {
    const page = await readOrders(ctx, cursor, limit);
    const c = page.columns;
    const rows: Cell[][] = new Array(c[0].length);
    for (let i = 0; i < rows.length; i++) rows[i] = cells((c as unknown[][]).map((values) => values[i]) as OrderRow, ctx);
    return { rows, cursor: page.cursor };
  },

  // The CSV written straight from the columns: the same cells as readChunk's rows through csvRow
  // (test/reports-csv.test.ts holds the two to byte equality), without a row array per order.
  async readCsvChunk(ctx, cursor, limit) {
    const page = await readOrders(ctx, cursor, limit);
    const [at, , number, buyer, email, status, tickets, quantity, currency, total, refunded] = page.columns;
    const clock = ctx.clock;
    let text = '';
    for (let i = 0; i < at.length; i++) {
      text += `${csvText(number[i] as string)},${clock.format(at[i] as number)},${csvText(buyer[i] as string)},${csvText(email[i] as string)},${csvText(status[i] as string)},${csvText(tickets[i] ?? '')},${csvCell(quantity[i] as number)},${csvText(currency[i] as string)},${csvCents(total[i] as number)},${csvCents(refunded[i] as number)}\r\n`;
    }
    return { text, rows: at.length, cursor: page.cursor };
  },

  totals(rows) {
    const byCurrency = new Map<string, { total: number; refunded: number }>();
    let tickets = 0;
    for (const r of rows) {
      tickets += Number(r[6] ?? 0);
      const c = byCurrency.get(String(r[7])) ?? { total: 0, refunded: 0 };
      // Back to cents to add: summing decimal amounts as floats drifts.
      c.total += Math.round(Number(r[8] ?? 0) * 100);
      c.refunded += Math.round(Number(r[9] ?? 0) * 100);
      byCurrency.set(String(r[7]), c);
    }
    const lines: TotalLine[] = [
      { label: 'Orders', value: rows.length.toLocaleString('en-US') },
      { label: 'Tickets', value: tickets.toLocaleString('en-US') },
    ];
    for (const [currency, c] of [...byCurrency].sort(([a], [b]) => (a < b ? -1 : 1))) {
      lines.push({ label: `Order totals (${currency})`, value: amount(c.total, currency) });
      lines.push({ label: `Refunded (${currency})`, value: amount(c.refunded, currency) });
    }
    return lines;
  },

  fieldOptions: async (db: D1Database, event: EventRow) => ({
    ticket_type: await listTicketTypeOptions(db, event.id),
    status: ORDER_STATUSES.map((s) => ({ value: s, label: s.replace('_', ' ') })),
  }),
};
