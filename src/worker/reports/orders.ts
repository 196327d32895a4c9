// Orders: the orders page's table and its CSV export are one definition. The page (routes/orders.ts)
// and the report read through the same filters and the same row mapping, so the file has exactly
// the columns and the rows the organizer saw, newest first.

import { z } from 'zod';
import { type ColumnsOf, selectColumnArrays } from '../db/columns';
import type { EventRow } from '../db/events';
import { listTicketTypeOptions } from '../db/orders';
import { allRows, likePattern } from '../db/sql';
import type { SqlPart } from '../db/versions';
import { Where } from '../db/where';
import { type Cell, csvCell, csvCents, csvText } from '../output/csv';
import { commonParams, idParam, withDateRange } from './params';
import { afterCursor, amount, askedFor, byCurrency, countIn, countText, money, sum, tableAsOf } from './query';
import { type Column, cellsOf, type ReportContext, type ReportType, type TotalLine } from './types';

export const ORDER_STATUSES = ['pending', 'paid', 'partially_refunded', 'refunded', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** An order as the report reads it, as it was at the snapshot. */
export interface Order {
  placed_at: number;
  id: string;
  order_number: string;
  buyer_name: string;
  buyer_email: string;
  status: string;
  /** "VIP × 2; General Admission × 1", in the ticket types' own order; null without items. */
  tickets: string | null;
  quantity: number;
  currency: string;
  total_cents: number;
  refunded_cents: number;
}

/**
 * The table's columns, in order, for the page, the CSV and the PDF alike: `key` names the JSON
 * field of the orders page. (readCsvChunk below writes the same cells without going through them.)
 */
export const ORDER_COLUMNS: readonly (Column<Order> & { key: string })[] = [
  { key: 'order_number', header: 'Order number', width: 9, value: (r) => r.order_number },
  { key: 'placed_at', header: 'Placed at', kind: 'datetime', width: 14, value: (r, ctx) => ctx.clock.format(r.placed_at) },
  { key: 'buyer_name', header: 'Buyer', width: 13, value: (r) => r.buyer_name },
  { key: 'buyer_email', header: 'Email', width: 17, value: (r) => r.buyer_email },
  { key: 'status', header: 'Status', width: 11, value: (r) => r.status },
  { key: 'tickets', header: 'Tickets', width: 19, value: (r) => r.tickets ?? '' },
  { key: 'quantity', header: 'Quantity', kind: 'integer', width: 6, value: (r) => r.quantity },
  { key: 'currency', header: 'Currency', width: 6, value: (r) => r.currency },
  { key: 'total', header: 'Total', kind: 'money', width: 8, value: (r) => money(r.total_cents) },
  { key: 'refunded', header: 'Refunded', kind: 'money', width: 8, value: (r) => money(r.refunded_cents) },
];

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

/** An order as a tuple: the shape of a page read column by column (db/columns.ts). */
type OrderTuple = [
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

/** The output columns of selectOrders, in OrderTuple's order. */
export const ORDER_ROW_COLUMNS = [
  'placed_at',
  'id',
  'order_number',
  'buyer_name',
  'buyer_email',
  'status',
  'tickets',
  'quantity',
  'currency',
  'total_cents',
  'refunded_cents',
] as const;

/** A page of orders as one array per column (db/columns.ts), in OrderTuple's order. */
type OrderColumns = ColumnsOf<OrderTuple>;

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
  const w = afterCursor(whereOrders(ctx), 'o.placed_at, o.id', cursor, '<');
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
  const w = askedFor(ctx, 'o', 'placed_at', { 'o.status': p.status });
  if (p.ticket_type) {
    const ofType = new Where().add('i.order_id = o.id').add('i.ticket_type_id = ?', p.ticket_type);
    const items = tableAsOf(ctx, 'order_items', 'i', 'i.id', ofType);
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
  const types = tableAsOf(ctx, 'ticket_types', 't', 't.id, t.name, t.sort_order');
  const items = tableAsOf(ctx, 'order_items', 'i', 'i.id, i.ticket_type_id, i.quantity', new Where().add('i.order_id = o.id'));
  const rows = tableAsOf(ctx, 'orders', 'o', ORDER_FIELDS, w);
  return {
    sql: `WITH t AS MATERIALIZED (${types.sql})
      SELECT o.placed_at, o.id, o.order_number, o.buyer_name, o.buyer_email, o.status,
             (SELECT group_concat(t.name || ' × ' || i.quantity, '; ' ORDER BY t.sort_order, t.id, i.id)
                FROM (${items.sql}) AS i JOIN t ON t.id = i.ticket_type_id) AS tickets,
             o.ticket_count AS quantity, o.currency, o.total_cents, o.refunded_cents
        FROM (${rows.sql}) AS o`,
    values: [...types.values, ...items.values, ...rows.values],
  };
}

export async function countOrders(ctx: ReportContext<OrderParams>): Promise<number> {
  return countIn(ctx.db, tableAsOf(ctx, 'orders', 'o', 'o.id', whereOrders(ctx)));
}

/** One page of the orders page: the same rows as the export, by position. */
export async function pageOrders(
  ctx: ReportContext<OrderParams>,
  offset: number,
  limit: number,
): Promise<{ id: string; cells: Cell[] }[]> {
  const select = selectOrders(ctx, whereOrders(ctx));
  const results = await allRows<Order>(
    ctx.db,
    `${select.sql} ORDER BY o.placed_at DESC, o.id DESC LIMIT ? OFFSET ?`,
    ...select.values,
    limit,
    offset,
  );
  const cells = cellsOf(orders, results, ctx);
  return results.map((r, i) => ({ id: r.id, cells: cells[i] ?? [] }));
}

export const orders: ReportType<OrderParams, Order> = {
  key: 'orders',
  name: 'Orders',
  description: 'Every order with buyer, status, tickets, total and refunds, filtered like the orders page.',
  permission: 'orders:export',
  formats: ['csv', 'pdf'],
  params,
  columns: ORDER_COLUMNS,
  dateField: 'Order date',

  estimateRows: countOrders,

  async readChunk(ctx, cursor, limit) {
    const page = await readOrders(ctx, cursor, limit);
    const [at, id, number, buyer, email, status, tickets, quantity, currency, total, refunded] = page.columns;
    const rows = at.map(
      (placed_at, i): Order => ({
        placed_at,
        id: id[i] as string,
        order_number: number[i] as string,
        buyer_name: buyer[i] as string,
        buyer_email: email[i] as string,
        status: status[i] as string,
        tickets: tickets[i] ?? null,
        quantity: quantity[i] as number,
        currency: currency[i] as string,
        total_cents: total[i] as number,
        refunded_cents: refunded[i] as number,
      }),
    );
    return { rows, cursor: page.cursor };
  },

  // The CSV written straight from the columns: the same cells as ORDER_COLUMNS give readChunk's
  // rows (test/reports-csv.test.ts holds the two to byte equality), without an object per order.
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
    const lines: TotalLine[] = [
      { label: 'Orders', value: countText(rows.length) },
      { label: 'Tickets', value: countText(sum(rows, (r) => r.quantity)) },
    ];
    for (const [currency, group] of byCurrency(rows)) {
      lines.push({
        label: `Order totals (${currency})`,
        value: amount(
          sum(group, (r) => r.total_cents),
          currency,
        ),
      });
      lines.push({
        label: `Refunded (${currency})`,
        value: amount(
          sum(group, (r) => r.refunded_cents),
          currency,
        ),
      });
    }
    return lines;
  },

  fieldOptions: orderFieldOptions,
};

/** The choices of the status and ticket-type filters: the report's form and the orders page offer the same. */
export async function orderFieldOptions(db: D1Database, event: EventRow) {
  return {
    ticket_type: await listTicketTypeOptions(db, event.id),
    status: ORDER_STATUSES.map((s) => ({ value: s, label: s.replaceAll('_', ' ') })),
  };
}
