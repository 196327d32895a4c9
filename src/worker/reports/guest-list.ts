import { z } from 'zod';
import { asOf } from '../db/versions';
import { commonParams, withDateRange } from './params';
import { addDateRange, countRows, snapshotOf, Where } from './query';
import type { ReportContext, ReportType } from './types';

const RSVP = ['attending', 'maybe', 'declined', 'invited'] as const;

const params = withDateRange(
  commonParams.extend({
    rsvp_status: z.array(z.enum(RSVP)).min(1).max(RSVP.length).optional().meta({ title: 'RSVP status' }),
  }),
);
type Params = z.infer<typeof params>;

type Row = [string, string, string, string, string, string, string, number, number | null];

function filters(ctx: ReportContext<Params>): Where {
  const w = new Where().add('g.event_id = ?', ctx.event.id);
  addDateRange(w, 'g.registered_at', ctx);
  if (ctx.params.rsvp_status) {
    w.add(`g.rsvp_status IN (${ctx.params.rsvp_status.map(() => '?').join(', ')})`, ...ctx.params.rsvp_status);
  }
  return w;
}

/** The event's guests as they were at the snapshot (db/versions.ts). */
function guestsAsOf(ctx: ReportContext<Params>, w: Where) {
  return asOf(
    'guests',
    'g',
    'g.last_name, g.first_name, g.id, g.email, g.company, g.ticket_type, g.rsvp_status, g.registered_at, g.checked_in_at',
    w,
    snapshotOf(ctx),
  );
}

export const guestList: ReportType<Params> = {
  key: 'guest-list',
  name: 'Guest list summary',
  description: 'Every guest with contact details, ticket, RSVP status, registration and check-in time.',
  permission: 'reports:read',
  formats: ['csv', 'pdf'],
  params,
  columns: ['Last name', 'First name', 'Email', 'Company', 'Ticket type', 'RSVP status', 'Registered at', 'Checked in at'],
  dateField: 'Registration date',
  columnKinds: ['text', 'text', 'text', 'text', 'text', 'text', 'datetime', 'datetime'],
  columnWidths: [10, 10, 18, 16, 10, 7, 14, 14],

  async estimateRows(ctx) {
    const g = guestsAsOf(ctx, filters(ctx));
    return countRows(ctx.db, `SELECT COUNT(*) AS n FROM (${g.sql})`, ...g.values);
  },

  async readChunk(ctx, cursor, limit) {
    const w = filters(ctx);
    if (cursor) w.add('(g.last_name, g.first_name, g.id) > (?, ?, ?)', ...(JSON.parse(cursor) as [string, string, string]));
    const g = guestsAsOf(ctx, w);
    // A check-in recorded after the snapshot did not exist when the report was asked for.
    const rows = await ctx.db
      .prepare(
        `SELECT last_name, first_name, id, email, company, ticket_type, rsvp_status, registered_at,
                CASE WHEN checked_in_at <= ? THEN checked_in_at END
           FROM (${g.sql})
          ORDER BY last_name, first_name, id LIMIT ?`,
      )
      .bind(ctx.job.snapshot_at, ...g.values, limit)
      .raw<Row>();
    const last = rows[rows.length - 1];
    return {
      rows: rows.map((r) => [
        r[0],
        r[1],
        r[3],
        r[4],
        r[5],
        r[6],
        ctx.clock.format(r[7]),
        r[8] === null ? null : ctx.clock.format(r[8]),
      ]),
      cursor: rows.length === limit && last ? JSON.stringify([last[0], last[1], last[2]]) : null,
    };
  },
};
