import { z } from 'zod';
import { allRows } from '../db/sql';
import type { Where } from '../db/where';
import { commonParams, withDateRange } from './params';
import { afterCursor, askedFor, countIn, countText, keysetPage, shareText, tableAsOf } from './query';
import type { ReportContext, ReportType } from './types';

const RSVP = ['attending', 'maybe', 'declined', 'invited'] as const;

const params = withDateRange(
  commonParams.extend({
    rsvp_status: z.array(z.enum(RSVP)).min(1).max(RSVP.length).optional().meta({ title: 'RSVP status' }),
  }),
);
type Params = z.infer<typeof params>;

interface Row {
  last_name: string;
  first_name: string;
  id: string;
  email: string;
  company: string;
  ticket_type: string;
  rsvp_status: string;
  registered_at: number;
  checked_in_at: number | null;
}

function filters(ctx: ReportContext<Params>): Where {
  const w = askedFor(ctx, 'g', 'registered_at');
  if (ctx.params.rsvp_status) {
    w.add(`g.rsvp_status IN (${ctx.params.rsvp_status.map(() => '?').join(', ')})`, ...ctx.params.rsvp_status);
  }
  return w;
}

/** The event's guests as they were at the snapshot (db/versions.ts). */
function guestsAsOf(ctx: ReportContext<Params>, w: Where) {
  const columns =
    'g.last_name, g.first_name, g.id, g.email, g.company, g.ticket_type, g.rsvp_status, g.registered_at, g.checked_in_at';
  return tableAsOf(ctx, 'guests', 'g', columns, w);
}

export const guestList: ReportType<Params, Row> = {
  key: 'guest-list',
  name: 'Guest list summary',
  description: 'Every guest with contact details, ticket, RSVP status, registration and check-in time.',
  permission: 'reports:read',
  formats: ['csv', 'pdf'],
  params,
  columns: [
    { header: 'Last name', width: 10, value: (r) => r.last_name },
    { header: 'First name', width: 10, value: (r) => r.first_name },
    { header: 'Email', width: 18, noCut: true, value: (r) => r.email },
    { header: 'Company', width: 16, value: (r) => r.company },
    { header: 'Ticket type', width: 10, value: (r) => r.ticket_type },
    { header: 'RSVP status', width: 7, value: (r) => r.rsvp_status },
    { header: 'Registered at', kind: 'datetime', width: 14, value: (r, ctx) => ctx.clock.format(r.registered_at) },
    {
      header: 'Checked in at',
      kind: 'datetime',
      width: 14,
      value: (r, ctx) => (r.checked_in_at === null ? null : ctx.clock.format(r.checked_in_at)),
    },
  ],
  dateField: 'Registration date',

  // A guest list *summary*: its PDF opens with the band of totals the other summaries have.
  totals(rows) {
    const count = (status: string) => rows.filter((r) => r.rsvp_status === status).length;
    const checkedIn = rows.filter((r) => r.checked_in_at !== null).length;
    return [
      { label: 'Guests', value: countText(rows.length) },
      { label: 'RSVP attending', value: countText(count('attending')) },
      { label: 'RSVP maybe', value: countText(count('maybe')) },
      { label: 'RSVP declined', value: countText(count('declined')) },
      { label: 'Invited, no answer', value: countText(count('invited')) },
      { label: 'Checked in', value: countText(checkedIn) },
      { label: 'Check-in rate', value: shareText(checkedIn, rows.length) },
    ];
  },

  async estimateRows(ctx) {
    const g = guestsAsOf(ctx, filters(ctx));
    return countIn(ctx.db, g);
  },

  async readChunk(ctx, cursor, limit) {
    const w = afterCursor(filters(ctx), 'g.last_name, g.first_name, g.id', cursor);
    const g = guestsAsOf(ctx, w);
    // A check-in recorded after the snapshot did not exist when the report was asked for.
    const rows = await allRows<Row>(
      ctx.db,
      `SELECT last_name, first_name, id, email, company, ticket_type, rsvp_status, registered_at,
                CASE WHEN checked_in_at <= ? THEN checked_in_at END AS checked_in_at
           FROM (${g.sql})
          ORDER BY last_name, first_name, id LIMIT ?`,
      ctx.job.snapshot_at,
      ...g.values,
      limit,
    );
    return keysetPage(rows, limit, (r) => [r.last_name, r.first_name, r.id]);
  },
};
