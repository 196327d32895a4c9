// Registration timeline: registrations per day in the event's time zone, with a running total and
// the RSVP answers of that day's registrants. Days without registrations between the first and
// the last are listed with zeros, so the timeline reads as a calendar.
//
// SQL groups by quarter hour (every time zone's offset is a multiple of 15 minutes, so a quarter
// hour never straddles two local days); the quarter hours are folded into local days here, which
// keeps DST days (23 or 25 hours) right.

import type { z } from 'zod';
import { distinctValues } from '../db/orders';
import { nextDate } from '../time';
import { commonParams, textParam, withDateRange } from './params';
import { askedFor, countText, pagedSummary, sum, tableAsOf } from './query';
import type { ReportContext, ReportType } from './types';

const params = withDateRange(commonParams.extend({ ticket_type: textParam('Ticket type') }));
type Params = z.infer<typeof params>;

const QUARTER_HOUR = 900_000;
/** Beyond this many days between first and last registration, empty days are not filled in. */
const MAX_FILLED_DAYS = 3_700;

type Quarter = [quarter: number, registrations: number, attending: number, maybe: number, declined: number, invited: number];

interface Row {
  day: string;
  registrations: number;
  running: number;
  attending: number;
  maybe: number;
  declined: number;
  invited: number;
}

async function summary(ctx: ReportContext<Params>): Promise<Row[]> {
  const w = askedFor(ctx, 'g', 'registered_at', { 'g.ticket_type': ctx.params.ticket_type });
  const guests = tableAsOf(ctx, 'guests', 'g', 'g.registered_at, g.rsvp_status', w);
  const quarters = await ctx.db
    .prepare(
      `SELECT registered_at / ${QUARTER_HOUR} AS quarter, COUNT(*), SUM(rsvp_status = 'attending'),
              SUM(rsvp_status = 'maybe'), SUM(rsvp_status = 'declined'), SUM(rsvp_status = 'invited')
         FROM (${guests.sql})
        GROUP BY quarter ORDER BY quarter`,
    )
    .bind(...guests.values)
    .raw<Quarter>();
  const days = new Map<string, [number, number, number, number, number]>();
  for (const q of quarters) {
    const day = ctx.clock.dateOf(q[0] * QUARTER_HOUR);
    const d = days.get(day) ?? [0, 0, 0, 0, 0];
    for (let i = 0; i < 5; i++) d[i] = (d[i] ?? 0) + (q[i + 1] ?? 0);
    days.set(day, d);
  }
  const dates = [...days.keys()];
  const first = dates[0];
  const last = dates[dates.length - 1];
  const spanDays = first && last ? (Date.parse(`${last}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / 86_400_000 : 0;
  if (first && last && spanDays < MAX_FILLED_DAYS) {
    for (let day = first; day < last; day = nextDate(day)) if (!days.has(day)) days.set(day, [0, 0, 0, 0, 0]);
  }
  let running = 0;
  return [...days.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([day, [registrations, attending, maybe, declined, invited]]) => {
      running += registrations;
      return { day, registrations, running, attending, maybe, declined, invited };
    });
}

export const registrationTimeline: ReportType<Params, Row> = {
  key: 'registration-timeline',
  name: 'Registration timeline',
  description: 'Registrations per day in the event’s time zone, with a running total and RSVP answers.',
  permission: 'reports:read',
  formats: ['csv', 'pdf'],
  params,
  columns: [
    { header: 'Date', value: (r) => r.day },
    { header: 'Registrations', kind: 'integer', value: (r) => r.registrations },
    { header: 'Running total', kind: 'integer', value: (r) => r.running },
    { header: 'Attending', kind: 'integer', value: (r) => r.attending },
    { header: 'Maybe', kind: 'integer', value: (r) => r.maybe },
    { header: 'Declined', kind: 'integer', value: (r) => r.declined },
    { header: 'Invited', kind: 'integer', value: (r) => r.invited },
  ],
  dateField: 'Registration date',

  async estimateRows(ctx) {
    const guests = tableAsOf(ctx, 'guests', 'g', 'g.registered_at');
    const row = await ctx.db
      .prepare(`SELECT MIN(registered_at) AS a, MAX(registered_at) AS b FROM (${guests.sql})`)
      .bind(...guests.values)
      .first<{ a: number | null; b: number | null }>();
    return row?.a != null && row.b != null ? Math.ceil((row.b - row.a) / 86_400_000) + 1 : 0;
  },

  readChunk: pagedSummary(summary),

  totals(rows) {
    const total = sum(rows, (r) => r.registrations);
    let busiest: Row | undefined;
    for (const r of rows) if (!busiest || r.registrations > busiest.registrations) busiest = r;
    const days = rows.length;
    return [
      { label: 'Registrations', value: countText(total) },
      { label: 'Days', value: countText(days) },
      { label: 'Average per day', value: days > 0 ? (total / days).toFixed(1) : '—' },
      { label: 'Busiest day', value: busiest ? `${busiest.day} (${busiest.registrations})` : '—' },
    ];
  },

  fieldOptions: async (db, event) => ({ ticket_type: await distinctValues(db, 'guests', 'ticket_type', event.id) }),
};
