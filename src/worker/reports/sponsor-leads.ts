// Sponsor leads: every badge scanned at a sponsor's booth, with what the booth staff noted, in
// scan order. Sponsors get this file to follow up, so it carries the lead's details as captured.

import { z } from 'zod';
import { listSponsorOptions } from '../db/orders';
import { allRows } from '../db/sql';
import type { Where } from '../db/where';
import { commonParams, idParam, withDateRange } from './params';
import { afterCursor, askedFor, countIn, keysetPage, tableAsOf } from './query';
import type { ReportContext, ReportType } from './types';

const RATINGS = ['hot', 'warm', 'cold'] as const;

const params = withDateRange(
  commonParams.extend({
    sponsor_id: idParam('Sponsor'),
    rating: z.enum(RATINGS).optional().meta({ title: 'Rating' }),
  }),
);
type Params = z.infer<typeof params>;

interface Row {
  scanned_at: number;
  id: string;
  sponsor: string | null;
  tier: string | null;
  full_name: string;
  email: string;
  company: string;
  job_title: string;
  rating: string;
  notes: string;
  scanned_by: string;
}

function where(ctx: ReportContext<Params>): Where {
  return askedFor(ctx, 'l', 'scanned_at', { 'l.sponsor_id': ctx.params.sponsor_id, 'l.rating': ctx.params.rating });
}

export const sponsorLeads: ReportType<Params, Row> = {
  key: 'sponsor-leads',
  name: 'Sponsor lead export',
  description: 'Badges scanned at sponsor booths: the lead’s contact details, rating and notes, in scan order.',
  permission: 'reports:read',
  formats: ['csv', 'pdf'],
  params,
  columns: [
    { header: 'Scanned at', kind: 'datetime', width: 14, value: (r, ctx) => ctx.clock.format(r.scanned_at) },
    { header: 'Sponsor', width: 11, value: (r) => r.sponsor },
    { header: 'Tier', width: 6, value: (r) => r.tier },
    { header: 'Name', width: 11, value: (r) => r.full_name },
    { header: 'Email', width: 17, noCut: true, value: (r) => r.email },
    { header: 'Company', width: 11, value: (r) => r.company },
    { header: 'Job title', width: 10, value: (r) => r.job_title },
    { header: 'Rating', width: 5, value: (r) => r.rating },
    { header: 'Notes', width: 15, value: (r) => r.notes },
    { header: 'Scanned by', width: 9, value: (r) => r.scanned_by },
  ],
  dateField: 'Scan date',

  async estimateRows(ctx) {
    return countIn(ctx.db, tableAsOf(ctx, 'sponsor_leads', 'l', 'l.id', where(ctx)));
  },

  async readChunk(ctx, cursor, limit) {
    const w = afterCursor(where(ctx), 'l.scanned_at, l.id', cursor);
    const leadColumns =
      'l.scanned_at, l.id, l.sponsor_id, l.full_name, l.email, l.company, l.job_title, l.rating, l.notes, l.scanned_by';
    const leads = tableAsOf(ctx, 'sponsor_leads', 'l', leadColumns, w);
    const sponsors = tableAsOf(ctx, 'sponsors', 's', 's.id, s.name, s.tier');
    // The page of leads first (both halves walk their index in scan order), then their sponsors;
    // everything as it was at the snapshot (db/versions.ts). LEFT JOIN: a page never loses a row.
    const rows = await allRows<Row>(
      ctx.db,
      `WITH s AS MATERIALIZED (${sponsors.sql})
         SELECT l.scanned_at, l.id, s.name AS sponsor, s.tier, l.full_name, l.email, l.company, l.job_title, l.rating, l.notes, l.scanned_by
           FROM (SELECT * FROM (${leads.sql}) ORDER BY scanned_at, id LIMIT ?) AS l
           LEFT JOIN s ON s.id = l.sponsor_id
          ORDER BY l.scanned_at, l.id`,
      ...sponsors.values,
      ...leads.values,
      limit,
    );
    return keysetPage(rows, limit, (r) => [r.scanned_at, r.id]);
  },

  fieldOptions: async (db, event) => ({ sponsor_id: await listSponsorOptions(db, event.id) }),
};
