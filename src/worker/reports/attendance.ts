// Attendance: per ticket type, who registered, who said they would come, who was scanned in, the
// no-shows (said yes, never scanned) and the walk-ins (scanned without a yes). The date range
// selects guests by registration date, like the guest list, so the two reports reconcile.

import type { z } from 'zod';
import { distinctValues } from '../db/orders';
import { asOf } from '../db/versions';
import type { Cell } from '../output/csv';
import { commonParams, textParam, withDateRange } from './params';
import { addDateRange, countRows, pageOf, percent, snapshotOf, sumColumn, Where } from './query';
import type { ReportContext, ReportType } from './types';

const params = withDateRange(commonParams.extend({ ticket_type: textParam('Ticket type') }));
type Params = z.infer<typeof params>;

type Row = [ticket_type: string, registered: number, attending: number, checked_in: number, no_shows: number, walk_ins: number];

async function summary(ctx: ReportContext<Params>): Promise<Cell[][]> {
  const snapshotAt = ctx.job.snapshot_at;
  const w = new Where().add('g.event_id = ?', ctx.event.id);
  addDateRange(w, 'g.registered_at', ctx);
  if (ctx.params.ticket_type) w.add('g.ticket_type = ?', ctx.params.ticket_type);
  const guests = asOf('guests', 'g', 'g.id, g.ticket_type, g.rsvp_status', w, snapshotOf(ctx));
  const scans = asOf(
    'check_ins',
    'c',
    'c.guest_id',
    new Where().add('c.event_id = ?', ctx.event.id).add('c.scanned_at <= ?', snapshotAt),
    snapshotOf(ctx),
  );
  // Guests and their scans as they were at the snapshot (db/versions.ts).
  const rows = await ctx.db
    .prepare(
      `WITH scanned AS (SELECT DISTINCT guest_id FROM (${scans.sql}))
       SELECT g.ticket_type, COUNT(*),
              SUM(g.rsvp_status = 'attending'),
              SUM(s.guest_id IS NOT NULL),
              SUM(g.rsvp_status = 'attending' AND s.guest_id IS NULL),
              SUM(g.rsvp_status <> 'attending' AND s.guest_id IS NOT NULL)
         FROM (${guests.sql}) AS g LEFT JOIN scanned s ON s.guest_id = g.id
        GROUP BY g.ticket_type
        ORDER BY g.ticket_type`,
    )
    .bind(...scans.values, ...guests.values)
    .raw<Row>();
  return rows.map((r) => [r[0], r[1], r[2], r[3], r[4], r[5], percent(r[3], r[1]), percent(r[2] - r[4], r[2])]);
}

export const attendance: ReportType<Params> = {
  key: 'attendance',
  name: 'Attendance',
  description: 'Per ticket type: registered, RSVP yes, checked in, no-shows, walk-ins and attendance rates.',
  permission: 'reports:read',
  formats: ['csv', 'pdf'],
  params,
  columns: [
    'Ticket type',
    'Registered',
    'RSVP attending',
    'Checked in',
    'No-shows',
    'Walk-ins',
    'Check-in rate (%)',
    'RSVP show-up rate (%)',
  ],
  dateField: 'Registration date',
  columnKinds: ['text', 'integer', 'integer', 'integer', 'integer', 'integer', 'percent', 'percent'],
  columnWidths: [20, 10, 10, 10, 10, 10, 12, 12],

  async estimateRows(ctx) {
    const guests = asOf('guests', 'g', 'g.ticket_type', new Where().add('g.event_id = ?', ctx.event.id), snapshotOf(ctx));
    return countRows(ctx.db, `SELECT COUNT(DISTINCT ticket_type) AS n FROM (${guests.sql})`, ...guests.values);
  },

  async readChunk(ctx, cursor, limit) {
    return pageOf(await summary(ctx), cursor, limit);
  },

  totals(rows) {
    const registered = sumColumn(rows, 1);
    const attending = sumColumn(rows, 2);
    const checkedIn = sumColumn(rows, 3);
    const noShows = sumColumn(rows, 4);
    const rate = percent(checkedIn, registered);
    return [
      { label: 'Registered', value: registered.toLocaleString('en-US') },
      { label: 'RSVP attending', value: attending.toLocaleString('en-US') },
      { label: 'Checked in', value: checkedIn.toLocaleString('en-US') },
      { label: 'No-shows', value: noShows.toLocaleString('en-US') },
      { label: 'Walk-ins', value: sumColumn(rows, 5).toLocaleString('en-US') },
      { label: 'Check-in rate', value: rate === null ? '—' : `${rate}%` },
    ];
  },

  fieldOptions: async (db, event) => ({ ticket_type: await distinctValues(db, 'guests', 'ticket_type', event.id) }),
};
