// Attendance: per ticket type, who registered, who said they would come, who was scanned in, the
// no-shows (said yes, never scanned) and the walk-ins (scanned without a yes). The date range
// selects guests by registration date, like the guest list, so the two reports reconcile.

import type { z } from 'zod';
import { distinctValues } from '../db/orders';
import { allRows } from '../db/sql';
import { commonParams, textParam, withDateRange } from './params';
import { askedFor, countIn, countText, ofEvent, pagedSummary, percent, shareText, sum, tableAsOf } from './query';
import type { ReportContext, ReportType } from './types';

const params = withDateRange(commonParams.extend({ ticket_type: textParam('Ticket type') }));
type Params = z.infer<typeof params>;

interface Row {
  ticket_type: string;
  registered: number;
  attending: number;
  checked_in: number;
  no_shows: number;
  walk_ins: number;
}

async function summary(ctx: ReportContext<Params>): Promise<Row[]> {
  const w = askedFor(ctx, 'g', 'registered_at', { 'g.ticket_type': ctx.params.ticket_type });
  const guests = tableAsOf(ctx, 'guests', 'g', 'g.id, g.ticket_type, g.rsvp_status', w);
  const scanned = ofEvent(ctx, 'c').add('c.scanned_at <= ?', ctx.job.snapshot_at);
  const scans = tableAsOf(ctx, 'check_ins', 'c', 'c.guest_id', scanned);
  // Guests and their scans as they were at the snapshot (db/versions.ts).
  return allRows<Row>(
    ctx.db,
    `WITH scanned AS (SELECT DISTINCT guest_id FROM (${scans.sql}))
       SELECT g.ticket_type, COUNT(*) AS registered,
              SUM(g.rsvp_status = 'attending') AS attending,
              SUM(s.guest_id IS NOT NULL) AS checked_in,
              SUM(g.rsvp_status = 'attending' AND s.guest_id IS NULL) AS no_shows,
              SUM(g.rsvp_status <> 'attending' AND s.guest_id IS NOT NULL) AS walk_ins
         FROM (${guests.sql}) AS g LEFT JOIN scanned s ON s.guest_id = g.id
        GROUP BY g.ticket_type
        ORDER BY g.ticket_type`,
    ...scans.values,
    ...guests.values,
  );
}

export const attendance: ReportType<Params, Row> = {
  key: 'attendance',
  name: 'Attendance',
  description: 'Per ticket type: registered, RSVP yes, checked in, no-shows, walk-ins and attendance rates.',
  permission: 'reports:read',
  formats: ['csv', 'pdf'],
  params,
  columns: [
    { header: 'Ticket type', width: 20, value: (r) => r.ticket_type },
    { header: 'Registered', kind: 'integer', width: 10, value: (r) => r.registered },
    { header: 'RSVP attending', kind: 'integer', width: 10, value: (r) => r.attending },
    { header: 'Checked in', kind: 'integer', width: 10, value: (r) => r.checked_in },
    { header: 'No-shows', kind: 'integer', width: 10, value: (r) => r.no_shows },
    { header: 'Walk-ins', kind: 'integer', width: 10, value: (r) => r.walk_ins },
    { header: 'Check-in rate (%)', kind: 'percent', width: 12, value: (r) => percent(r.checked_in, r.registered) },
    {
      header: 'RSVP show-up rate (%)',
      kind: 'percent',
      width: 12,
      value: (r) => percent(r.attending - r.no_shows, r.attending),
    },
  ],
  dateField: 'Registration date',

  async estimateRows(ctx) {
    return countIn(ctx.db, tableAsOf(ctx, 'guests', 'g', 'g.ticket_type'), 'DISTINCT ticket_type');
  },

  readChunk: pagedSummary(summary),

  totals(rows) {
    const registered = sum(rows, (r) => r.registered);
    const attending = sum(rows, (r) => r.attending);
    const checkedIn = sum(rows, (r) => r.checked_in);
    const noShows = sum(rows, (r) => r.no_shows);
    return [
      { label: 'Registered', value: countText(registered) },
      { label: 'RSVP attending', value: countText(attending) },
      { label: 'Checked in', value: countText(checkedIn) },
      { label: 'No-shows', value: countText(noShows) },
      { label: 'Walk-ins', value: countText(sum(rows, (r) => r.walk_ins)) },
      { label: 'Check-in rate', value: shareText(checkedIn, registered) },
    ];
  },

  fieldOptions: async (db, event) => ({ ticket_type: await distinctValues(db, 'guests', 'ticket_type', event.id) }),
};
