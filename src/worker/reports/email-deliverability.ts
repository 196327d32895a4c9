// Email deliverability: per campaign, how many emails were sent and what became of them: delivered,
// bounced, marked as spam (complained), opened. A message counts once per outcome however many
// events the provider sent for it. Rates are shares of the emails sent; the open rate is a share of
// those delivered.

import type { z } from 'zod';
import { distinctValues } from '../db/orders';
import { asOf } from '../db/versions';
import type { Cell } from '../output/csv';
import { commonParams, textParam, withDateRange } from './params';
import { addDateRange, countRows, pageOf, percent, snapshotOf, sumColumn, Where } from './query';
import type { ReportContext, ReportType } from './types';

const params = withDateRange(commonParams.extend({ campaign: textParam('Campaign') }));
type Params = z.infer<typeof params>;

type Row = [
  campaign: string,
  first_sent: number,
  sent: number,
  delivered: number,
  bounced: number,
  complained: number,
  opened: number,
];

async function summary(ctx: ReportContext<Params>): Promise<Cell[][]> {
  const w = new Where().add('m.event_id = ?', ctx.event.id);
  addDateRange(w, 'm.sent_at', ctx);
  if (ctx.params.campaign) w.add('m.campaign = ?', ctx.params.campaign);
  const messages = asOf('email_messages', 'm', 'm.id, m.campaign, m.sent_at', w, snapshotOf(ctx));
  const events = asOf(
    'email_events',
    'e',
    'e.message_id, e.kind',
    new Where().add('e.event_id = ?', ctx.event.id),
    snapshotOf(ctx),
  );
  // Messages and what happened to them, as they were at the snapshot (db/versions.ts).
  const rows = await ctx.db
    .prepare(
      `WITH outcome AS (
         SELECT message_id, MAX(kind = 'delivered') AS delivered, MAX(kind = 'bounced') AS bounced,
                MAX(kind = 'complained') AS complained, MAX(kind = 'opened') AS opened
           FROM (${events.sql})
          GROUP BY message_id)
       SELECT m.campaign, MIN(m.sent_at), COUNT(*), COALESCE(SUM(o.delivered), 0), COALESCE(SUM(o.bounced), 0),
              COALESCE(SUM(o.complained), 0), COALESCE(SUM(o.opened), 0)
         FROM (${messages.sql}) AS m LEFT JOIN outcome o ON o.message_id = m.id
        GROUP BY m.campaign
        ORDER BY MIN(m.sent_at), m.campaign`,
    )
    .bind(...events.values, ...messages.values)
    .raw<Row>();
  return rows.map((r) => [
    r[0],
    ctx.clock.format(r[1]),
    r[2],
    r[3],
    r[4],
    r[5],
    r[6],
    percent(r[3], r[2]),
    percent(r[4], r[2]),
    percent(r[5], r[2]),
    percent(r[6], r[3]),
  ]);
}

export const emailDeliverability: ReportType<Params> = {
  key: 'email-deliverability',
  name: 'Email deliverability',
  description: 'Per campaign: emails sent, delivered, bounced, spam complaints and opens, with rates.',
  permission: 'reports:read',
  formats: ['csv', 'pdf'],
  params,
  columns: [
    'Campaign',
    'First sent at',
    'Sent',
    'Delivered',
    'Bounced',
    'Complaints',
    'Opened',
    'Delivery rate (%)',
    'Bounce rate (%)',
    'Complaint rate (%)',
    'Open rate (%)',
  ],
  dateField: 'Send date',
  columnKinds: [
    'text',
    'datetime',
    'integer',
    'integer',
    'integer',
    'integer',
    'integer',
    'percent',
    'percent',
    'percent',
    'percent',
  ],
  columnWidths: [18, 14, 7, 7, 7, 7, 7, 8, 8, 8, 8],

  async estimateRows(ctx) {
    const messages = asOf('email_messages', 'm', 'm.campaign', new Where().add('m.event_id = ?', ctx.event.id), snapshotOf(ctx));
    return countRows(ctx.db, `SELECT COUNT(DISTINCT campaign) AS n FROM (${messages.sql})`, ...messages.values);
  },

  async readChunk(ctx, cursor, limit) {
    return pageOf(await summary(ctx), cursor, limit);
  },

  totals(rows) {
    const sent = sumColumn(rows, 2);
    const delivered = sumColumn(rows, 3);
    const rate = (part: number, whole: number) => {
      const p = percent(part, whole);
      return p === null ? '—' : `${p}%`;
    };
    return [
      { label: 'Emails sent', value: sent.toLocaleString('en-US') },
      { label: 'Delivered', value: `${delivered.toLocaleString('en-US')} (${rate(delivered, sent)})` },
      { label: 'Bounced', value: `${sumColumn(rows, 4).toLocaleString('en-US')} (${rate(sumColumn(rows, 4), sent)})` },
      { label: 'Spam complaints', value: `${sumColumn(rows, 5).toLocaleString('en-US')} (${rate(sumColumn(rows, 5), sent)})` },
      {
        label: 'Opened',
        value: `${sumColumn(rows, 6).toLocaleString('en-US')} (${rate(sumColumn(rows, 6), delivered)} of delivered)`,
      },
    ];
  },

  fieldOptions: async (db, event) => ({ campaign: await distinctValues(db, 'email_messages', 'campaign', event.id) }),
};
