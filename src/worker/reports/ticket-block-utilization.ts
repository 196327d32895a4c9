// Ticket-block utilization: for each block of tickets held for a group, how many were claimed in
// paid orders (net of refunds: a refunded ticket goes back to the block) and how many remain.
// An oversold block shows a negative remainder: a real negative number, not text.

import type { z } from 'zod';
import { listTicketTypeOptions } from '../db/orders';
import { allRows } from '../db/sql';
import { commonParams, idParam, withDateRange } from './params';
import { countIn, countText, ofEvent, pagedSummary, percent, shareText, sum, tableAsOf } from './query';
import { paidOrderOfItem } from './ticketing';
import type { ReportContext, ReportType } from './types';

const params = withDateRange(commonParams.extend({ ticket_type: idParam('Ticket type') }));
type Params = z.infer<typeof params>;

interface Row {
  name: string;
  held_for: string;
  ticket_type: string;
  allocated: number;
  claimed: number;
}

async function summary(ctx: ReportContext<Params>): Promise<Row[]> {
  const itemColumns = 'i.order_id, i.ticket_block_id, i.quantity, i.refunded_quantity';
  const items = tableAsOf(ctx, 'order_items', 'i', itemColumns, ofEvent(ctx, 'i').add('i.ticket_block_id IS NOT NULL'));
  const paid = paidOrderOfItem(ctx);
  const blockColumns = 'b.id, b.ticket_type_id, b.name, b.held_for, b.allocated';
  const blocks = tableAsOf(
    ctx,
    'ticket_blocks',
    'b',
    blockColumns,
    ofEvent(ctx, 'b', { 'b.ticket_type_id': ctx.params.ticket_type }),
  );
  const types = tableAsOf(ctx, 'ticket_types', 't', 't.id, t.name');
  // Everything as it was at the snapshot (db/versions.ts).
  return allRows<Row>(
    ctx.db,
    `WITH used AS (
         SELECT i.ticket_block_id, SUM(i.quantity - i.refunded_quantity) AS claimed
           FROM (${items.sql}) AS i
          WHERE ${paid.sql}
          GROUP BY i.ticket_block_id)
       SELECT b.name, b.held_for, t.name AS ticket_type, b.allocated, COALESCE(u.claimed, 0) AS claimed
         FROM (${blocks.sql}) AS b JOIN (${types.sql}) AS t ON t.id = b.ticket_type_id
         LEFT JOIN used u ON u.ticket_block_id = b.id
        ORDER BY b.name, b.id`,
    ...items.values,
    ...paid.values,
    ...blocks.values,
    ...types.values,
  );
}

export const ticketBlockUtilization: ReportType<Params, Row> = {
  key: 'ticket-block-utilization',
  name: 'Ticket-block utilization',
  description: 'Each block of tickets held for a sponsor, the press or a partner: allocated, claimed, remaining.',
  permission: 'reports:read',
  formats: ['csv', 'pdf'],
  params,
  columns: [
    { header: 'Block', width: 22, value: (r) => r.name },
    { header: 'Held for', width: 22, value: (r) => r.held_for },
    { header: 'Ticket type', width: 16, value: (r) => r.ticket_type },
    { header: 'Allocated', kind: 'integer', width: 9, value: (r) => r.allocated },
    { header: 'Claimed', kind: 'integer', width: 9, value: (r) => r.claimed },
    // Oversold: a real negative number, not text.
    { header: 'Remaining', kind: 'integer', width: 9, value: (r) => r.allocated - r.claimed },
    { header: 'Utilization (%)', kind: 'percent', width: 10, value: (r) => percent(r.claimed, r.allocated) },
  ],
  dateField: 'Order date',

  async estimateRows(ctx) {
    return countIn(ctx.db, tableAsOf(ctx, 'ticket_blocks', 'b', 'b.id'));
  },

  readChunk: pagedSummary(summary),

  totals(rows) {
    const allocated = sum(rows, (r) => r.allocated);
    const claimed = sum(rows, (r) => r.claimed);
    return [
      { label: 'Blocks', value: countText(rows.length) },
      { label: 'Tickets allocated', value: countText(allocated) },
      { label: 'Tickets claimed', value: countText(claimed) },
      { label: 'Utilization', value: shareText(claimed, allocated) },
    ];
  },

  fieldOptions: async (db, event) => ({ ticket_type: await listTicketTypeOptions(db, event.id) }),
};
