// Specialized ticketing: sales by ticket type: tickets sold and refunded, gross sales, refunds and
// net revenue, in each ticket type's own currency (amounts in different currencies are never added).
// A sale is an order that was paid (including orders refunded later); pending and cancelled orders
// sold nothing.

import type { z } from 'zod';
import { listTicketTypeOptions } from '../db/orders';
import { asOf, type SqlPart } from '../db/versions';
import type { Cell } from '../output/csv';
import { type CommonParams, commonParams, idParam, withDateRange } from './params';
import { addDateRange, amount, countRows, money, pageOf, percent, snapshotOf, Where } from './query';
import type { ReportContext, ReportType, TotalLine } from './types';

const params = withDateRange(commonParams.extend({ ticket_type: idParam('Ticket type') }));
type Params = z.infer<typeof params>;

/** Statuses of orders that were paid. */
const SOLD_STATUSES = "('paid', 'partially_refunded', 'refunded')";

/**
 * The condition "order item `i` belongs to an order that was paid, placed in the date range", with
 * the order as it was at the snapshot.
 */
export function paidOrderOfItem(ctx: ReportContext<CommonParams>): SqlPart {
  const paid = new Where().add('o.id = i.order_id').add(`o.status IN ${SOLD_STATUSES}`);
  addDateRange(paid, 'o.placed_at', ctx);
  const orders = asOf('orders', 'o', 'o.id', paid, snapshotOf(ctx));
  return { sql: `EXISTS (${orders.sql})`, values: orders.values };
}

type Row = [
  name: string,
  currency: string,
  price_cents: number,
  capacity: number,
  orders: number,
  sold: number,
  refunded_tickets: number,
  gross_cents: number,
  refunds_cents: number,
];

async function summary(ctx: ReportContext<Params>): Promise<Cell[][]> {
  const items = asOf(
    'order_items',
    'i',
    'i.order_id, i.ticket_type_id, i.quantity, i.refunded_quantity, i.unit_price_cents, i.refunded_cents',
    new Where().add('i.event_id = ?', ctx.event.id),
    snapshotOf(ctx),
  );
  const paid = paidOrderOfItem(ctx);
  const typeFilter = new Where().add('t.event_id = ?', ctx.event.id);
  if (ctx.params.ticket_type) typeFilter.add('t.id = ?', ctx.params.ticket_type);
  const types = asOf(
    'ticket_types',
    't',
    't.id, t.name, t.currency, t.price_cents, t.capacity, t.sort_order',
    typeFilter,
    snapshotOf(ctx),
  );
  // Everything as it was at the snapshot (db/versions.ts).
  const rows = await ctx.db
    .prepare(
      `WITH sold AS (
         SELECT i.ticket_type_id, COUNT(DISTINCT i.order_id) AS orders, SUM(i.quantity) AS tickets,
                SUM(i.refunded_quantity) AS refunded, SUM(i.quantity * i.unit_price_cents) AS gross,
                SUM(i.refunded_cents) AS refunds
           FROM (${items.sql}) AS i
          WHERE ${paid.sql}
          GROUP BY i.ticket_type_id)
       SELECT t.name, t.currency, t.price_cents, t.capacity, COALESCE(s.orders, 0), COALESCE(s.tickets, 0),
              COALESCE(s.refunded, 0), COALESCE(s.gross, 0), COALESCE(s.refunds, 0)
         FROM (${types.sql}) AS t LEFT JOIN sold s ON s.ticket_type_id = t.id
        ORDER BY t.sort_order, t.id`,
    )
    .bind(...items.values, ...paid.values, ...types.values)
    .raw<Row>();
  return rows.map((r) => [
    r[0],
    r[1],
    money(r[2]),
    r[3],
    r[4],
    r[5],
    r[6],
    money(r[7]),
    money(r[8]),
    money(r[7] - r[8]),
    percent(r[5] - r[6], r[3]),
  ]);
}

export const ticketing: ReportType<Params> = {
  key: 'ticketing',
  name: 'Specialized ticketing report',
  description: 'Sales by ticket type: tickets sold and refunded, gross sales, refunds and net revenue per currency.',
  permission: 'reports:read',
  formats: ['csv', 'pdf'],
  params,
  columns: [
    'Ticket type',
    'Currency',
    'Price',
    'Capacity',
    'Orders',
    'Tickets sold',
    'Tickets refunded',
    'Gross sales',
    'Refunds',
    'Net revenue',
    'Sold of capacity (%)',
  ],
  dateField: 'Order date',
  columnKinds: ['text', 'text', 'money', 'integer', 'integer', 'integer', 'integer', 'money', 'money', 'money', 'percent'],
  columnWidths: [16, 6, 8, 7, 7, 8, 8, 10, 9, 10, 9],

  async estimateRows(ctx) {
    const types = asOf('ticket_types', 't', 't.id', new Where().add('t.event_id = ?', ctx.event.id), snapshotOf(ctx));
    return countRows(ctx.db, `SELECT COUNT(*) AS n FROM (${types.sql})`, ...types.values);
  },

  async readChunk(ctx, cursor, limit) {
    return pageOf(await summary(ctx), cursor, limit);
  },

  totals(rows) {
    const byCurrency = new Map<string, { gross: number; refunds: number }>();
    let sold = 0;
    let refunded = 0;
    for (const r of rows) {
      sold += Number(r[5] ?? 0);
      refunded += Number(r[6] ?? 0);
      const c = byCurrency.get(String(r[1])) ?? { gross: 0, refunds: 0 };
      // Back to cents to add: summing decimal amounts as floats drifts.
      c.gross += Math.round(Number(r[7] ?? 0) * 100);
      c.refunds += Math.round(Number(r[8] ?? 0) * 100);
      byCurrency.set(String(r[1]), c);
    }
    const lines: TotalLine[] = [
      { label: 'Tickets sold', value: sold.toLocaleString('en-US') },
      { label: 'Tickets refunded', value: refunded.toLocaleString('en-US') },
    ];
    for (const [currency, c] of [...byCurrency].sort(([a], [b]) => (a < b ? -1 : 1))) {
      lines.push({ label: `Gross sales (${currency})`, value: amount(c.gross, currency) });
      lines.push({ label: `Refunds (${currency})`, value: amount(c.refunds, currency) });
      lines.push({ label: `Net revenue (${currency})`, value: amount(c.gross - c.refunds, currency) });
    }
    return lines;
  },

  fieldOptions: async (db, event) => ({ ticket_type: await listTicketTypeOptions(db, event.id) }),
};
