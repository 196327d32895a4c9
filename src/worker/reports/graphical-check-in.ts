// Graphical check-in: admissions per 15 minutes with a running total; the PDF draws the curve.
// Intervals are quarter hours of UTC, which are quarter hours of every time zone as well, and are
// shown in the event's zone with their offset (so the repeated hour of a DST change stays apart).

import type { z } from 'zod';
import { distinctValues } from '../db/orders';
import { commonParams, textParam, withDateRange } from './params';
import { askedFor, countText, pagedSummary, sum, tableAsOf } from './query';
import type { ReportContext, ReportType, TimeChart } from './types';

const params = withDateRange(commonParams.extend({ entrance: textParam('Entrance') }));
type Params = z.infer<typeof params>;

const BUCKET_MS = 15 * 60_000;

/** Non-empty quarter hours, in time order. */
async function buckets(ctx: ReportContext<Params>): Promise<{ at: number; count: number }[]> {
  const w = askedFor(ctx, 'c', 'scanned_at', { 'c.entrance': ctx.params.entrance });
  const scans = tableAsOf(ctx, 'check_ins', 'c', 'c.scanned_at', w);
  const rows = await ctx.db
    .prepare(`SELECT scanned_at / ${BUCKET_MS} AS bucket, COUNT(*) FROM (${scans.sql}) GROUP BY bucket ORDER BY bucket`)
    .bind(...scans.values)
    .raw<[number, number]>();
  return rows.map(([bucket, count]) => ({ at: bucket * BUCKET_MS, count }));
}

interface Row {
  at: number;
  count: number;
  running: number;
}

async function summary(ctx: ReportContext<Params>): Promise<Row[]> {
  let running = 0;
  return (await buckets(ctx)).map((b) => {
    running += b.count;
    return { ...b, running };
  });
}

export const graphicalCheckIn: ReportType<Params, Row> = {
  key: 'graphical-check-in',
  name: 'Graphical check-in',
  description: 'Check-ins per 15 minutes with a running total; the PDF draws the check-in curve.',
  permission: 'reports:read',
  formats: ['csv', 'pdf'],
  params,
  columns: [
    { header: 'Interval start', kind: 'datetime', width: 30, value: (r, ctx) => ctx.clock.format(r.at) },
    { header: 'Interval end', kind: 'datetime', width: 30, value: (r, ctx) => ctx.clock.format(r.at + BUCKET_MS) },
    { header: 'Check-ins', kind: 'integer', width: 20, value: (r) => r.count },
    { header: 'Running total', kind: 'integer', width: 20, value: (r) => r.running },
  ],
  dateField: 'Check-in date',

  async estimateRows(ctx) {
    return (await buckets(ctx)).length;
  },

  readChunk: pagedSummary(summary),

  totals(rows, ctx) {
    let peak: Row | undefined;
    for (const r of rows) if (!peak || r.count > peak.count) peak = r;
    const first = rows[0];
    const last = rows[rows.length - 1];
    // "2026-03-08 01:45": the wall time of the interval's start, to the minute.
    const time = (r: Row) => ctx.clock.format(r.at).slice(0, 16).replace('T', ' ');
    return [
      { label: 'Check-ins', value: countText(sum(rows, (r) => r.count)) },
      { label: 'Busiest 15 minutes', value: peak ? `${peak.count} from ${time(peak)}` : '—' },
      { label: 'First interval', value: first ? time(first) : '—' },
      { label: 'Last interval', value: last ? time(last) : '—' },
    ];
  },

  async chart(ctx): Promise<TimeChart> {
    return {
      title: 'Check-ins per 15 minutes',
      bucketMs: BUCKET_MS,
      bars: await buckets(ctx),
      barLabel: 'Check-ins per 15 minutes',
      lineLabel: 'Running total',
    };
  },

  fieldOptions: async (db, event) => ({ entrance: await distinctValues(db, 'check_ins', 'entrance', event.id) }),
};
