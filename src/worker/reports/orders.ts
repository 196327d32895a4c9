// Orders: the orders page's table and its CSV export are one definition. The page (routes/orders.ts)
// and the report read through the same filters and the same row mapping, so the file has exactly
// the columns and the rows the organizer saw, newest first.

import { z } from 'zod';
import type { EventRow } from '../db/events';
import { listTicketTypeOptions } from '../db/orders';
import { asOf, type SqlPart } from '../db/versions';
import type { Cell } from '../output/csv';
import { commonParams, idParam, withDateRange } from './params';
import { addDateRange, amount, countRows, likePattern, money, Where } from './query';
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

function where(ctx: ReportContext<OrderParams>): Where {
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
      ctx.job.snapshot_at,
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
function selectOrders(ctx: ReportContext<OrderParams>, w: Where): SqlPart {
  const snapshotAt = ctx.job.snapshot_at;
  const types = asOf(
    'ticket_types',
    't',
    't.id, t.name, t.sort_order',
    new Where().add('t.event_id = ?', ctx.event.id),
    snapshotAt,
  );
  const items = asOf('order_items', 'i', 'i.id, i.ticket_type_id, i.quantity', new Where().add('i.order_id = o.id'), snapshotAt);
  const rows = asOf('orders', 'o', ORDER_FIELDS, w, snapshotAt);
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
  const rows = asOf('orders', 'o', 'o.id', where(ctx), ctx.job.snapshot_at);
  return countRows(ctx.db, `SELECT COUNT(*) AS n FROM (${rows.sql})`, ...rows.values);
}

/** One page of the orders page: the same rows as the export, by position. */
export async function pageOrders(
  ctx: ReportContext<OrderParams>,
  offset: number,
  limit: number,
): Promise<{ id: string; cells: Cell[] }[]> {
  const select = selectOrders(ctx, where(ctx));
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
    const w = where(ctx);
    if (cursor) {
      const [placedAt, id] = JSON.parse(cursor) as [number, string];
      w.add('(o.placed_at, o.id) < (?, ?)', placedAt, id);
    }
    const select = selectOrders(ctx, w);
    const rows = await ctx.db
      .prepare(`${select.sql} ORDER BY o.placed_at DESC, o.id DESC LIMIT ?`)
      .bind(...select.values, limit)
      .raw<OrderRow>();
    const last = rows[rows.length - 1];
    return {
      rows: rows.map((r) => cells(r, ctx)),
      cursor: rows.length === limit && last ? JSON.stringify([last[0], last[1]]) : null,
    };
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
