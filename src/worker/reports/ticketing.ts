// Specialized ticketing: sales by ticket type: tickets sold and refunded, gross sales, refunds and
// net revenue, in each ticket type's own currency (amounts in different currencies are never added).
// A sale is an order that was paid (including orders refunded later); pending and cancelled orders
// sold nothing.

import type { z } from 'zod';
import { listTicketTypeOptions } from '../db/orders';
import { allRows } from '../db/sql';
import type { SqlPart } from '../db/versions';
import { Where } from '../db/where';
import { type CommonParams, commonParams, idParam, withDateRange } from './params';
import {
  addDateRange,
  amount,
  byCurrency,
  countIn,
  countText,
  money,
  ofEvent,
  pagedSummary,
  percent,
  sum,
  tableAsOf,
} from './query';
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
  const orders = tableAsOf(ctx, 'orders', 'o', 'o.id', paid);
  return { sql: `EXISTS (${orders.sql})`, values: orders.values };
}

interface Row {
  name: string;
  currency: string;
  price_cents: number;
  capacity: number;
  orders: number;
  sold: number;
  refunded_tickets: number;
  gross_cents: number;
  refunds_cents: number;
}

async function summary(ctx: ReportContext<Params>): Promise<Row[]> {
  const itemColumns = 'i.order_id, i.ticket_type_id, i.quantity, i.refunded_quantity, i.unit_price_cents, i.refunded_cents';
  const items = tableAsOf(ctx, 'order_items', 'i', itemColumns);
  const paid = paidOrderOfItem(ctx);
  const typeColumns = 't.id, t.name, t.currency, t.price_cents, t.capacity, t.sort_order';
  const types = tableAsOf(ctx, 'ticket_types', 't', typeColumns, ofEvent(ctx, 't', { 't.id': ctx.params.ticket_type }));
  // Everything as it was at the snapshot (db/versions.ts).
  return allRows<Row>(
    ctx.db,
    `WITH sold AS (
         SELECT i.ticket_type_id, COUNT(DISTINCT i.order_id) AS orders, SUM(i.quantity) AS tickets,
                SUM(i.refunded_quantity) AS refunded, SUM(i.quantity * i.unit_price_cents) AS gross,
                SUM(i.refunded_cents) AS refunds
           FROM (${items.sql}) AS i
          WHERE ${paid.sql}
          GROUP BY i.ticket_type_id)
       SELECT t.name, t.currency, t.price_cents, t.capacity, COALESCE(s.orders, 0) AS orders, COALESCE(s.tickets, 0) AS sold,
              COALESCE(s.refunded, 0) AS refunded_tickets, COALESCE(s.gross, 0) AS gross_cents,
              COALESCE(s.refunds, 0) AS refunds_cents
         FROM (${types.sql}) AS t LEFT JOIN sold s ON s.ticket_type_id = t.id
        ORDER BY t.sort_order, t.id`,
    ...items.values,
    ...paid.values,
    ...types.values,
  );
}

export const ticketing: ReportType<Params, Row> = {
  key: 'ticketing',
  name: 'Specialized ticketing report',
  description: 'Sales by ticket type: tickets sold and refunded, gross sales, refunds and net revenue per currency.',
  permission: 'reports:read',
  formats: ['csv', 'pdf'],
  params,
  columns: [
    { header: 'Ticket type', width: 16, value: (r) => r.name },
    { header: 'Currency', width: 6, value: (r) => r.currency },
    { header: 'Price', kind: 'money', width: 8, value: (r) => money(r.price_cents) },
    { header: 'Capacity', kind: 'integer', width: 7, value: (r) => r.capacity },
    { header: 'Orders', kind: 'integer', width: 7, value: (r) => r.orders },
    { header: 'Tickets sold', kind: 'integer', width: 8, value: (r) => r.sold },
    { header: 'Tickets refunded', kind: 'integer', width: 8, value: (r) => r.refunded_tickets },
    { header: 'Gross sales', kind: 'money', width: 10, value: (r) => money(r.gross_cents) },
    { header: 'Refunds', kind: 'money', width: 9, value: (r) => money(r.refunds_cents) },
    { header: 'Net revenue', kind: 'money', width: 10, value: (r) => money(r.gross_cents - r.refunds_cents) },
    {
      header: 'Sold of capacity (%)',
      kind: 'percent',
      width: 9,
      value: (r) => percent(r.sold - r.refunded_tickets, r.capacity),
    },
  ],
  dateField: 'Order date',

  async estimateRows(ctx) {
    return countIn(ctx.db, tableAsOf(ctx, 'ticket_types', 't', 't.id'));
  },

  readChunk: pagedSummary(summary),

  totals(rows) {
    const lines: TotalLine[] = [
      { label: 'Tickets sold', value: countText(sum(rows, (r) => r.sold)) },
      { label: 'Tickets refunded', value: countText(sum(rows, (r) => r.refunded_tickets)) },
    ];
    for (const [currency, group] of byCurrency(rows)) {
      const gross = sum(group, (r) => r.gross_cents);
      const refunds = sum(group, (r) => r.refunds_cents);
      lines.push({ label: `Gross sales (${currency})`, value: amount(gross, currency) });
      lines.push({ label: `Refunds (${currency})`, value: amount(refunds, currency) });
      lines.push({ label: `Net revenue (${currency})`, value: amount(gross - refunds, currency) });
    }
    return lines;
  },

  fieldOptions: async (db, event) => ({ ticket_type: await listTicketTypeOptions(db, event.id) }),
};
